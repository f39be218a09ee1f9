"""The projection writer: upserts a batch of listing changes into SQL, idempotently."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from temporalio import activity

from activities.types import ProjectionBatch
from listings import schema

PROJECT = "project_listings"


def _insert(conn: AsyncConnection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class ProjectionWriter:
    """Holds the engine; its one activity writes a whole batch in one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @activity.defn(name=PROJECT)
    async def project(self, batch: ProjectionBatch) -> None:
        async with self._engine.begin() as conn:
            await write_batch(conn, batch)


async def write_batch(conn: AsyncConnection, batch: ProjectionBatch) -> None:
    """Apply a batch; rows stored with a newer revision are left alone, events never doubled."""
    if batch.stack is not None:
        row: dict[str, Any] = batch.stack.model_dump()
        row["revision"] = batch.revision
        if batch.definition is not None:
            row.update(batch.definition.model_dump())
        else:
            # A first write must carry the definition; later ones leave it as stored.
            row.update(template={}, environment={}, files={})
        stmt = _insert(conn, schema.stacks).values(row)
        update = {k: stmt.excluded[k] for k in row if k != "id"}
        if batch.definition is None:
            for key in ("template", "environment", "files"):
                update.pop(key)
        stmt = stmt.on_conflict_do_update(
            index_elements=[schema.stacks.c.id],
            set_=update,
            where=schema.stacks.c.revision <= stmt.excluded.revision,
        )
        await conn.execute(stmt)
    if batch.resources:
        rows = [{**r.model_dump(), "revision": batch.revision} for r in batch.resources]
        stmt = _insert(conn, schema.resources).values(rows)
        keys = [k for k in rows[0] if k not in ("stack_id", "name")]
        stmt = stmt.on_conflict_do_update(
            index_elements=[schema.resources.c.stack_id, schema.resources.c.name],
            set_={k: stmt.excluded[k] for k in keys},
            where=schema.resources.c.revision <= stmt.excluded.revision,
        )
        await conn.execute(stmt)
    if batch.events:
        rows = [e.model_dump() for e in batch.events]
        stmt = _insert(conn, schema.events).values(rows).on_conflict_do_nothing()
        await conn.execute(stmt)
