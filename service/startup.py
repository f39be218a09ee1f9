"""Start-up checks that fail fast with one clear line: bad settings, unreachable Temporal or SQL."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable

import aiohttp
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client
from temporalio.runtime import Runtime

from service.settings import Settings, get_settings
from service.temporal import connect


class StartupError(SystemExit):
    """Ends the process with a message and exit status 1, and no traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(f"heat-temporal: {message}")


def _describe(error: ErrorDetails) -> str:
    name = ".".join(str(part) for part in error["loc"])
    given = error.get("input")
    shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
    return (
        f"bad setting {name} (environment variable HEAT_TEMPORAL_{name.upper()}): "
        f"{error['msg']}{shown}"
    )


def load_settings() -> Settings:
    """The settings, or an exit naming each bad option and its environment variable."""
    try:
        return get_settings()
    except ValidationError as error:
        raise StartupError(
            "\n  ".join(_describe(e) for e in error.errors(include_url=False))
        ) from None
    except (OSError, ValueError) as error:
        # An unreadable or malformed settings file.
        raise StartupError(f"cannot read the settings: {error}") from None


def safe_url(url: str) -> str:
    """A database URL fit for a log line: its password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable database URL>"


async def connect_temporal(settings: Settings, runtime: Runtime | None = None) -> Client:
    try:
        return await connect(
            settings.temporal_target,
            settings.temporal_namespace,
            deadline_secs=settings.startup_timeout_secs,
            runtime=runtime,
        )
    except RuntimeError as error:
        raise StartupError(
            f"Temporal at {settings.temporal_target} is unreachable after "
            f"{settings.startup_timeout_secs:g} s ({error.__cause__ or error}); "
            "check HEAT_TEMPORAL_TEMPORAL_ADDRESS"
        ) from None


async def require_database(db: AsyncEngine, settings: Settings) -> None:
    """Retry `SELECT 1` until the deadline: a database starting beside us gets its time."""
    deadline = time.monotonic() + settings.startup_timeout_secs
    while True:
        try:
            async with db.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return
        except Exception as error:
            if time.monotonic() > deadline:
                raise StartupError(
                    f"the listings database {safe_url(settings.listings_url)} is unreachable "
                    f"after {settings.startup_timeout_secs:g} s "
                    f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})"
                    "; check HEAT_TEMPORAL_DATABASE_URL"
                ) from None
            await asyncio.sleep(0.5)


async def require_keystone(auth_url: str, settings: Settings) -> None:
    """With auth_strategy = keystone: retry Keystone's version document until the deadline."""
    deadline = time.monotonic() + settings.startup_timeout_secs
    timeout = aiohttp.ClientTimeout(total=5)
    while True:
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(auth_url, headers={"Accept": "application/json"}) as answer,
            ):
                if answer.status < 400:
                    return
                problem = f"it answered {answer.status}"
        except (aiohttp.ClientError, TimeoutError) as error:
            problem = f"{type(error).__name__}: {error}"
        if time.monotonic() > deadline:
            raise StartupError(
                f"Keystone at {auth_url} is unreachable after "
                f"{settings.startup_timeout_secs:g} s ({problem})"
            )
        await asyncio.sleep(0.5)


def exit_on_startup_error(main: Callable[[], None]) -> None:
    """Run a process's main; a StartupError prints its one line and ends the process."""
    try:
        main()
    except StartupError as error:
        print(error.code, file=sys.stderr, flush=True)
        sys.stdout.flush()
        # After a failed connect the Temporal SDK's native runtime can abort the interpreter's
        # shutdown (a "Fatal Python error" wall); nothing is left to clean up, so leave now.
        os._exit(1)
