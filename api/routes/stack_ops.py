"""Stack operations beyond create and delete: update (PUT/PATCH), previews, and actions."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from activities.resources.registry import runs_in_workflow, type_schema
from api.bodies import bool_param, json_body
from api.cloud_checks import check_parameter_constraints, check_update_constraints
from api.context import ENGINE, SETTINGS, request_context
from api.definition import build_stack_state, refuse_unavailable
from api.engine import Engine
from api.errors import bad_request
from api.group_checks import check_group_members, check_update_group_members
from api.limits import check_new_stack, check_update
from api.responses import json_response
from api.routes.lookup import load_stack
from api.security import enforce_resource_types, template_types
from api.service_catalog import catalog_types
from api.update_bodies import checked_update, update_args
from api.views import heat_time, stack_detail_from_state
from templates import TemplateError, contains_unknown, validate_properties
from workflows.nested import MAX_NESTED_DEPTH, REMOTE_STACK_TYPE, child_definition, nested_state
from workflows.rendering import StackModel, required_by
from workflows.types import OperationKind, ResourceState, StackState, implementation_of
from workflows.update_plan import current_definition, new_definition, plan, with_definition

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
    types = template_types(args.template)
    enforce_resource_types(request, request_context(request), types)
    refuse_unavailable(sorted(types), await catalog_types(request))
    check_update(args, request.app[SETTINGS])
    await check_update_group_members(request.app[ENGINE], row.project_id, row.name, args)
    await check_update_constraints(request.app[ENGINE], row.project_id, row.name, args)
    await request.app[ENGINE].operate(row.project_id, row.name, row.id, "update", args)
    return json_response(_ACCEPTED, status=202)


async def preview_update(request: web.Request) -> web.Response:
    """PUT|PATCH .../preview: what the update would do, computed by the plan the update uses;
    with show_nested, what it would do inside nested stacks too."""
    row = await load_stack(request)
    args = update_args(await json_body(request), existing=request.method == "PATCH")
    show_nested = bool_param("show_nested", request.query.get("show_nested"))
    engine = request.app[ENGINE]
    state = await engine.state(row.project_id, row.name)
    definition = checked_update(state, args)
    check_group_members(with_definition(state, definition))
    await check_parameter_constraints(with_definition(state, definition))
    body: dict[str, list[dict[str, Any]]] = {change: [] for change in _CHANGES}
    await _preview(engine, state, with_definition(state, definition), body, show_nested)
    return json_response({"resource_changes": body})


_CHANGES = ("added", "updated", "replaced", "unchanged", "deleted")


async def _preview(
    engine: Engine,
    state: StackState,
    new_state: StackState,
    body: dict[str, list[dict[str, Any]]],
    show_nested: bool,
) -> None:
    changes = plan(state, current_definition(new_state))
    new_required_by = required_by(new_state)
    old_required_by = required_by(state)
    for change, names in changes.items():
        for name in names:
            if change in ("added", "replaced"):
                # Upstream shows the resource the update would make...
                resource = ResourceState(name=name, type=_type_of(new_state, name))
                required = new_required_by.get(name, [])
            else:
                # ...and the current one for what it keeps, changes or deletes.
                resource = state.resources[name]
                required = old_required_by.get(name, [])
            body[change].append(_preview_resource(state, resource, required))
    if not show_nested:
        return
    model = StackModel(new_state)
    for name in changes["updated"]:
        resource = state.resources[name]
        nested_name = str(resource.data.get("stack_name") or "")
        if not runs_in_workflow(implementation_of(resource)) or not nested_name:
            continue
        try:
            properties = model.validated_properties(
                name, model.resource_properties(name), type_schema(implementation_of(resource))
            )
            child = child_definition(new_state, resource.model_copy(deep=True), properties, model)
            nested = await engine.state(state.project_id, nested_name)
            nested_new = with_definition(nested, new_definition(nested, child))
        except TemplateError:
            # Known only once the update runs (a value from another resource).
            continue
        await _preview(engine, nested, nested_new, body, show_nested)
    # What goes with a nested stack that is deleted (or replaced): all it holds, all the way
    # down.
    for name in changes["deleted"] + changes["replaced"]:
        await _all_deleted(engine, state, state.resources[name], body)


async def _all_deleted(
    engine: Engine,
    state: StackState,
    resource: ResourceState,
    body: dict[str, list[dict[str, Any]]],
) -> None:
    nested_name = str(resource.data.get("stack_name") or "")
    if not runs_in_workflow(implementation_of(resource)) or not nested_name:
        return
    nested = await engine.state(state.project_id, nested_name)
    nested_required_by = required_by(nested)
    for inner in nested.resources.values():
        body["deleted"].append(
            _preview_resource(nested, inner, nested_required_by.get(inner.name, []))
        )
        await _all_deleted(engine, nested, inner, body)


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
    if state.parent_resource:
        # Upstream names the parent stack's resource for what is inside a nested stack.
        body["parent_resource"] = state.parent_resource
    if properties is not None:
        body["properties"] = properties
    return body


async def preview_create(request: web.Request) -> web.Response:
    """POST /stacks/preview: the stack and the resources a create would make; nothing changes."""
    ctx = request_context(request)
    body = await json_body(request)
    catalog = await catalog_types(request)
    state = build_stack_state(body, ctx.project_id, ctx.user_name, "None", catalog)
    enforce_resource_types(request, ctx, {r.type for r in state.resources.values()})
    check_new_stack(state, request.app[SETTINGS])
    check_group_members(state)
    await check_parameter_constraints(state)
    resources = _preview_resources(state)
    body = stack_detail_from_state(request, state)
    body["resources"] = resources
    return json_response({"stack": body})


def _preview_resources(state: StackState) -> list[Any]:
    """What a create would make, as upstream's preview_resources: a nested stack's resource
    (a provider template, a group, a chain) is the list of the resources of its stack, made
    from its child definition, all the way down."""
    model = StackModel(state)
    required = required_by(state)
    resources: list[Any] = []
    for name, resource in state.resources.items():
        nested = _preview_nested(state, model, resource)
        if nested is not None:
            resources.append(_preview_resources(nested))
            continue
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
    return resources


class _NamesAsIds:
    """Before anything is made, upstream's get_resource gives the resource's name and
    get_attr nothing: what a nested stack's parameters are in a preview."""

    def physical_id(self, name: str) -> str | None:
        return name

    def attribute(self, name: str, attr: str) -> Any:
        return None

    def attributes(self, name: str) -> dict[str, Any]:
        return {}


def _preview_nested(
    state: StackState, model: StackModel, resource: ResourceState
) -> StackState | None:
    """The stack a nested resource would make, named `<stack>-<resource>` as upstream's
    StackResource.preview names it; None for any other resource, or when its definition
    cannot be had before the create (upstream then previews the resource itself)."""
    implementation = implementation_of(resource)
    if (
        not runs_in_workflow(implementation)
        or implementation == REMOTE_STACK_TYPE
        or state.nested_depth >= MAX_NESTED_DEPTH
    ):
        return None
    try:
        properties = model.definition.resolve_resource(resource.name, _NamesAsIds()).properties
        properties = model.validated_properties(
            resource.name, properties, type_schema(implementation)
        )
        child = child_definition(state, resource.model_copy(deep=True), properties, model)
        name = f"{state.stack_name}-{resource.name}"
        return nested_state(state, resource.name, state.stack_id, name, child, validated=True)
    except (TemplateError, ValueError):
        return None


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
