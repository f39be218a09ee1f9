"""Runs the API process: `python -m api`."""

from __future__ import annotations

import logging

from aiohttp import web

from api import health
from api.app import create_app
from api.engine import Engine
from listings.db import create_engine
from service.logging_setup import configure as configure_logging
from service.settings import Settings
from service.startup import (
    connect_temporal,
    exit_on_startup_error,
    load_settings,
    require_database,
    require_keystone,
    safe_url,
)

log = logging.getLogger("heat_temporal.api")


async def build(settings: Settings) -> web.Application:
    client = await connect_temporal(settings)
    engine = Engine(client, settings.task_queue, settings.max_concurrent_resources)
    db = create_engine(settings.listings_url)
    await require_database(db, settings)
    keystone_url = settings.keystone_authtoken.auth_url
    if settings.auth_strategy == "keystone":
        # Fail fast with one clear line when Keystone cannot be reached at start.
        await require_keystone(keystone_url, settings)
    log.info(
        "API on %s:%d, Temporal at %s, listings at %s",
        settings.api_host,
        settings.api_port,
        settings.temporal_target,
        safe_url(settings.listings_url),
    )
    app = create_app(settings, db, engine)
    if settings.auth_strategy == "keystone":
        health.add_readiness_check(app, "keystone", health.keystone_check(keystone_url))

    async def close_db(_app: web.Application) -> None:
        await db.dispose()

    app.on_cleanup.append(close_db)
    return app


def main() -> None:
    settings = load_settings()
    configure_logging("api", settings.log_level, settings.log_format)
    if settings.auth_strategy == "noauth":
        log.warning("AUTH IS OFF (auth_strategy=noauth): the project id in the URL is trusted")
    web.run_app(
        build(settings),
        host=settings.api_host,
        port=settings.api_port,
        access_log=None,
        print=None,
    )


if __name__ == "__main__":
    exit_on_startup_error(main)
