"""Finding the stack a request names: Heat's 302 lookups and the canonical-path loader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

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


@dataclass(frozen=True)
class StackArn:
    """The parts of a Heat stack ARN: `arn:openstack:heat::<tenant>:stacks/<name>/<id>[<path>]`."""

    tenant: str
    stack_name: str
    stack_id: str
    path: str


_ARN_STACK_PATH = re.compile(r"stacks/([^/]+)/([^/]+)(.*)")


def parse_arn(arn: str) -> StackArn | None:
    """A Heat stack ARN's parts, as upstream's HeatIdentifier.from_arn reads them, or None.

    The fields are percent-decoded once more (HeatIdentifier.arn() quotes them inside the ARN,
    and arn_url_path() quotes the whole ARN again for a URL)."""
    fields = arn.split(":")
    if len(fields) < 6 or fields[0].lower() != "arn":
        return None
    match = _ARN_STACK_PATH.match(":".join(fields[5:]))
    if fields[1] != "openstack" or fields[2] != "heat" or match is None:
        return None
    name, stack_id, path = (unquote(group) for group in match.groups())
    if "/" in name:
        return None
    if path and not path.startswith("/"):
        path = "/" + path
    return StackArn(unquote(fields[4]), name, stack_id, path)


async def lookup_arn(request: web.Request) -> web.Response:
    """ANY /stacks/arn:openstack:heat::<tenant>:stacks/<name>/<id>[/<path>]: 302 there.

    As upstream, a Heat ARN is taken at its word (the canonical URL answers 404 if it names no
    stack); anything else that starts with "arn:" is looked up as a name, which finds none."""
    arn = parse_arn(request.match_info["arn"])
    if arn is None:
        return await lookup(request)
    location = stack_url(request, arn.tenant, arn.stack_name, quote(arn.stack_id, safe=""))
    location += quote(arn.path)
    if request.query_string:
        location += "?" + request.query_string
    return redirect(location)


async def lookup(request: web.Request) -> web.Response:
    """GET|DELETE /stacks/{identity}[/{path}]: 302 to the stack's canonical URL."""
    ctx = request_context(request)
    identity = request.match_info.get("identity") or request.match_info["arn"]
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
