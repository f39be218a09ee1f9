"""GET .../events?watch=true: a stack's events as server-sent events, live, to its operation's end.

Each event is sent as it reaches the listings (`event: event`, data = Heat's event body, id = the
event id, so a reconnecting client resumes with Last-Event-ID). When the stack is no longer
IN_PROGRESS and every event is sent, a final `event: stack` carries its status and the stream
ends. It reads the listings, not the engine, so any API replica can serve it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from aiohttp import web

from api import queries
from api.bodies import bool_param
from api.context import DB
from api.routes import resources
from api.routes.lookup import load_stack
from api.views import event_body

POLL_SECS = 0.5
# A comment line now and then keeps proxies from closing a quiet stream.
KEEPALIVE_SECS = 15.0


async def list_or_watch_events(request: web.Request) -> web.StreamResponse:
    if bool_param("watch", request.query.get("watch")):
        return await watch_events(request)
    return await resources.list_events(request)


def _sse(event: str, data: Any, event_id: str | None = None) -> bytes:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"data: {json.dumps(data)}")
    return ("\n".join(lines) + "\n\n").encode()


async def watch_events(request: web.Request) -> web.StreamResponse:
    stack = await load_stack(request)
    marker = request.headers.get("Last-Event-ID") or request.query.get("marker")
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    # A client that goes away leaves nothing to finish.
    with contextlib.suppress(ConnectionResetError):
        await _stream(request, response, stack, marker)
    return response


async def _stream(
    request: web.Request, response: web.StreamResponse, stack: Any, marker: str | None
) -> None:
    db = request.app[DB]
    last_write = time.monotonic()
    while True:
        async with db.connect() as conn:
            # Status first, then events: a stack seen finished has all its events written
            # (the final status and the final event land in one projection batch).
            row = await queries.get_stack(conn, stack.project_id, stack.id)
            rows = await queries.list_events(
                conn, stack.id, queries.EventFilters(), "asc", None, marker
            )
        for event in rows:
            await response.write(_sse("event", event_body(request, stack, event), event.id))
            marker = event.id
            last_write = time.monotonic()
        if row is None or row.status != "IN_PROGRESS":
            final = {
                "id": stack.id,
                "stack_name": stack.name,
                "stack_status": f"{row.action}_{row.status}" if row else "DELETE_COMPLETE",
                "stack_status_reason": row.status_reason if row else "",
            }
            await response.write(_sse("stack", final))
            break
        if time.monotonic() - last_write > KEEPALIVE_SECS:
            await response.write(b": keepalive\n\n")
            last_write = time.monotonic()
        await asyncio.sleep(POLL_SECS)
    await response.write_eof()
