"""Read-only SQL queries of the listings, every one scoped to the caller's project."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from listings.schema import events, resources, snapshots, stacks

STACK_SORT_KEYS = {
    "stack_name": stacks.c.name,
    "stack_status": stacks.c.status,
    "creation_time": stacks.c.creation_time,
    "updated_time": stacks.c.updated_time,
    "name": stacks.c.name,
    "status": stacks.c.status,
    "created_at": stacks.c.creation_time,
    "updated_at": stacks.c.updated_time,
}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def get_stack(conn: AsyncConnection, project: str, stack_id: str) -> Row[Any] | None:
    result = await conn.execute(
        select(stacks).where(stacks.c.id == stack_id, stacks.c.project_id == project)
    )
    return result.first()


async def find_stack(conn: AsyncConnection, project: str, identity: str) -> Row[Any] | None:
    """Heat's lookup: a live stack by name, else any stack (deleted ones too) by id."""
    result = await conn.execute(
        select(stacks)
        .where(
            stacks.c.project_id == project,
            stacks.c.name == identity,
            ~and_(stacks.c.action == "DELETE", stacks.c.status == "COMPLETE"),
        )
        .order_by(stacks.c.creation_time.desc())
    )
    row = result.first()
    if row is None and _is_uuid(identity):
        row = await get_stack(conn, project, identity)
    return row


@dataclass
class StackFilters:
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tags_any: list[str] = field(default_factory=list)
    not_tags: list[str] = field(default_factory=list)
    not_tags_any: list[str] = field(default_factory=list)
    show_deleted: bool = False
    show_nested: bool = False


def _stack_conditions(project: str, filters: StackFilters) -> list[Any]:
    conditions: list[Any] = [stacks.c.project_id == project]
    if not filters.show_deleted:
        conditions.append(~and_(stacks.c.action == "DELETE", stacks.c.status == "COMPLETE"))
    if not filters.show_nested:
        conditions.append(stacks.c.parent_id.is_(None))
    if filters.ids:
        conditions.append(stacks.c.id.in_(filters.ids))
    if filters.names:
        conditions.append(stacks.c.name.in_(filters.names))
    status_terms = []
    for value in filters.statuses:
        # Heat accepts both "COMPLETE" and "CREATE_COMPLETE".
        action, _, status = value.rpartition("_")
        if action:
            status_terms.append(and_(stacks.c.action == action, stacks.c.status == status))
        else:
            status_terms.append(stacks.c.status == status)
    if status_terms:
        conditions.append(or_(*status_terms))
    if filters.actions:
        conditions.append(stacks.c.action.in_(filters.actions))
    return conditions


def tag_filtering_needed(filters: StackFilters) -> bool:
    return bool(filters.tags or filters.tags_any or filters.not_tags or filters.not_tags_any)


def _tags_match(row_tags: Sequence[str] | None, filters: StackFilters) -> bool:
    tags = set(row_tags or [])
    if filters.tags and not set(filters.tags) <= tags:
        return False
    if filters.tags_any and not tags & set(filters.tags_any):
        return False
    if filters.not_tags and set(filters.not_tags) <= tags:
        return False
    return not (filters.not_tags_any and tags & set(filters.not_tags_any))


# The common listing (no filters, newest first) as one statement built once: building and
# cache-keying a fresh statement per request costs more than SQLite takes to answer it.
_PLAIN_LISTING = (
    select(stacks.c.id, stacks.c.summary)
    .where(
        stacks.c.project_id == bindparam("project"),
        ~and_(stacks.c.action == "DELETE", stacks.c.status == "COMPLETE"),
        stacks.c.parent_id.is_(None),
    )
    .order_by(stacks.c.creation_time.desc(), stacks.c.id.desc())
    .limit(bindparam("limit"))
)


def _is_plain(
    filters: StackFilters, sort_keys: list[str], sort_dir: str, marker: str | None
) -> bool:
    return (
        filters == StackFilters()
        and sort_keys in ([], ["creation_time"], ["created_at"])
        and sort_dir == "desc"
        and marker is None
    )


async def list_stacks(
    conn: AsyncConnection,
    project: str,
    filters: StackFilters,
    sort_keys: list[str],
    sort_dir: str,
    limit: int | None,
    marker: str | None,
) -> list[Row[Any]]:
    if _is_plain(filters, sort_keys, sort_dir, marker):
        params = {"project": project, "limit": limit if limit is not None else 2**31 - 1}
        return list((await conn.execute(_PLAIN_LISTING, params)).all())
    conditions = _stack_conditions(project, filters)
    columns = [STACK_SORT_KEYS[k] for k in sort_keys] or [stacks.c.creation_time]
    descending = sort_dir == "desc"
    if marker is not None:
        marker_row = await get_stack(conn, project, marker)
        if marker_row is not None:
            # Keyset paging on (sort columns..., id): stable when values repeat.
            key_values = [getattr(marker_row, c.key) for c in columns] + [marker_row.id]
            key_columns = [*columns, stacks.c.id]
            conditions.append(_after(key_columns, key_values, descending))
    order = [c.desc() if descending else c.asc() for c in [*columns, stacks.c.id]]
    # Only what listing needs: the id (detail and paging) and the pre-rendered entry; the
    # tags column is read only when tag filters need it.
    tag_filtering = tag_filtering_needed(filters)
    selected = [stacks.c.id, stacks.c.summary] + ([stacks.c.tags] if tag_filtering else [])
    query = select(*selected).where(*conditions).order_by(*order)
    if limit is not None and not tag_filtering:
        query = query.limit(limit)
    rows = list((await conn.execute(query)).all())
    if tag_filtering:
        rows = [r for r in rows if _tags_match(r.tags, filters)]
        if limit is not None:
            rows = rows[:limit]
    return rows


async def count_stacks(conn: AsyncConnection, project: str, filters: StackFilters) -> int:
    query = select(func.count()).select_from(stacks).where(*_stack_conditions(project, filters))
    return int((await conn.execute(query)).scalar_one())


def _after(columns: list[Any], values: list[Any], descending: bool) -> Any:
    """Rows strictly after `values` in the order of `columns` (lexicographic)."""
    terms = []
    for i, column in enumerate(columns):
        equal = [columns[j] == values[j] for j in range(i)]
        value = values[i]
        if value is None:
            continue
        step = column < value if descending else column > value
        terms.append(and_(*equal, step))
    return or_(*terms) if terms else True


async def list_resources(conn: AsyncConnection, stack_id: str) -> list[Row[Any]]:
    result = await conn.execute(
        select(resources)
        .where(resources.c.stack_id == stack_id, resources.c.removed.is_(False))
        .order_by(resources.c.name)
    )
    return list(result.all())


async def nested_stacks(
    conn: AsyncConnection, project: str, stack_id: str, depth: int
) -> list[tuple[int, Row[Any]]]:
    """The live stacks nested under a stack, down to `depth` levels, with their level."""
    found: list[tuple[int, Row[Any]]] = []
    parents = [stack_id]
    for level in range(1, depth + 1):
        if not parents:
            break
        result = await conn.execute(
            select(stacks)
            .where(
                stacks.c.project_id == project,
                stacks.c.parent_id.in_(parents),
                ~and_(stacks.c.action == "DELETE", stacks.c.status == "COMPLETE"),
            )
            .order_by(stacks.c.creation_time, stacks.c.id)
        )
        rows = list(result.all())
        found.extend((level, row) for row in rows)
        parents = [row.id for row in rows]
    return found


async def get_resource(conn: AsyncConnection, stack_id: str, name: str) -> Row[Any] | None:
    result = await conn.execute(
        select(resources).where(
            resources.c.stack_id == stack_id,
            resources.c.name == name,
            resources.c.removed.is_(False),
        )
    )
    return result.first()


@dataclass
class EventFilters:
    resource_names: list[str] = field(default_factory=list)
    resource_actions: list[str] = field(default_factory=list)
    resource_statuses: list[str] = field(default_factory=list)
    resource_types: list[str] = field(default_factory=list)


async def list_events(
    conn: AsyncConnection,
    stack_id: str,
    filters: EventFilters,
    sort_dir: str,
    limit: int | None,
    marker: str | None,
) -> list[Row[Any]]:
    conditions: list[Any] = [events.c.stack_id == stack_id]
    if filters.resource_names:
        conditions.append(events.c.resource_name.in_(filters.resource_names))
    if filters.resource_actions:
        conditions.append(events.c.action.in_(filters.resource_actions))
    if filters.resource_statuses:
        conditions.append(events.c.status.in_(filters.resource_statuses))
    if filters.resource_types:
        conditions.append(events.c.resource_type.in_(filters.resource_types))
    descending = sort_dir == "desc"
    if marker:
        marker_seq = (
            await conn.execute(
                select(events.c.seq).where(events.c.stack_id == stack_id, events.c.id == marker)
            )
        ).scalar_one_or_none()
        if marker_seq is not None:
            conditions.append(
                events.c.seq < marker_seq if descending else events.c.seq > marker_seq
            )
    query = select(events).where(*conditions)
    query = query.order_by(events.c.seq.desc() if descending else events.c.seq.asc())
    if limit is not None:
        query = query.limit(limit)
    return list((await conn.execute(query)).all())


async def get_event(conn: AsyncConnection, stack_id: str, event_id: str) -> Row[Any] | None:
    result = await conn.execute(
        select(events).where(events.c.stack_id == stack_id, events.c.id == event_id)
    )
    return result.first()


async def list_snapshots(conn: AsyncConnection, stack_id: str) -> list[Row[Any]]:
    result = await conn.execute(
        select(snapshots)
        .where(snapshots.c.stack_id == stack_id, snapshots.c.deleted.is_(False))
        .order_by(snapshots.c.creation_time)
    )
    return list(result.all())


async def get_snapshot(conn: AsyncConnection, stack_id: str, snapshot_id: str) -> Row[Any] | None:
    result = await conn.execute(
        select(snapshots).where(
            snapshots.c.stack_id == stack_id,
            snapshots.c.id == snapshot_id,
            snapshots.c.deleted.is_(False),
        )
    )
    return result.first()
