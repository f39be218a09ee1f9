"""GET /healthz (the process answers) and GET /readyz (what it depends on answers too).

Readiness runs a set of named checks, each an async function that raises when its dependency is
unreachable. Temporal and the listings database are always checked; `keystone_check` is there
for a deployment whose auth strategy is keystone (`add_readiness_check(app, "keystone", ...)`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import aiohttp
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from api.responses import json_response

ReadinessCheck = Callable[[], Awaitable[None]]
READINESS_CHECKS = web.AppKey("readiness_checks", dict[str, ReadinessCheck])
# A probe must answer well inside the orchestrator's probe timeout (usually 1-5 s).
CHECK_TIMEOUT_SECS = 3.0


def temporal_check(client: Client) -> ReadinessCheck:
    async def check() -> None:
        serving = await client.service_client.check_health(
            timeout=timedelta(seconds=CHECK_TIMEOUT_SECS)
        )
        if not serving:
            raise RuntimeError("Temporal's WorkflowService is not serving")

    return check


def database_check(db: AsyncEngine) -> ReadinessCheck:
    async def check() -> None:
        async with db.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return check


def keystone_check(auth_url: str) -> ReadinessCheck:
    """Keystone answers its version document at the auth URL without a token."""

    async def check() -> None:
        timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECS)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(auth_url, headers={"Accept": "application/json"}) as answer,
        ):
            # 300 Multiple Choices at the root, 200 at /v3: both mean Keystone is up.
            if answer.status >= 400:
                raise RuntimeError(f"Keystone answered {answer.status}")

    return check


def add_readiness_check(app: web.Application, name: str, check: ReadinessCheck) -> None:
    app[READINESS_CHECKS][name] = check


async def healthz(_request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def _run(check: ReadinessCheck) -> str:
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_SECS)
    except Exception as error:
        return f"unreachable: {error or type(error).__name__}"
    return "ok"


async def readyz(request: web.Request) -> web.Response:
    """200 when every dependency answers, 503 naming the ones that do not."""
    checks = request.app[READINESS_CHECKS]
    results = await asyncio.gather(*(_run(check) for check in checks.values()))
    report = dict(zip(checks, results, strict=True))
    ready = all(result == "ok" for result in report.values())
    return json_response(
        {"status": "ready" if ready else "not ready", "checks": report},
        status=200 if ready else 503,
    )


def install(app: web.Application, client: Client, db: AsyncEngine) -> None:
    app[READINESS_CHECKS] = {"temporal": temporal_check(client), "database": database_check(db)}
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
