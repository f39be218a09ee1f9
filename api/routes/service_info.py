"""Version discovery, build info and the resource type catalogue."""

from __future__ import annotations

from aiohttp import web

from activities.resources.registry import type_names, type_schema
from api.errors import not_found
from api.links import base_url
from api.responses import json_response


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
    return json_response({"resource_types": type_names()})


async def show_resource_type(request: web.Request) -> web.Response:
    name = request.match_info["type_name"]
    schema = type_schema(name)
    if schema is None:
        raise not_found(f"The Resource Type ({name}) could not be found.", "EntityNotFound")
    return json_response(schema.to_api(name))
