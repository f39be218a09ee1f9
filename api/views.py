"""Renders listing rows as Heat's JSON bodies, field for field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from api.links import stack_links, stack_url
from listings.summary import heat_time
from workflows.rendering import outputs_in_progress, parameters_for_display
from workflows.types import StackState

_NO_DESCRIPTION = "No description given"


def stack_detail(request: web.Request, row: Any, resolve_outputs: bool = True) -> dict[str, Any]:
    """A stack as GET /stacks/{name}/{id} shows it."""
    body: dict[str, Any] = {
        "stack_name": row.name,
        "id": row.id,
        "links": stack_links(request, row.project_id, row.name, row.id),
        "creation_time": heat_time(row.creation_time),
        "updated_time": heat_time(row.updated_time),
        "deletion_time": heat_time(row.deletion_time),
        "notification_topics": [],
        "parameters": row.parameters,
        "description": row.description,
        "template_description": row.description,
        "capabilities": [],
        "disable_rollback": row.disable_rollback,
        "timeout_mins": row.timeout_mins,
        "stack_owner": row.owner,
        "parent": row.parent_id,
        "stack_user_project_id": row.project_id,
        "tags": row.tags or [],
        "stack_status": f"{row.action}_{row.status}",
        "stack_status_reason": row.status_reason,
    }
    if resolve_outputs and not (row.action == "DELETE" and row.status == "COMPLETE"):
        body["outputs"] = [output_body(o) for o in row.outputs]
    return body


def output_body(output: dict[str, Any], with_value: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "output_key": output["output_key"],
        "description": output.get("description") or _NO_DESCRIPTION,
    }
    if with_value:
        body["output_value"] = output.get("output_value")
        if output.get("output_error"):
            body["output_error"] = output["output_error"]
    return body


def resource_body(
    request: web.Request, stack: Any, row: Any, detail: bool = False
) -> dict[str, Any]:
    base = stack_url(request, stack.project_id, stack.name, stack.id)
    body: dict[str, Any] = {
        "updated_time": heat_time(row.updated_time),
        "creation_time": heat_time(row.creation_time),
        "logical_resource_id": row.name,
        "resource_name": row.name,
        "physical_resource_id": row.physical_id,
        "resource_status": f"{row.action}_{row.status}",
        "resource_status_reason": row.status_reason,
        "resource_type": row.type,
        "links": [
            {"href": f"{base}/resources/{row.name}", "rel": "self"},
            {"href": base, "rel": "stack"},
        ],
        "required_by": row.required_by,
    }
    if detail:
        body["description"] = row.description
        body["attributes"] = row.attributes
    return body


def event_body(request: web.Request, stack: Any, row: Any, detail: bool = False) -> dict[str, Any]:
    base = stack_url(request, stack.project_id, stack.name, stack.id)
    resource_url = f"{base}/resources/{row.resource_name}"
    body: dict[str, Any] = {
        "id": row.id,
        "links": [
            {"href": f"{resource_url}/events/{row.id}", "rel": "self"},
            {"href": resource_url, "rel": "resource"},
            {"href": base, "rel": "stack"},
        ],
        "event_time": heat_time(row.event_time),
        "logical_resource_id": row.resource_name,
        "resource_name": row.resource_name,
        "physical_resource_id": row.physical_resource_id,
        "resource_status": f"{row.action}_{row.status}",
        "resource_status_reason": row.status_reason,
    }
    if detail:
        body["resource_type"] = row.resource_type
        body["resource_properties"] = row.resource_properties
    return body


def stack_detail_from_state(request: web.Request, state: StackState) -> dict[str, Any]:
    """A stack not stored anywhere (a create preview), shaped as stack show shapes one."""
    return {
        "stack_name": state.stack_name,
        "id": state.stack_id,
        "links": stack_links(request, state.project_id, state.stack_name, state.stack_id),
        "creation_time": heat_time(state.creation_time or datetime.now(UTC)),
        "updated_time": None,
        "deletion_time": None,
        "notification_topics": [],
        "parameters": parameters_for_display(state),
        "description": str(state.template.get("description") or ""),
        "template_description": str(state.template.get("description") or ""),
        "capabilities": [],
        "disable_rollback": state.disable_rollback,
        "timeout_mins": state.timeout_mins,
        "stack_owner": state.owner,
        "parent": None,
        "stack_user_project_id": None,
        "tags": state.tags or [],
        "outputs": [output_body(o) for o in outputs_in_progress(state.template)],
    }
