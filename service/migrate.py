"""`heat-temporal migrate`: bring the listings schema to the newest Alembic revision."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from listings.db import alembic_config, upgrade
from service.settings import Settings
from service.startup import StartupError, safe_url


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def migrate(settings: Settings) -> int:
    url = settings.listings_url
    try:
        upgrade(url)
    except Exception as error:
        first_line = str(error).splitlines()[0] if str(error) else ""
        raise StartupError(
            f"migrating the listings database {safe_url(url)} failed: "
            f"{type(error).__name__}: {first_line}"
        ) from None
    print(f"listings database {safe_url(url)} is at revision {head_revision(url)}", flush=True)
    return 0
