"""The service's OpenAPI 3 document, generated from the live route table plus a table of details.

Paths and methods come from the router itself, so the document cannot miss a route; each
operation's summary, body schema, query parameters and success statuses come from OPERATIONS
below (tests/fuzz/test_openapi.py fails when a route has no entry or an entry no route).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from api.responses import json_response

JSONSchema = dict[str, Any]

_TEMPLATE: JSONSchema = {
    "oneOf": [{"type": "object"}, {"type": "string"}],
    "description": "A HOT or CFN template, as an object or as YAML/JSON text",
}
_OBJECT_OR_TEXT: JSONSchema = {"oneOf": [{"type": "object"}, {"type": "string"}]}
_TAGS: JSONSchema = {
    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    "description": "Comma-separated string or list",
}
_DEFINITION: dict[str, JSONSchema] = {
    "template": _TEMPLATE,
    "template_url": {"type": "string"},
    "parameters": {"type": "object"},
    "environment": _OBJECT_OR_TEXT,
    "environment_files": {"type": "array", "items": {"type": "string"}},
    "files": {"type": "object", "additionalProperties": {"type": "string"}},
}
CREATE_BODY: JSONSchema = {
    "type": "object",
    "required": ["stack_name"],
    "properties": {
        "stack_name": {"type": "string", "pattern": "^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$"},
        **_DEFINITION,
        "timeout_mins": {"type": "integer", "minimum": 0},
        "disable_rollback": {"type": "boolean"},
        "tags": _TAGS,
        "adopt_stack_data": _OBJECT_OR_TEXT,
    },
}
UPDATE_BODY: JSONSchema = {
    "type": "object",
    "properties": {
        **_DEFINITION,
        "timeout_mins": {"type": "integer", "minimum": 0},
        "disable_rollback": {"type": "boolean"},
        "tags": _TAGS,
        "clear_parameters": {"type": "array", "items": {"type": "string"}},
        "existing": {"type": "boolean"},
        "converge": {"type": "boolean"},
    },
}
VALIDATE_BODY: JSONSchema = {
    "type": "object",
    "properties": {**_DEFINITION, "show_nested": {"type": "boolean"}},
}
ACTION_BODY: JSONSchema = {
    "type": "object",
    "description": "Exactly one action",
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        name: {"nullable": True}
        for name in ("suspend", "resume", "check", "cancel_update", "cancel_without_rollback")
    },
    "additionalProperties": False,
}
SOFTWARE_CONFIG_BODY: JSONSchema = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "group": {"type": "string"},
        "config": {"type": "string"},
        "inputs": {"type": "array", "items": {"type": "object"}},
        "outputs": {"type": "array", "items": {"type": "object"}},
        "options": {"type": "object"},
    },
}
DEPLOYMENT_BODY: JSONSchema = {
    "type": "object",
    "required": ["server_id", "config_id"],
    "properties": {
        "server_id": {"type": "string"},
        "config_id": {"type": "string"},
        "input_values": {"type": "object"},
        "action": {"type": "string"},
        "status": {"type": "string"},
        "status_reason": {"type": "string"},
    },
}
SNAPSHOT_BODY: JSONSchema = {"type": "object", "properties": {"name": {"type": "string"}}}
ERROR_BODY: JSONSchema = {
    "type": "object",
    "required": ["code", "title", "explanation", "error"],
    "properties": {
        "code": {"type": "integer"},
        "title": {"type": "string"},
        "explanation": {"type": "string"},
        "error": {
            "type": "object",
            "required": ["type", "message", "traceback"],
            "properties": {
                "type": {"type": "string"},
                "message": {"type": "string"},
                "traceback": {"nullable": True},
            },
        },
    },
}


def _query(name: str, schema: JSONSchema, description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        **({"description": description} if description else {}),
    }


_PAGING = [
    _query("limit", {"type": "integer", "minimum": 0}),
    _query("marker", {"type": "string"}),
    _query("sort_keys", {"type": "string"}),
    _query("sort_dir", {"type": "string", "enum": ["asc", "desc"]}),
]
_STACK_FILTERS = [
    *_PAGING,
    *(
        _query(name, {"type": "string"})
        for name in ("id", "name", "status", "action", "tags", "tags_any", "not_tags")
    ),
    _query("not_tags_any", {"type": "string"}),
    _query("show_deleted", {"type": "boolean"}),
    _query("show_nested", {"type": "boolean"}),
    _query("global_tenant", {"type": "boolean"}),
    _query("with_count", {"type": "boolean"}),
]


@dataclass(frozen=True)
class Operation:
    """What the route table cannot say about one method on one path."""

    summary: str
    ok: tuple[int, ...] = (200,)
    body: JSONSchema | None = None
    query: list[dict[str, Any]] = field(default_factory=list)


S = "/v1/{tenant}/stacks/{stack_name}/{stack_id}"
_PAYLOADS: dict[str, Any] = {
    "type": "object",
    "properties": {"payloads": {"type": "array", "items": {"type": "object"}}},
}
OPERATIONS: dict[tuple[str, str], Operation] = {
    ("GET", "/"): Operation("List API versions", (300, 200)),
    ("GET", "/openapi.json"): Operation("This OpenAPI document"),
    ("GET", "/v1/{tenant}/build_info"): Operation("Show build information"),
    ("POST", "/v1/{tenant}/validate"): Operation("Validate a template", body=VALIDATE_BODY),
    ("GET", "/v1/{tenant}/resource_types"): Operation(
        "List resource types",
        query=[_query(n, {"type": "string"}) for n in ("name", "version", "support_status")]
        + [_query("with_description", {"type": "boolean"})],
    ),
    ("GET", "/v1/{tenant}/resource_types/{type_name}"): Operation("Show a resource type schema"),
    ("GET", "/v1/{tenant}/resource_types/{type_name}/template"): Operation(
        "Show a template for a resource type",
        query=[_query("template_type", {"type": "string", "enum": ["hot", "cfn"]})],
    ),
    ("GET", "/v1/{tenant}/template_versions"): Operation("List template versions"),
    ("GET", "/v1/{tenant}/template_versions/{version}/functions"): Operation(
        "List the functions of a template version",
        query=[_query("with_condition_func", {"type": "boolean"})],
    ),
    ("GET", "/v1/{tenant}/stacks"): Operation("List stacks", query=_STACK_FILTERS),
    ("POST", "/v1/{tenant}/stacks"): Operation("Create (or adopt) a stack", (201,), CREATE_BODY),
    ("POST", "/v1/{tenant}/stacks/preview"): Operation("Preview a stack", body=CREATE_BODY),
    ("GET", "/v1/{tenant}/stacks/detail"): Operation(
        "List stacks with details", query=_STACK_FILTERS
    ),
    ("GET", "/v1/{tenant}/stacks/{identity}"): Operation("Find a stack (302)", (302,)),
    ("PUT", "/v1/{tenant}/stacks/{identity}"): Operation("Find a stack (302)", (302,)),
    ("PATCH", "/v1/{tenant}/stacks/{identity}"): Operation("Find a stack (302)", (302,)),
    ("DELETE", "/v1/{tenant}/stacks/{identity}"): Operation("Find a stack (302)", (302,)),
    ("POST", "/v1/{tenant}/stacks/{identity}"): Operation("Find a stack (302)", (302,)),
    **{
        (method, "/v1/{tenant}/stacks/{arn}"): Operation(
            "Find a stack by its ARN, with any trailing path (302)", (302,)
        )
        for method in ("GET", "PUT", "PATCH", "DELETE", "POST")
    },
    ("GET", "/v1/{tenant}/stacks/{identity}/{path}"): Operation(
        "Find a stack's sub-resource (302)", (302,)
    ),
    ("POST", "/v1/{tenant}/stacks/{identity}/{path}"): Operation(
        "Find a stack's sub-resource (302)", (302,)
    ),
    ("DELETE", "/v1/{tenant}/stacks/{identity}/{path}"): Operation(
        "Find a stack's sub-resource (302)", (302,)
    ),
    ("PUT", "/v1/{tenant}/stacks/{identity}/{path}"): Operation(
        "Find a stack's sub-resource (302)", (302,)
    ),
    ("PATCH", "/v1/{tenant}/stacks/{identity}/{path}"): Operation(
        "Find a stack's sub-resource (302)", (302,)
    ),
    ("GET", S): Operation("Show a stack", query=[_query("resolve_outputs", {"type": "boolean"})]),
    ("DELETE", S): Operation("Delete a stack", (204,)),
    ("PUT", S): Operation("Update a stack (replace its definition)", (202,), UPDATE_BODY),
    ("PATCH", S): Operation("Update a stack (merge into its definition)", (202,), UPDATE_BODY),
    ("PUT", S + "/preview"): Operation("Preview an update (PUT)", body=UPDATE_BODY),
    ("PATCH", S + "/preview"): Operation("Preview an update (PATCH)", body=UPDATE_BODY),
    ("POST", S + "/actions"): Operation("Suspend, resume, check or cancel", (200,), ACTION_BODY),
    ("GET", S + "/export"): Operation("Export a stack's data"),
    ("POST", S + "/snapshots"): Operation("Snapshot a stack", body=SNAPSHOT_BODY),
    ("GET", S + "/snapshots"): Operation("List snapshots"),
    ("GET", S + "/snapshots/{snapshot_id}"): Operation("Show a snapshot"),
    ("DELETE", S + "/snapshots/{snapshot_id}"): Operation("Delete a snapshot", (204,)),
    ("POST", S + "/snapshots/{snapshot_id}/restore"): Operation("Restore a snapshot", (202,)),
    ("DELETE", S + "/abandon"): Operation("Abandon a stack"),
    ("GET", S + "/template"): Operation("Show a stack's template"),
    ("GET", S + "/environment"): Operation("Show a stack's environment"),
    ("GET", S + "/files"): Operation("Show a stack's files"),
    ("GET", S + "/outputs"): Operation("List a stack's outputs"),
    ("GET", S + "/outputs/{output_key}"): Operation("Show an output"),
    ("GET", S + "/resources"): Operation(
        "List resources",
        query=[
            _query("nested_depth", {"type": "integer", "minimum": 0}),
            _query("with_detail", {"type": "boolean"}),
            _query("type", {"type": "string"}),
            _query("name", {"type": "string"}),
            _query("status", {"type": "string"}),
        ],
    ),
    ("GET", S + "/resources/{resource_name}"): Operation(
        "Show a resource", query=[_query("with_attr", {"type": "string"})]
    ),
    ("GET", S + "/resources/{resource_name}/metadata"): Operation("Show resource metadata"),
    ("GET", S + "/events"): Operation("List events", query=_PAGING),
    ("GET", S + "/resources/{resource_name}/events"): Operation(
        "List a resource's events", query=_PAGING
    ),
    ("GET", S + "/resources/{resource_name}/events/{event_id}"): Operation("Show an event"),
    ("PATCH", S + "/resources/{resource_name}"): Operation(
        "Mark a resource unhealthy",
        body={"type": "object", "required": ["mark_unhealthy"]},
    ),
    ("POST", S + "/resources/{resource_name}/signal"): Operation(
        "Signal a resource", body={"type": "object"}
    ),
    ("PUT", S + "/resources/{resource_name}/signal"): Operation(
        "Signal a resource (as cfn-signal sends it)", body={"type": "object"}
    ),
    ("GET", S + "/workflows"): Operation("The stack's workflows in Temporal (dashboard)"),
    ("GET", "/v1/{tenant}/software_configs"): Operation("List software configs", query=_PAGING),
    ("POST", "/v1/{tenant}/software_configs"): Operation(
        "Create a software config", body=SOFTWARE_CONFIG_BODY
    ),
    ("GET", "/v1/{tenant}/software_configs/{config_id}"): Operation("Show a software config"),
    ("DELETE", "/v1/{tenant}/software_configs/{config_id}"): Operation(
        "Delete a software config", (204,)
    ),
    ("GET", "/v1/{tenant}/software_deployments"): Operation(
        "List software deployments", query=[_query("server_id", {"type": "string"})]
    ),
    ("POST", "/v1/{tenant}/software_deployments"): Operation(
        "Create a software deployment", body=DEPLOYMENT_BODY
    ),
    ("GET", "/v1/{tenant}/software_deployments/metadata/{server_id}"): Operation(
        "Show a server's deployment metadata"
    ),
    ("GET", "/v1/{tenant}/software_deployments/{deployment_id}"): Operation(
        "Show a software deployment"
    ),
    ("PUT", "/v1/{tenant}/software_deployments/{deployment_id}"): Operation(
        "Update a software deployment", body={"type": "object"}
    ),
    ("DELETE", "/v1/{tenant}/software_deployments/{deployment_id}"): Operation(
        "Delete a software deployment", (204,)
    ),
    # Operators' endpoints, outside /v1 (api/health.py, api/metrics.py, api/dashboard.py).
    ("GET", "/healthz"): Operation("Liveness probe"),
    ("GET", "/readyz"): Operation(
        "Readiness probe (503 until Temporal and SQL answer)", (200, 503)
    ),
    ("GET", "/metrics"): Operation("Prometheus metrics"),
    ("GET", "/dashboard"): Operation("The dashboard page"),
    ("GET", "/dashboard/static"): Operation("The dashboard's static files"),
    # Temporal's remote codec protocol, for the Temporal UI and CLI (api/codec_routes.py).
    ("POST", "/codec/encode"): Operation("Encode Temporal payloads", body=_PAYLOADS),
    ("POST", "/codec/decode"): Operation("Decode Temporal payloads", body=_PAYLOADS),
    ("OPTIONS", "/codec/{operation}"): Operation("CORS preflight for the codec endpoints"),
}
# Methods a catch-all route ("*") answers; the lookup routes redirect these.
_ANY_METHOD = ("GET", "PUT", "PATCH", "POST", "DELETE")
_PARAM = re.compile(r"{(\w+)}")
_STRING: JSONSchema = {"type": "string"}
# The ARN route matches only what starts with "arn:" (api/app.py).
_PATH_SCHEMAS: dict[str, JSONSchema] = {"arn": {"type": "string", "pattern": "^arn:"}}


def routes_of(app: web.Application) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves (HEAD comes with GET; "*" as each method)."""
    found: set[tuple[str, str]] = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if route.method == "HEAD":
            continue
        methods = _ANY_METHOD if route.method == "*" else (route.method,)
        found.update((method, path) for method in methods)
    return found


def document(app: web.Application) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path in sorted(routes_of(app)):
        # A route without details is still listed (the test fails on it until it has some).
        operation = OPERATIONS.get((method, path)) or Operation("Undocumented")
        paths.setdefault(path, {})[method.lower()] = _operation(method, path, operation)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "heat-temporal: OpenStack Orchestration (Heat) API v1",
            "version": "1.0",
        },
        "paths": paths,
        "components": {"schemas": {"HeatError": ERROR_BODY}},
    }


def _operation(method: str, path: str, operation: Operation) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": _PATH_SCHEMAS.get(name, _STRING)}
        for name in _PARAM.findall(path)
    ]
    parameters += operation.query
    spec: dict[str, Any] = {
        "operationId": f"{method.lower()} {path}",
        "summary": operation.summary,
        "parameters": parameters,
        "responses": {
            **{str(status): {"description": "Success"} for status in operation.ok},
            "default": {
                "description": "Heat's error body",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/HeatError"}}
                },
            },
        },
    }
    if operation.body is not None:
        spec["requestBody"] = {
            "required": method in ("POST", "PUT", "PATCH") and "required" in operation.body,
            "content": {"application/json": {"schema": operation.body}},
        }
    return spec


async def serve(request: web.Request) -> web.Response:
    """GET /openapi.json"""
    return json_response(document(request.app))
