"""Export and abandon: the stack's data as upstream's abandon body, with or without the stack."""

from __future__ import annotations

from aiohttp import web

from api.context import ENGINE
from api.responses import json_response
from api.routes.lookup import load_stack
from workflows.stack_data import stack_data


async def export_stack(request: web.Request) -> web.Response:
    row = await load_stack(request)
    state = await request.app[ENGINE].state(row.project_id, row.name)
    return json_response(stack_data(state))


async def abandon_stack(request: web.Request) -> web.Response:
    """Delete the stack but leave its resources, and answer with what it held."""
    row = await load_stack(request)
    engine = request.app[ENGINE]
    state = await engine.state(row.project_id, row.name)
    await engine.operate(row.project_id, row.name, row.id, "delete", abandon=True)
    # Nothing is deleted, so this is quick; answering once it is over lets the caller adopt
    # the data under the same name at once.
    await engine.wait_closed(row.project_id, row.name, timeout_secs=30)
    return json_response(stack_data(state))
