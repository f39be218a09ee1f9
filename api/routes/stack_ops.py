"""Stack operations beyond create and delete: update (PUT/PATCH), previews, and actions."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from activities.resources.registry import type_schema
from api.bodies import json_body
from api.context import ENGINE, SETTINGS, request_context
from api.definition import build_stack_state
from api.errors import bad_request
from api.limits import check_new_stack, check_update
from api.responses import json_response
from api.routes.lookup import load_stack
from api.update_bodies import checked_update, update_args
from api.views import heat_time, stack_detail_from_state
from templates import TemplateError, contains_unknown, validate_properties
from workflows.rendering import StackModel, required_by
from workflows.types import OperationKind, ResourceState, StackState
from workflows.update_plan import plan, with_definition

_ACCEPTED = {
    "message": "The request is accepted for processing.<br /><br />\n\n\n",
    "code": "202 Accepted",
    "title": "Accepted",
}
_ACTIONS = ("suspend", "resume", "check", "cancel_update", "cancel_without_rollback")
_SIMPLE: dict[str, OperationKind] = {"suspend": "suspend", "resume": "resume", "check": "check"}


async def update_stack(request: web.Request) -> web.Response:
    """PUT replaces the definition; PATCH merges into the existing one (`existing`)."""
    row = await load_stack(request)
    args = update_args(await json_body(request), existing=request.method == "PATCH")
    check_update(args, request.app[SETTINGS])
    await request.app[ENGINE].operate(row.project_id, row.name, row.id, "update", args)
    return json_response(_ACCEPTED, status=202)


async def preview_update(request: web.Request) -> web.Response:
    row = await load_stack(request)
    args = update_args(await json_body(request), existing=request.method == "PATCH")
    state = await request.app[ENGINE].state(row.project_id, row.name)
    definition = checked_update(state, args)
    changes = plan(state, definition)
    new_state = with_definition(state, definition)
    new_required_by = required_by(new_state)
    old_required_by = required_by(state)
    body: dict[str, list[dict[str, Any]]] = {}
    for change, names in changes.items():
        entries = []
        for name in names:
            if change in ("added", "replaced"):
                # Upstream shows the resource the update would make...
                resource = ResourceState(name=name, type=_type_of(new_state, name))
                required = new_required_by.get(name, [])
            else:
                # ...and the current one for what it keeps, changes or deletes.
                resource = state.resources[name]
                required = old_required_by.get(name, [])
            entries.append(_preview_resource(state, resource, required))
        body[change] = entries
    return json_response({"resource_changes": body})


def _type_of(state: StackState, name: str) -> str:
    return str(state.template.get("resources", {}).get(name, {}).get("type", ""))


def _identity(state: StackState, path: str) -> dict[str, str]:
    return {
        "tenant": state.project_id,
        "stack_name": state.stack_name,
        "stack_id": state.stack_id,
        "path": path,
    }


def _preview_resource(
    state: StackState,
    resource: ResourceState,
    required: list[str],
    properties: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "updated_time": heat_time(resource.updated_time or resource.creation_time),
        "creation_time": heat_time(resource.creation_time),
        "resource_name": resource.name,
        "physical_resource_id": resource.physical_id,
        "resource_action": resource.action,
        "resource_status": resource.status,
        "resource_status_reason": resource.status_reason,
        "resource_type": resource.type,
        "resource_identity": _identity(state, f"/resources/{resource.name}"),
        "stack_identity": _identity(state, ""),
        "stack_name": state.stack_name,
        "required_by": required,
        "description": resource.description,
        "metadata": resource.metadata,
        "attributes": resource.attributes,
    }
    if properties is not None:
        body["properties"] = properties
    return body


async def preview_create(request: web.Request) -> web.Response:
    """POST /stacks/preview: the stack and the resources a create would make; nothing changes."""
    ctx = request_context(request)
    state = build_stack_state(await json_body(request), ctx.project_id, ctx.user_name, "None")
    check_new_stack(state, request.app[SETTINGS])
    model = StackModel(state)
    required = required_by(state)
    resources = []
    for name, resource in state.resources.items():
        schema = type_schema(resource.type)
        try:
            values = model.resource_properties(name)
            properties = (
                validate_properties(schema.properties, values, name, check_values=False)
                if schema is not None and not schema.any_properties
                else values
            )
        except TemplateError:
            properties = {}
        properties = {k: (None if contains_unknown(v) else v) for k, v in properties.items()}
        if schema is not None:
            resource.attributes = {a: None for a in schema.attributes}
        resources.append(_preview_resource(state, resource, required.get(name, []), properties))
    body = stack_detail_from_state(request, state)
    body["resources"] = resources
    return json_response({"stack": body})


async def stack_action(request: web.Request) -> web.Response:
    row = await load_stack(request)
    body = await json_body(request)
    if not body:
        raise bad_request("No action specified")
    if len(body) > 1:
        raise bad_request("Multiple actions specified")
    action = next(iter(body))
    if action not in _ACTIONS:
        raise bad_request(f"Invalid action {action} specified")
    engine = request.app[ENGINE]
    if action in ("suspend", "resume", "check"):
        await engine.operate(row.project_id, row.name, row.id, _SIMPLE[action])
    else:
        await engine.cancel(row.project_id, row.name, row.id, rollback=action == "cancel_update")
    return web.Response(status=200)
