"""The projection writer: upserts a batch of listing changes into SQL, idempotently."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from temporalio import activity

from activities.faults import inject_projection_fault
from activities.types import ProjectionBatch
from listings import schema
from listings.summary import stack_summary_json

PROJECT = "project_listings"
_DEFINITION = ("template", "environment", "files")


def _insert(conn: AsyncConnection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class ProjectionWriter:
    """Holds the engine; its one activity writes a whole batch in one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # SQLite has one writer at a time; writers that race for it sleep in SQLite's busy
        # handler (with growing back-off). Queueing them here instead keeps each write at its
        # real cost. PostgreSQL takes concurrent writers as they come.
        self._write_lock = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @activity.defn(name=PROJECT)
    async def project(self, batch: ProjectionBatch) -> None:
        inject_projection_fault()
        if self._write_lock is None:
            await self._write(batch)
            return
        async with self._write_lock:
            await self._write(batch)

    async def _write(self, batch: ProjectionBatch) -> None:
        async with self._engine.begin() as conn:
            await write_batch(conn, batch)


async def write_batch(conn: AsyncConnection, batch: ProjectionBatch) -> None:
    """Apply a batch; rows stored with a newer revision are left alone, events never doubled.

    Each statement is a single-row upsert executed for many rows at once, so SQLAlchemy
    compiles it once and caches it, whatever the batch size.
    """
    if batch.stack is not None:
        row: dict[str, Any] = batch.stack.model_dump()
        row["revision"] = batch.revision
        row["summary"] = stack_summary_json(row)
        if batch.definition is not None:
            row.update(batch.definition.model_dump())
        else:
            # Only inserted if this is the first write (which always carries a definition);
            # an update leaves the stored template, environment and files as they are.
            row.update(template={}, environment={}, files={})
        columns = [k for k in row if batch.definition is not None or k not in _DEFINITION]
        await conn.execute(_upsert(conn, schema.stacks, columns, ("id",)), row)
    if batch.resources:
        rows = [{**r.model_dump(), "revision": batch.revision} for r in batch.resources]
        await conn.execute(
            _upsert(conn, schema.resources, rows[0].keys(), ("stack_id", "name")), rows
        )
    if batch.events:
        rows = [e.model_dump() for e in batch.events]
        await conn.execute(_insert(conn, schema.events).on_conflict_do_nothing(), rows)
    if batch.snapshots:
        rows = [{**s.model_dump(), "revision": batch.revision} for s in batch.snapshots]
        await conn.execute(_upsert(conn, schema.snapshots, rows[0].keys(), ("id",)), rows)


def _upsert(conn: AsyncConnection, table: Table, columns: Any, keys: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO UPDATE, only when the stored revision is not newer."""
    stmt = _insert(conn, table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c[k] for k in keys],
        set_={c: stmt.excluded[c] for c in columns if c not in keys},
        where=table.c.revision <= stmt.excluded.revision,
    )
