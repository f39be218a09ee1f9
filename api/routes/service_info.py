"""Version discovery, build info and the resource type catalogue."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from activities.resources.registry import type_names, type_schema
from activities.resources.services import is_upstream_only, service_of, unavailable_reason
from api.bodies import bool_param
from api.context import RequestContext, request_context
from api.errors import bad_request, not_found
from api.links import base_url
from api.policy import PolicyForbidden
from api.responses import json_response
from api.security import enforce_resource_types
from api.service_catalog import catalog_types
from templates.schema import SUPPORT_STATUSES, ResourceTypeSchema


async def versions(request: web.Request) -> web.Response:
    body = {
        "versions": [
            {
                "id": "v1.0",
                "status": "CURRENT",
                "links": [{"rel": "self", "href": f"{base_url(request)}/v1/"}],
            }
        ]
    }
    return json_response(body, status=300)


async def build_info(request: web.Request) -> web.Response:
    return json_response({"api": {"revision": "unknown"}, "engine": {"revision": "unknown"}})


async def list_resource_types(request: web.Request) -> web.Response:
    """GET /resource_types with upstream's filters (name regex, version, support_status)."""
    query = request.query
    support_status = query.get("support_status")
    if support_status is not None and support_status not in SUPPORT_STATUSES:
        raise bad_request(
            "Data supplied was not valid: Invalid support status and should be one of "
            f"{SUPPORT_STATUSES}",
            "Invalid",
        )
    name_exp = None
    if query.get("name") is not None:
        try:
            name_exp = re.compile(query["name"])
        except re.error:
            return json_response({"resource_types": []})
    version = query.get("version")
    with_description = bool_param("with_description", query.get("with_description"))
    ctx = request_context(request)
    catalog = await catalog_types(request)
    listed: list[Any] = []
    for name in type_names():
        schema = type_schema(name)
        if schema is None or schema.support_status.status == "HIDDEN":
            continue
        if unavailable_reason(name, catalog) is not None:
            # Upstream lists only the types whose service is in the caller's catalog.
            continue
        if not _allowed(request, ctx, name):
            # A type the caller may not use is not listed (upstream checks its policy rule).
            continue
        if name_exp is not None and not name_exp.match(name):
            continue
        if version is not None and schema.support_status.version != version:
            continue
        if support_status is not None and schema.support_status.status != support_status:
            continue
        listed.append(
            {"resource_type": name, "description": schema.description} if with_description else name
        )
    return json_response({"resource_types": listed})


def _allowed(request: web.Request, ctx: RequestContext, type_name: str) -> bool:
    try:
        enforce_resource_types(request, ctx, {type_name})
    except PolicyForbidden:
        return False
    return True


def shown_schema(request: web.Request, name: str) -> ResourceTypeSchema:
    """The schema GET /resource_types/{type}/template shows, refused as upstream's
    generate_template refuses: the type's policy rule, an unknown type, a hidden one."""
    enforce_resource_types(request, request_context(request), {name})
    schema = type_schema(name)
    if schema is None:
        raise not_found(f"The Resource Type ({name}) could not be found.", "EntityNotFound")
    if schema.support_status.status == "HIDDEN":
        raise bad_request(f"{name} is not supported.", "NotSupported")
    return schema


async def show_resource_type(request: web.Request) -> web.Response:
    """GET /resource_types/{type}: as upstream's resource_schema, which after the template's
    refusals also refuses a type whose service is not in the caller's catalog."""
    name = request.match_info["type_name"]
    if not is_upstream_only(name):
        schema = shown_schema(request, name)
    else:
        enforce_resource_types(request, request_context(request), {name})
    service = service_of(name)
    if service is not None and unavailable_reason(name, await catalog_types(request)):
        raise bad_request(
            f"HEAT-E99001 Service {service.name} is not available for resource type {name}, "
            "reason: Service endpoint not in service catalog.",
            "ResourceTypeUnavailable",
        )
    if is_upstream_only(name):
        # Upstream has it (its service is here); we do not implement it.
        raise not_found(f"The Resource Type ({name}) could not be found.", "EntityNotFound")
    return json_response(schema.to_api(name))
