"""Stack routes: create, list, show, delete, template, environment, files, outputs, validate."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from aiohttp import web

from api import queries
from api.bodies import bool_param, int_param, json_body, query_list
from api.cloud_checks import check_parameter_constraints
from api.context import DB, ENGINE, SETTINGS, request_context
from api.definition import build_stack_state, validation_report
from api.errors import bad_request, not_found
from api.group_checks import check_group_members
from api.limits import check_new_stack
from api.links import base_url, stack_links, stack_url, tenant_url
from api.responses import json_response
from api.routes.lookup import load_stack
from api.security import create_guarded
from api.service_catalog import catalog_types
from api.views import output_body, stack_detail
from listings.summary import with_base_url
from workflows.types import OperationKind


async def create_stack(request: web.Request) -> web.Response:
    ctx = request_context(request)
    body = await json_body(request)
    catalog = await catalog_types(request)
    state = build_stack_state(body, ctx.project_id, ctx.user_name, str(uuid.uuid4()), catalog)
    check_new_stack(state, request.app[SETTINGS])
    check_group_members(state)
    state.api_endpoint = tenant_url(request, ctx.project_id)
    state.signal_secret = secrets.token_hex(32)
    await check_parameter_constraints(state)
    kind: OperationKind = (
        "adopt" if state.adopt_data or body.get("adopt_stack_data") is not None else "create"
    )
    await create_guarded(request, ctx, state, lambda: request.app[ENGINE].create(state, kind))
    location = stack_url(request, ctx.project_id, state.stack_name, state.stack_id)
    return json_response(
        {
            "stack": {
                "id": state.stack_id,
                "links": stack_links(request, ctx.project_id, state.stack_name, state.stack_id),
            }
        },
        status=201,
        headers={"Location": location},
    )


def _stack_filters(request: web.Request) -> queries.StackFilters:
    q = request.query
    return queries.StackFilters(
        ids=query_list(request, "id"),
        names=query_list(request, "name") + query_list(request, "stack_name"),
        statuses=query_list(request, "status") + query_list(request, "stack_status"),
        actions=query_list(request, "action"),
        tags=query_list(request, "tags"),
        tags_any=query_list(request, "tags_any"),
        not_tags=query_list(request, "not_tags"),
        not_tags_any=query_list(request, "not_tags_any"),
        show_deleted=bool_param("show_deleted", q.get("show_deleted")),
        show_nested=bool_param("show_nested", q.get("show_nested")),
    )


async def list_stacks(request: web.Request, detail: bool = False) -> web.Response:
    ctx = request_context(request)
    q = request.query
    sort_keys = query_list(request, "sort_keys")
    for key in sort_keys:
        if key not in queries.STACK_SORT_KEYS:
            raise bad_request(f"Sort key {key} is not supported", "HTTPBadRequest")
    sort_dir = q.get("sort_dir", "desc")
    if sort_dir not in ("asc", "desc"):
        raise bad_request("Unknown sort direction, must be one of: asc, desc")
    limit = int_param("limit", q.get("limit"))
    settings = request.app[SETTINGS]
    if limit is None or limit > settings.max_stacks_per_page:
        limit = settings.max_stacks_per_page
    filters = _stack_filters(request)
    with_count = bool_param("with_count", q.get("with_count"))
    # global_tenant lists every project's stacks; the keystone policy has allowed it by now
    # (stacks:global_index). With noauth it is ignored, as every URL's project is trusted.
    everywhere = ctx.identity is not None and bool_param("global_tenant", q.get("global_tenant"))
    project = None if everywhere else ctx.project_id
    async with request.app[DB].connect() as conn:
        rows = await queries.list_stacks(
            conn, project, filters, sort_keys, sort_dir, limit, q.get("marker")
        )
        count = await queries.count_stacks(conn, project, filters) if with_count else None
        if detail:
            full = [await queries.get_stack(conn, ctx.project_id, r.id) for r in rows]
    if detail:
        stacks = [stack_detail(request, r, resolve_outputs=False) for r in full if r is not None]
        body: dict[str, Any] = {"stacks": stacks}
        if count is not None:
            body["count"] = count
        return json_response(body)
    # The entries were rendered when the stacks changed: listing joins them.
    text = '{"stacks": [' + ", ".join(r.summary for r in rows) + "]"
    if count is not None:
        text += f', "count": {count}'
    text = with_base_url(text + "}", base_url(request))
    return web.Response(body=text.encode(), headers={"Content-Type": "application/json"})


async def list_stacks_detail(request: web.Request) -> web.Response:
    return await list_stacks(request, detail=True)


async def show_stack(request: web.Request) -> web.Response:
    row = await load_stack(request)
    resolve = bool_param("resolve_outputs", request.query.get("resolve_outputs"), default=True)
    return json_response({"stack": stack_detail(request, row, resolve_outputs=resolve)})


async def delete_stack(request: web.Request) -> web.Response:
    row = await load_stack(request)
    if row.action == "DELETE" and row.status == "COMPLETE":
        raise not_found(f"The Stack ({row.name}) could not be found.")
    await request.app[ENGINE].operate(row.project_id, row.name, row.id, "delete")
    return web.Response(status=204)


async def show_template(request: web.Request) -> web.Response:
    row = await load_stack(request)
    return json_response(row.template)


async def show_environment(request: web.Request) -> web.Response:
    row = await load_stack(request)
    return json_response(row.environment)


async def show_files(request: web.Request) -> web.Response:
    row = await load_stack(request)
    return json_response(row.files)


async def list_outputs(request: web.Request) -> web.Response:
    row = await load_stack(request)
    return json_response({"outputs": [output_body(o, with_value=False) for o in row.outputs]})


async def show_output(request: web.Request) -> web.Response:
    row = await load_stack(request)
    key = request.match_info["output_key"]
    for output in row.outputs:
        if output["output_key"] == key:
            return json_response({"output": output_body(output)})
    raise not_found(f"Specified output key {key} not found.", "NotFound")


async def validate_template(request: web.Request) -> web.Response:
    body = await json_body(request)
    catalog = await catalog_types(request)
    return json_response(validation_report(body, request.query, catalog))
