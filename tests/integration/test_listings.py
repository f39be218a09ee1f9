"""The listings on SQLite and PostgreSQL: idempotent projection writes and project-scoped reads."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from activities.projection import write_batch
from activities.types import EventRow, ProjectionBatch, ResourceRow, StackDefinitionRow, StackRow
from api import queries
from listings.db import create_engine, upgrade

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'listings.db'}"
    else:
        base = request.getfixturevalue("postgres_url")
        url = base.rsplit("/", 1)[0] + "/postgres"
    upgrade(url)
    yield url
    if request.param == "postgresql":
        # Each test starts from empty tables on the shared server.
        async def truncate() -> None:
            engine = create_engine(url)
            async with engine.begin() as conn:
                from sqlalchemy import text

                await conn.execute(text("TRUNCATE stacks, resources, events"))
            await engine.dispose()

        asyncio.run(truncate())


def stack_row(
    stack_id: str,
    project: str,
    name: str,
    status: str = "IN_PROGRESS",
    created: datetime = NOW,
    tags: list[str] | None = None,
) -> StackRow:
    return StackRow(
        id=stack_id,
        project_id=project,
        name=name,
        action="CREATE",
        status=status,
        status_reason="Stack CREATE started",
        description="d",
        creation_time=created,
        disable_rollback=True,
        parameters={"OS::stack_name": name},
        outputs=[],
        workflow_id=f"stack/{project}/{name}",
        tags=tags,
    )


def event(stack_id: str, seq: int, status: str) -> EventRow:
    return EventRow(
        id=f"{stack_id[:8]}-event-{seq}",
        stack_id=stack_id,
        project_id="p1",
        seq=seq,
        resource_name="r",
        resource_type="OS::Heat::None",
        action="CREATE",
        status=status,
        event_time=NOW + timedelta(seconds=seq),
    )


def names(rows: list[Any]) -> list[str]:
    """Stack names from the pre-rendered GET /stacks entries the listing returns."""
    return [json.loads(r.summary)["stack_name"] for r in rows]


def run(coro: Coroutine[Any, Any, None]) -> None:
    asyncio.run(coro)


def test_a_retried_batch_writes_each_event_once_and_older_revisions_never_win(
    database_url: str,
) -> None:
    async def scenario() -> None:
        engine = create_engine(database_url)
        definition = StackDefinitionRow(
            template={"heat_template_version": "2018-08-31"}, environment={}, files={}
        )
        first = ProjectionBatch(
            stack_id="s1",
            revision=1,
            stack=stack_row("s1", "p1", "web"),
            definition=definition,
            resources=[
                ResourceRow(
                    stack_id="s1",
                    project_id="p1",
                    name="r",
                    type="OS::Heat::None",
                    action="CREATE",
                    status="IN_PROGRESS",
                )
            ],
            events=[event("s1", 1, "IN_PROGRESS")],
        )
        second = ProjectionBatch(
            stack_id="s1",
            revision=2,
            stack=stack_row("s1", "p1", "web", status="COMPLETE"),
            resources=[
                ResourceRow(
                    stack_id="s1",
                    project_id="p1",
                    name="r",
                    type="OS::Heat::None",
                    action="CREATE",
                    status="COMPLETE",
                )
            ],
            events=[event("s1", 2, "COMPLETE")],
        )
        for batch in (first, second, first, second):  # retried and reordered deliveries
            async with engine.begin() as conn:
                await write_batch(conn, batch)
        async with engine.connect() as conn:
            stack = await queries.get_stack(conn, "p1", "s1")
            assert stack is not None
            assert stack.status == "COMPLETE"
            assert stack.template == {"heat_template_version": "2018-08-31"}
            resource = await queries.get_resource(conn, "s1", "r")
            assert resource is not None and resource.status == "COMPLETE"
            rows = await queries.list_events(conn, "s1", queries.EventFilters(), "asc", None, None)
            assert [r.seq for r in rows] == [1, 2]
            # Another project sees nothing of it.
            assert await queries.get_stack(conn, "p2", "s1") is None
            assert await queries.find_stack(conn, "p2", "web") is None
        await engine.dispose()

    run(scenario())


def test_stack_list_pages_sorts_and_filters_by_tags_within_one_project(database_url: str) -> None:
    async def scenario() -> None:
        engine = create_engine(database_url)
        async with engine.begin() as conn:
            for i in range(5):
                batch = ProjectionBatch(
                    stack_id=f"s{i}",
                    revision=1,
                    stack=stack_row(
                        f"s{i}",
                        "p1",
                        f"stack{i}",
                        created=NOW + timedelta(minutes=i),
                        tags=["even"] if i % 2 == 0 else ["odd"],
                    ),
                    definition=StackDefinitionRow(template={}, environment={}, files={}),
                )
                await write_batch(conn, batch)
            await write_batch(
                conn,
                ProjectionBatch(
                    stack_id="other",
                    revision=1,
                    stack=stack_row("other", "p2", "stack0"),
                    definition=StackDefinitionRow(template={}, environment={}, files={}),
                ),
            )
        async with engine.connect() as conn:
            f = queries.StackFilters()
            newest_first = await queries.list_stacks(conn, "p1", f, [], "desc", 2, None)
            assert names(newest_first) == ["stack4", "stack3"]
            next_page = await queries.list_stacks(conn, "p1", f, [], "desc", 2, newest_first[-1].id)
            assert names(next_page) == ["stack2", "stack1"]
            by_name = await queries.list_stacks(conn, "p1", f, ["stack_name"], "asc", None, None)
            assert names(by_name) == [f"stack{i}" for i in range(5)]
            even = await queries.list_stacks(
                conn, "p1", queries.StackFilters(tags=["even"]), [], "asc", None, None
            )
            assert names(even) == ["stack0", "stack2", "stack4"]
            assert await queries.count_stacks(conn, "p1", f) == 5
            assert await queries.count_stacks(conn, "p2", f) == 1
        await engine.dispose()

    run(scenario())
