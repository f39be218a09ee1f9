"""Builds the absolute links Heat puts in its bodies and Location headers."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web


def base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def tenant_url(request: web.Request, tenant: str) -> str:
    return f"{base_url(request)}/v1/{quote(tenant, safe='')}"


def stack_url(request: web.Request, tenant: str, name: str, stack_id: str) -> str:
    return f"{tenant_url(request, tenant)}/stacks/{quote(name, safe='')}/{stack_id}"


def stack_links(
    request: web.Request, tenant: str, name: str, stack_id: str
) -> list[dict[str, str]]:
    return [{"href": stack_url(request, tenant, name, stack_id), "rel": "self"}]
