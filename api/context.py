"""The request context (who calls, for which project) and the per-request app services."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from api.engine import Engine
from service.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
DB = web.AppKey("db", AsyncEngine)
ENGINE = web.AppKey("engine", Engine)


@dataclass(frozen=True)
class RequestContext:
    project_id: str
    user_name: str
    request_id: str


def request_context(request: web.Request) -> RequestContext:
    """With auth off (noauth), the project in the URL is trusted, as in Heat's noauth mode."""
    return RequestContext(
        project_id=request.match_info["tenant"],
        user_name=request.headers.get("X-User-Name", "admin"),
        request_id=request["request_id"],
    )
