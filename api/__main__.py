"""Runs the API process: `python -m api`."""

from __future__ import annotations

import logging

from aiohttp import web

from api.app import create_app
from api.engine import Engine
from listings.db import create_engine
from service.codec import codec_from_settings
from service.settings import Settings, get_settings
from service.temporal import connect


async def build(settings: Settings) -> web.Application:
    client = await connect(
        settings.temporal_target,
        settings.temporal_namespace,
        payload_codec=codec_from_settings(settings.codec),
    )
    engine = Engine(client, settings.task_queue, settings.max_concurrent_resources)
    db = create_engine(settings.listings_url)
    app = create_app(settings, db, engine)

    async def close_db(_app: web.Application) -> None:
        await db.dispose()

    app.on_cleanup.append(close_db)
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s api %(levelname)s %(message)s")
    settings = get_settings()
    if settings.auth_strategy == "noauth":
        logging.getLogger("heat_temporal.api").warning(
            "AUTH IS OFF (auth_strategy=noauth): the project id in the URL is trusted"
        )
    web.run_app(
        build(settings),
        host=settings.api_host,
        port=settings.api_port,
        access_log=None,
        print=None,
    )


if __name__ == "__main__":
    main()
