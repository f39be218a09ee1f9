"""Resource and event routes of a stack."""

from __future__ import annotations

import json

from aiohttp import web

from api import queries
from api.bodies import bool_param, int_param, json_body, query_list
from api.context import DB, ENGINE, HANDLE_TOKEN
from api.errors import bad_request, not_found
from api.links import stack_url
from api.responses import json_response
from api.routes.lookup import load_stack
from api.views import event_body, resource_body
from listings import software


def _resource_not_found(name: str, stack_name: str) -> Exception:
    return not_found(
        f"The Resource ({name}) could not be found in Stack {stack_name}.", "ResourceNotFound"
    )


async def list_resources(request: web.Request) -> web.Response:
    """GET .../resources, with nested_depth: the resources of nested stacks too, each with
    its `parent_resource`, as upstream lists them."""
    stack = await load_stack(request)
    detail = bool_param("with_detail", request.query.get("with_detail"))
    depth = int_param("nested_depth", request.query.get("nested_depth")) or 0
    names = set(query_list(request, "name"))
    types = set(query_list(request, "type"))
    statuses = set(query_list(request, "status"))
    ids = set(query_list(request, "id"))
    async with request.app[DB].connect() as conn:
        listed = [(stack, None, await queries.list_resources(conn, stack.id))]
        parents = {stack.id: listed[0][2]}
        # One level more than listed: a listed resource's own nested stack gets a link.
        found = await queries.nested_stacks(conn, stack.project_id, stack.id, depth + 1)
        links_only = [nested for level, nested in found if level > depth]
        for _, nested in [(level, n) for level, n in found if level <= depth]:
            rows = await queries.list_resources(conn, nested.id)
            parents[nested.id] = rows
            owner = next(
                (r.name for r in parents.get(nested.parent_id, []) if r.physical_id == nested.id),
                None,
            )
            listed.append((nested, owner, rows))
    nested_by_id = {nested.id: nested for nested, _, _ in listed[1:]}
    nested_by_id.update({nested.id: nested for nested in links_only})
    bodies = []
    for owner_stack, parent_resource, rows in listed:
        for row in rows:
            if names and row.name not in names:
                continue
            if types and row.type not in types:
                continue
            if (
                statuses
                and row.status not in statuses
                and f"{row.action}_{row.status}" not in statuses
            ):
                continue
            if ids and row.physical_id not in ids:
                continue
            body = resource_body(request, owner_stack, row, detail)
            if parent_resource is not None:
                body["parent_resource"] = parent_resource
            inner = nested_by_id.get(row.physical_id)
            if inner is not None:
                body["links"].append(
                    {
                        "href": stack_url(request, inner.project_id, inner.name, inner.id),
                        "rel": "nested",
                    }
                )
            bodies.append(body)
    return json_response({"resources": bodies})


async def show_resource(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    name = request.match_info["resource_name"]
    async with request.app[DB].connect() as conn:
        row = await queries.get_resource(conn, stack.id, name)
        if row is None:
            raise _resource_not_found(name, stack.name)
        inner = (
            await queries.get_stack(conn, stack.project_id, row.physical_id)
            if row.physical_id
            else None
        )
        # Inside a nested stack upstream names the parent stack's resource it implements.
        parent_resource = (
            next(
                (
                    r.name
                    for r in await queries.list_resources(conn, stack.parent_id)
                    if r.physical_id == stack.id
                ),
                None,
            )
            if stack.parent_id
            else None
        )
    body = resource_body(request, stack, row, detail=True)
    if parent_resource is not None:
        body["parent_resource"] = parent_resource
    if inner is not None and inner.parent_id == stack.id:
        # The resource is a nested stack: clients follow this link (hook clear by path).
        body["links"].append(
            {"href": stack_url(request, inner.project_id, inner.name, inner.id), "rel": "nested"}
        )
    return json_response({"resource": body})


# Servers whose metadata carries their software deployments, as upstream's Server does.
SERVER_TYPES = ("OS::Nova::Server",)


async def resource_metadata(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    name = request.match_info["resource_name"]
    async with request.app[DB].connect() as conn:
        row = await queries.get_resource(conn, stack.id, name)
        if row is None:
            raise _resource_not_found(name, stack.name)
        metadata = dict(row.metadata)
        if row.type in SERVER_TYPES and row.physical_id:
            # Upstream keeps a server's deployments in its resource metadata (what
            # os-collect-config polls); ours are rows of their own, read here.
            deployments = await software.server_metadata(conn, stack.project_id, row.physical_id)
            software_config = (row.properties or {}).get("user_data_format") == "SOFTWARE_CONFIG"
            if deployments or software_config:
                metadata["deployments"] = deployments
    return json_response({"metadata": metadata})


async def list_events(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    q = request.query
    resource_name = request.match_info.get("resource_name")
    sort_dir = q.get("sort_dir", "desc")
    if sort_dir not in ("asc", "desc"):
        raise bad_request("Unknown sort direction, must be one of: asc, desc")
    filters = queries.EventFilters(
        resource_names=[resource_name] if resource_name else query_list(request, "resource_name"),
        resource_actions=query_list(request, "resource_action"),
        resource_statuses=query_list(request, "resource_status"),
        resource_types=query_list(request, "resource_type"),
    )
    async with request.app[DB].connect() as conn:
        if (
            resource_name
            and resource_name != stack.name
            and await queries.get_resource(conn, stack.id, resource_name) is None
            # Events of removed resources stay visible, as upstream keeps them.
            and not await queries.list_events(conn, stack.id, filters, sort_dir, 1, None)
        ):
            raise _resource_not_found(resource_name, stack.name)
        depth = int_param("nested_depth", q.get("nested_depth")) or 0
        limit = int_param("limit", q.get("limit"))
        if not depth:
            rows = await queries.list_events(
                conn, stack.id, filters, sort_dir, limit, q.get("marker")
            )
            return json_response({"events": [event_body(request, stack, r) for r in rows]})
        # With nested_depth: the nested stacks' events too, merged in time order, each
        # linked to its own stack and carrying the root stack's id, as upstream shows them.
        owners = [stack] + [
            nested
            for _, nested in await queries.nested_stacks(conn, stack.project_id, stack.id, depth)
        ]
        merged = [
            (owner, row)
            for owner in owners
            for row in await queries.list_events(conn, owner.id, filters, sort_dir, None, None)
        ]
    merged.sort(key=lambda pair: (pair[1].event_time, pair[1].seq), reverse=sort_dir == "desc")
    marker = q.get("marker")
    if marker:
        position = next((i for i, (_, row) in enumerate(merged) if row.id == marker), None)
        if position is not None:
            merged = merged[position + 1 :]
    if limit is not None:
        merged = merged[:limit]
    bodies = []
    root_url = stack_url(request, stack.project_id, stack.name, stack.id)
    root_identity = {
        "stack_name": stack.name,
        "stack_id": stack.id,
        "tenant": stack.project_id,
        "path": "",
    }
    for owner, row in merged:
        # As upstream: each event links to the root stack (heatclient then trusts the
        # server's nested listing) and carries the root's identity.
        body = event_body(request, owner, row)
        body["links"].append({"href": root_url, "rel": "root_stack"})
        body["root_stack_id"] = root_identity
        bodies.append(body)
    return json_response({"events": bodies})


async def show_event(request: web.Request) -> web.Response:
    stack = await load_stack(request)
    event_id = request.match_info["event_id"]
    async with request.app[DB].connect() as conn:
        row = await queries.get_event(conn, stack.id, event_id)
    if row is None or row.resource_name != request.match_info["resource_name"]:
        raise not_found(f"The Event ({event_id}) could not be found.")
    return json_response({"event": event_body(request, stack, row, detail=True)})


async def signal_resource(request: web.Request) -> web.Response:
    """POST (or PUT, as cfn-signal sends it) .../resources/{name}/signal: the body (any JSON,
    or none) goes to the resource. A `token` in the query is a wait handle's own credential,
    which the stack checks."""
    stack = await load_stack(request)
    details: object = None
    if request.can_read_body:
        text = await request.text()
        if text.strip():
            try:
                details = json.loads(text)
            except ValueError as error:
                raise bad_request(f"The signal body is not valid JSON: {error}") from error
    await request.app[ENGINE].signal_resource(
        stack.project_id,
        stack.name,
        stack.id,
        request.match_info["resource_name"],
        details,
        # The handle's token: in the URL (a signed URL), or as X-Auth-Token when Keystone
        # did not know it (api/auth.py).
        request.query.get("token") or request.get(HANDLE_TOKEN),
    )
    return web.Response(status=200)


async def mark_unhealthy(request: web.Request) -> web.Response:
    """PATCH .../resources/{name or physical id}: mark_unhealthy and resource_status_reason."""
    stack = await load_stack(request)
    body = await json_body(request)
    if not isinstance(body, dict) or "mark_unhealthy" not in body:
        raise bad_request("Missing required parameter: mark_unhealthy")
    unhealthy = body["mark_unhealthy"]
    if not isinstance(unhealthy, bool):
        try:
            unhealthy = bool_param("mark_unhealthy", unhealthy)
        except Exception as error:
            raise bad_request(f"Unrecognized value '{unhealthy}' for mark_unhealthy") from error
    reason = body.get("resource_status_reason") or ""
    if not isinstance(reason, str):
        raise bad_request("resource_status_reason must be a string.")
    await request.app[ENGINE].mark_resource(
        stack.project_id,
        stack.name,
        stack.id,
        request.match_info["resource_name"],
        unhealthy,
        reason,
    )
    return web.Response(status=200)
