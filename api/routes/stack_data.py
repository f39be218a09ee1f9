"""Export and abandon: the stack's data as upstream's abandon body, with or without the stack."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from activities.resources.registry import runs_in_workflow
from api.context import ENGINE
from api.engine import Engine
from api.errors import HeatError
from api.responses import json_response
from api.routes.lookup import load_stack
from workflows.stack_data import stack_data
from workflows.types import StackState, implementation_of


async def with_nested(engine: Engine, state: StackState) -> dict[str, Any]:
    """The stack's data; a resource that is a nested stack carries that stack's data in its
    place, all the way down, as upstream's StackResource.prepare_abandon."""
    data = stack_data(state)
    for name, resource in state.resources.items():
        nested_name = str(resource.data.get("stack_name") or "")
        if runs_in_workflow(implementation_of(resource)) and nested_name:
            try:
                nested = await engine.state(state.project_id, nested_name)
            except HeatError as error:
                if error.status != 404:
                    raise
                continue
            data["resources"][name] = await with_nested(engine, nested)
    return data


async def export_stack(request: web.Request) -> web.Response:
    row = await load_stack(request)
    engine = request.app[ENGINE]
    state = await engine.state(row.project_id, row.name)
    return json_response(await with_nested(engine, state))


async def abandon_stack(request: web.Request) -> web.Response:
    """Delete the stack but leave its resources, and answer with what it held."""
    row = await load_stack(request)
    engine = request.app[ENGINE]
    state = await engine.state(row.project_id, row.name)
    # Read before the abandon removes the nested stacks.
    data = await with_nested(engine, state)
    await engine.operate(row.project_id, row.name, row.id, "delete", abandon=True)
    # Nothing is deleted, so this is quick; answering once it is over lets the caller adopt
    # the data under the same name at once.
    await engine.wait_closed(row.project_id, row.name, timeout_secs=30)
    return json_response(data)
