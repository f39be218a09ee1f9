"""Template APIs: template versions and their functions, a resource type as a provider template."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.bodies import bool_param
from api.errors import HeatError, bad_request, not_found
from api.responses import json_response
from api.routes.service_info import shown_schema
from templates import ALL_VERSIONS
from templates.function_registry import description
from templates.resource_template import UnrepresentableType, resource_to_template


async def list_template_versions(request: web.Request) -> web.Response:
    versions: list[dict[str, Any]] = []
    by_class: dict[str, dict[str, Any]] = {}
    for version in ALL_VERSIONS.values():
        entry = by_class.get(version.class_name)
        if entry is None:
            entry = {
                "version": version.id,
                "type": "hot" if version.is_hot else "cfn",
                "aliases": [],
            }
            by_class[version.class_name] = entry
            versions.append(entry)
        else:
            entry["aliases"].append(version.id)
    return json_response({"template_versions": versions})


async def list_template_functions(request: web.Request) -> web.Response:
    requested = request.match_info["version"]
    key, _, name = requested.partition(".")
    version = ALL_VERSIONS.get((key, name))
    if version is None:
        # Upstream formats its message with the wrong placeholder, verbatim.
        raise not_found("Template with version {} not found", "NotFound")
    with_condition = bool_param(
        "with_condition_func", request.query.get("with_condition_func"), default=False
    )
    table = version.listed_condition_functions() if with_condition else version.listed_functions()
    functions = [
        {"functions": fn_name, "description": description(impl)} for fn_name, impl in table.items()
    ]
    return json_response({"template_functions": functions})


async def resource_type_template(request: web.Request) -> web.Response:
    name = request.match_info["type_name"]
    template_type = request.query.get("template_type", "cfn")
    if template_type not in ("cfn", "hot"):
        raise bad_request(
            "Template type is not supported: Invalid template type "
            f'"{template_type}", valid types are: cfn, hot.'
        )
    schema = shown_schema(request, name)
    try:
        return json_response(resource_to_template(name, schema, template_type))
    except UnrepresentableType as error:
        # Upstream fails the same way (500 KeyError) for a property of type any.
        raise HeatError(500, error.message, "KeyError") from error
