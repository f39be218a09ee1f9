"""Upgrading the listings from the first migration to the newest, with stacks in them, on SQLite
and PostgreSQL: what was there before is still served by the API afterwards."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.client import Client

from api.app import create_app
from api.engine import Engine
from listings.db import alembic_config, create_engine
from service.settings import Settings
from tests.conftest import free_port

PROJECT = "old-project"
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _first_revision(url: str) -> str:
    script = ScriptDirectory.from_config(alembic_config(url))
    return next(r.revision for r in script.walk_revisions() if r.down_revision is None)


def _stack(stack_id: str, name: str) -> dict[str, Any]:
    return {
        "id": stack_id,
        "project_id": PROJECT,
        "name": name,
        "action": "CREATE",
        "status": "COMPLETE",
        "status_reason": "Stack CREATE completed successfully",
        "description": "made before the upgrade",
        "creation_time": CREATED,
        "updated_time": None,
        "deletion_time": None,
        "disable_rollback": True,
        "timeout_mins": None,
        "tags": ["old"],
        "parameters": json.dumps({"OS::stack_name": name}),
        "outputs": "[]",
        "template": '{"heat_template_version": "2018-08-31"}',
        "environment": "{}",
        "files": "{}",
        "parent_id": None,
        "owner": None,
        "workflow_id": f"stack/{PROJECT}/{name}",
        "revision": 3,
    }


async def _fill_first_schema(url: str, stack_ids: dict[str, str]) -> None:
    """Rows written as the first schema had them (no summary column, no snapshots table)."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        for name, stack_id in stack_ids.items():
            row = _stack(stack_id, name)
            row["tags"] = '["old"]'
            columns = ", ".join(row)
            values = ", ".join(f":{k}" for k in row)
            await conn.execute(text(f"INSERT INTO stacks ({columns}) VALUES ({values})"), row)
            await conn.execute(
                text(
                    "INSERT INTO resources (stack_id, name, project_id, type, physical_id, action,"
                    " status, status_reason, description, creation_time, updated_time,"
                    " required_by, attributes, properties, metadata, removed, revision) VALUES"
                    " (:s, 'server', :p, 'OS::Heat::None', 'phys-1', 'CREATE', 'COMPLETE', '',"
                    " '', :t, NULL, '[]', '{}', '{}', '{}', :f, 3)"
                ),
                {"s": stack_id, "p": PROJECT, "t": CREATED, "f": False},
            )
            await conn.execute(
                text(
                    "INSERT INTO events (id, stack_id, project_id, seq, resource_name,"
                    " resource_type, physical_resource_id, action, status, status_reason,"
                    " resource_properties, event_time) VALUES (:i, :s, :p, 1, 'server',"
                    " 'OS::Heat::None', 'phys-1', 'CREATE', 'COMPLETE', 'state changed', '{}', :t)"
                ),
                {"i": str(uuid.uuid4()), "s": stack_id, "p": PROJECT, "t": CREATED},
            )
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'listings.db'}"
        return
    server: str = request.getfixturevalue("postgres_url")
    name = f"upgrade_{uuid.uuid4().hex[:8]}"

    async def admin(statement: str) -> None:
        engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f"CREATE DATABASE {name}"))
    yield server.rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(admin(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
def upgraded_with_old_stacks(empty_database: str) -> tuple[str, dict[str, str]]:
    url = empty_database
    config = alembic_config(url)
    command.upgrade(config, _first_revision(url))
    stacks = {f"old-{i}": str(uuid.uuid4()) for i in range(2)}
    asyncio.run(_fill_first_schema(url, stacks))
    command.upgrade(config, "head")
    return url, stacks


@pytest.fixture
async def api_on(upgraded_with_old_stacks: tuple[str, dict[str, str]]) -> AsyncIterator[str]:
    url, _ = upgraded_with_old_stacks
    db = create_engine(url)
    # Reading listings needs no engine: a lazy client never connects.
    client = await Client.connect(f"127.0.0.1:{free_port()}", lazy=True)
    server = TestServer(create_app(Settings(), db, Engine(client, "unused", 10)), port=free_port())
    await server.start_server()
    try:
        yield str(server.make_url(f"/v1/{PROJECT}"))
    finally:
        await server.close()
        await db.dispose()


async def _get(url: str) -> Any:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        assert answer.status == 200, await answer.text()
        return await answer.json(content_type=None)


async def test_stacks_written_under_the_first_schema_are_listed_shown_and_have_their_history(
    api_on: str, upgraded_with_old_stacks: tuple[str, dict[str, str]]
) -> None:
    _, stacks = upgraded_with_old_stacks
    listing = await _get(f"{api_on}/stacks")
    assert sorted(s["stack_name"] for s in listing["stacks"]) == sorted(stacks)
    assert all(s["stack_status"] == "CREATE_COMPLETE" for s in listing["stacks"])
    for name, stack_id in stacks.items():
        shown = (await _get(f"{api_on}/stacks/{name}/{stack_id}"))["stack"]
        assert shown["description"] == "made before the upgrade"
        assert shown["tags"] == ["old"]
        resources = (await _get(f"{api_on}/stacks/{name}/{stack_id}/resources"))["resources"]
        assert [r["physical_resource_id"] for r in resources] == ["phys-1"]
        events = (await _get(f"{api_on}/stacks/{name}/{stack_id}/events"))["events"]
        assert [e["resource_status"] for e in events] == ["CREATE_COMPLETE"]
        snapshots = (await _get(f"{api_on}/stacks/{name}/{stack_id}/snapshots"))["snapshots"]
        assert snapshots == []
