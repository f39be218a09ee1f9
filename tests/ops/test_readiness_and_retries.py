"""/readyz names what is unreachable, the Keystone check on a real Keystone, retries counted."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from prometheus_client import REGISTRY
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from api.app import create_app
from api.engine import Engine
from api.health import add_readiness_check, keystone_check
from listings.db import create_engine, upgrade
from service.settings import Settings
from service.startup import StartupError, require_keystone
from service.temporal import connect
from service.worker_metrics import WorkerObservability
from tests.conftest import REPO, free_port

# shared/ lies beside the repository, here and in CI.
MINICLOUD_START = REPO.parent / "shared" / "minicloud" / "start.sh"
KEYSTONE_URL = "http://127.0.0.1:5000/v3"


async def _serve(client: Client, database_url: str) -> AsyncIterator[str]:
    db = create_engine(database_url)
    app = create_app(Settings(), db, Engine(client, "unused", 10))
    server = TestServer(app, host="127.0.0.1", port=free_port())
    await server.start_server()
    try:
        yield str(server.make_url(""))
    finally:
        await server.close()
        await db.dispose()


@pytest.fixture
async def api_without_database(temporal_target: str) -> AsyncIterator[str]:
    client = await connect(temporal_target, "default")
    # Nothing listens on this port: the database is "down".
    async for url in _serve(client, f"postgresql+asyncpg://heat@127.0.0.1:{free_port()}/heat"):
        yield url


@pytest.fixture
def listings_url(tmp_path: Path) -> str:
    # Migrated outside the event loop: Alembic's async env runs its own loop.
    url = f"sqlite+aiosqlite:///{tmp_path / 'listings.db'}"
    upgrade(url)
    return url


@pytest.fixture
async def api_without_temporal(listings_url: str) -> AsyncIterator[str]:
    database_url = listings_url
    # A lazy client connects on first use; nothing listens there.
    client = await Client.connect(f"127.0.0.1:{free_port()}", lazy=True)
    async for url in _serve(client, database_url):
        yield url


async def _get(url: str) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        return answer.status, await answer.json()


async def test_readyz_answers_503_naming_an_unreachable_database(api_without_database: str) -> None:
    status, body = await _get(f"{api_without_database}/readyz")
    assert status == 503
    assert body["status"] == "not ready"
    checks = body["checks"]
    assert isinstance(checks, dict)
    assert checks["temporal"] == "ok"
    assert str(checks["database"]).startswith("unreachable")
    # The process itself is fine: liveness must not restart it for a database outage.
    assert (await _get(f"{api_without_database}/healthz"))[0] == 200


async def test_readyz_answers_503_naming_an_unreachable_temporal(api_without_temporal: str) -> None:
    status, body = await _get(f"{api_without_temporal}/readyz")
    assert status == 503
    checks = body["checks"]
    assert isinstance(checks, dict)
    assert checks["database"] == "ok"
    assert str(checks["temporal"]).startswith("unreachable")


@pytest.fixture(scope="module")
def keystone() -> str:
    """The minicloud's real Keystone (start.sh is idempotent and returns when it answers)."""
    subprocess.run([str(MINICLOUD_START), "keystone"], check=True, timeout=600)
    return KEYSTONE_URL


async def test_the_keystone_check_passes_on_a_real_keystone_and_fails_on_a_dead_one(
    keystone: str,
) -> None:
    await keystone_check(keystone)()
    with pytest.raises(aiohttp.ClientError):
        await keystone_check(f"http://127.0.0.1:{free_port()}/v3")()


async def test_a_readiness_check_added_by_name_is_reported(temporal_target: str) -> None:
    client = await connect(temporal_target, "default")
    db = create_engine(f"postgresql+asyncpg://heat@127.0.0.1:{free_port()}/heat")
    app = create_app(Settings(), db, Engine(client, "unused", 10))
    add_readiness_check(app, "keystone", keystone_check(f"http://127.0.0.1:{free_port()}/v3"))
    server = TestServer(app, host="127.0.0.1", port=free_port())
    await server.start_server()
    try:
        status, body = await _get(str(server.make_url("/readyz")))
    finally:
        await server.close()
        await db.dispose()
    assert status == 503
    checks = body["checks"]
    assert isinstance(checks, dict)
    assert set(checks) == {"temporal", "database", "keystone"}
    assert str(checks["keystone"]).startswith("unreachable")


@activity.defn(name="flaky_step")
async def flaky_step() -> int:
    """Fails its first attempt the way a cloud API's 503 would, then succeeds."""
    if activity.info().attempt == 1:
        raise RuntimeError("service unavailable, try again")
    return activity.info().attempt


@workflow.defn(name="FlakyWorkflow")
class FlakyWorkflow:
    @workflow.run
    async def run(self) -> int:
        return int(
            await workflow.execute_activity(
                flaky_step,
                start_to_close_timeout=timedelta(seconds=10),
                retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=100)),
            )
        )


async def test_an_activity_retried_after_a_transient_failure_is_counted(
    temporal_target: str,
) -> None:
    client = await connect(temporal_target, "default")
    task_queue = f"retries-{uuid.uuid4().hex[:8]}"
    before = REGISTRY.get_sample_value(
        "heat_temporal_activity_retries_total", {"activity": "flaky_step"}
    )
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[FlakyWorkflow],
        activities=[flaky_step],
        interceptors=[WorkerObservability()],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        attempts = await client.execute_workflow(
            FlakyWorkflow.run, id=f"flaky-{uuid.uuid4()}", task_queue=task_queue
        )
    assert attempts == 2
    after = REGISTRY.get_sample_value(
        "heat_temporal_activity_retries_total", {"activity": "flaky_step"}
    )
    assert (after or 0) - (before or 0) == 1


async def test_start_up_waits_for_keystone_and_fails_clearly_when_it_never_answers(
    keystone: str,
) -> None:
    settings = Settings(startup_timeout_secs=1)
    await require_keystone(keystone, settings)
    dead = f"http://127.0.0.1:{free_port()}/v3"
    with pytest.raises(StartupError) as raised:
        await require_keystone(dead, settings)
    message = str(raised.value.code)
    assert message.startswith(f"heat-temporal: Keystone at {dead} is unreachable after 1 s (")
    assert "ClientConnectorError" in message
