"""Finding the stack a request names: Heat's 302 lookups and the canonical-path loader."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from aiohttp import web

from api import queries
from api.context import DB, request_context
from api.errors import stack_not_found
from api.links import stack_url
from api.responses import json_response

_FOUND_BODY = (
    'The resource was found at <a href="{url}">{url}</a>;\nyou should be redirected '
    "automatically.\n\n"
)


def redirect(location: str) -> web.Response:
    body = {"message": _FOUND_BODY.format(url=location), "code": "302 Found", "title": "Found"}
    return json_response(body, status=302, headers={"Location": location})


async def lookup(request: web.Request) -> web.Response:
    """GET|DELETE /stacks/{identity}[/{path}]: 302 to the stack's canonical URL."""
    ctx = request_context(request)
    identity = request.match_info["identity"]
    async with request.app[DB].connect() as conn:
        row = await queries.find_stack(conn, ctx.project_id, identity)
    if row is None:
        raise stack_not_found(identity)
    location = stack_url(request, row.project_id, row.name, row.id)
    path = request.match_info.get("path")
    if path:
        location += "/" + "/".join(quote(p, safe=":") for p in path.split("/"))
    if request.query_string:
        location += "?" + request.query_string
    return redirect(location)


async def load_stack(request: web.Request) -> Any:
    """The stack of a canonical /stacks/{name}/{id} path, or Heat's 404."""
    ctx = request_context(request)
    name = request.match_info["stack_name"]
    stack_id = request.match_info["stack_id"]
    async with request.app[DB].connect() as conn:
        row = await queries.get_stack(conn, ctx.project_id, stack_id)
    if row is None or row.name != name:
        raise stack_not_found(name)
    return row
