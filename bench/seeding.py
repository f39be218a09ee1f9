"""Clone one stack's listing row thousands of times, straight in SQL, for the list-at-scale runs.

Creating 10,000 stacks through the API takes too long on a shared 2-core machine (upstream
with its 1 s pause per resource would need hours); listing only reads these rows, so copies of
a real stack's row, under new ids and names, are what GET /stacks sees either way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, text

from bench.scenarios import StackRef
from listings.db import create_engine
from listings.schema import stacks

CHUNK = 1000


async def seed_ours(url: str, ref: StackRef, count: int, prefix: str) -> int:
    """Insert `count` copies of ref's row into our listings (SQLite or PostgreSQL)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            row = (await conn.execute(select(stacks).where(stacks.c.id == ref.id))).mappings().one()
            template = dict(row)
            summary = json.loads(template["summary"])
            base_time = template["creation_time"]
            for start in range(0, count, CHUNK):
                rows = []
                for i in range(start, min(count, start + CHUNK)):
                    stack_id, name = str(uuid.uuid4()), f"{prefix}{i}"
                    entry = dict(summary, id=stack_id, stack_name=name)
                    href = entry["links"][0]["href"].rsplit("/", 2)[0]
                    entry["links"] = [{"href": f"{href}/{name}/{stack_id}", "rel": "self"}]
                    rows.append(
                        dict(
                            template,
                            id=stack_id,
                            name=name,
                            workflow_id=f"seeded-{stack_id}",
                            creation_time=base_time - dt.timedelta(seconds=i + 1),
                            summary=json.dumps(entry),
                        )
                    )
                await conn.execute(insert(stacks), rows)
        if not url.startswith("sqlite"):
            # Autovacuum analyzes a table within a minute of 10,000 inserts; without fresh
            # statistics PostgreSQL sorts the whole table (10 ms) instead of reading the index.
            async with engine.begin() as conn:
                await conn.execute(text("ANALYZE stacks"))
    finally:
        await engine.dispose()
    return count


async def unseed_ours(url: str, prefix: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            gone = await conn.execute(delete(stacks).where(stacks.c.name.like(f"{prefix}%")))
            return int(gone.rowcount or 0)
    finally:
        await engine.dispose()


def _seed_upstream(db: Path, ref: StackRef, count: int, prefix: str) -> int:
    conn = sqlite3.connect(db, timeout=60)
    try:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM stack WHERE id = ?", (ref.id,)).fetchone()
        if row is None:
            raise RuntimeError(f"stack {ref.id} not in {db}")
        columns = list(row.keys())
        base = dt.datetime.fromisoformat(str(row["created_at"]))
        values: list[tuple[Any, ...]] = []
        for i in range(count):
            copy = dict(row)
            copy.update(
                id=str(uuid.uuid4()),
                name=f"{prefix}{i}",
                created_at=(base - dt.timedelta(seconds=i + 1)).isoformat(sep=" "),
            )
            values.append(tuple(copy[c] for c in columns))
        marks = ", ".join("?" for _ in columns)
        with conn:
            conn.executemany(f"INSERT INTO stack ({', '.join(columns)}) VALUES ({marks})", values)
    finally:
        conn.close()
    return count


def _unseed_upstream(db: Path, prefix: str) -> int:
    conn = sqlite3.connect(db, timeout=60)
    try:
        with conn:
            return conn.execute("DELETE FROM stack WHERE name LIKE ?", (f"{prefix}%",)).rowcount
    finally:
        conn.close()


async def seed_upstream(db: Path, ref: StackRef, count: int, prefix: str) -> int:
    """Insert `count` copies of ref's row into upstream Heat's SQLite `stack` table."""
    return await asyncio.to_thread(_seed_upstream, db, ref, count, prefix)


async def unseed_upstream(db: Path, prefix: str) -> int:
    return await asyncio.to_thread(_unseed_upstream, db, prefix)
