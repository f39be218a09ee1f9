"""Stack snapshots: take, list, show, delete and restore."""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp import web

from api import queries
from api.bodies import json_body
from api.context import DB, ENGINE
from api.errors import not_found
from api.responses import json_response
from api.routes.lookup import load_stack
from listings.summary import heat_time

_ACCEPTED = {
    "code": "202 Accepted",
    "message": "The request is accepted for processing.<br /><br />\n\n\n",
    "title": "Accepted",
}


def _snapshot_body(row: Any, with_action: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {"id": row.id, "name": row.name}
    if with_action:
        body["action"] = "CREATE"
    body.update(
        status=row.status,
        status_reason=row.status_reason,
        creation_time=heat_time(row.creation_time),
        data=row.data,
    )
    return body


async def _load_snapshot(request: web.Request, stack: Any) -> Any:
    snapshot_id = request.match_info["snapshot_id"]
    async with request.app[DB].connect() as conn:
        row = await queries.get_snapshot(conn, stack.id, snapshot_id)
    if row is None:
        raise not_found(f"The Snapshot ({snapshot_id}) could not be found.")
    return row


async def create_snapshot(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    body = await json_body(request)
    snapshot_id = str(uuid.uuid4())
    await request.app[ENGINE].operate(
        stack.project_id,
        stack.name,
        stack.id,
        "snapshot",
        snapshot_id=snapshot_id,
        snapshot_name=body.get("name"),
    )
    async with request.app[DB].connect() as conn:
        row = await queries.get_snapshot(conn, stack.id, snapshot_id)
    assert row is not None  # the engine wrote it before accepting
    return json_response(_snapshot_body(row))


async def list_snapshots(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    async with request.app[DB].connect() as conn:
        rows = await queries.list_snapshots(conn, stack.id)
    return json_response({"snapshots": [_snapshot_body(r, with_action=False) for r in rows]})


async def show_snapshot(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    return json_response({"snapshot": _snapshot_body(await _load_snapshot(request, stack))})


async def delete_snapshot(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    row = await _load_snapshot(request, stack)
    await request.app[ENGINE].delete_snapshot(stack.project_id, stack.name, row.id)
    return web.Response(status=204)


async def restore_snapshot(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    row = await _load_snapshot(request, stack)
    await request.app[ENGINE].operate(
        stack.project_id, stack.name, stack.id, "restore", snapshot_id=row.id
    )
    return json_response(_ACCEPTED, status=202)
