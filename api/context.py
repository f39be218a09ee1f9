"""The request context (who calls, for which project) and the per-request app services."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from api.engine import Engine
from service.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
DB = web.AppKey("db", AsyncEngine)
ENGINE = web.AppKey("engine", Engine)


# Where the keystone auth middleware leaves the caller's validated Identity on the request.
IDENTITY = "identity"
# Where it leaves a wait handle's own token, sent as X-Auth-Token (the handle's curl_cli).
HANDLE_TOKEN = "handle_token"


@dataclass(frozen=True)
class Identity:
    """Who a validated Keystone token says the caller is."""

    user_id: str
    user_name: str
    project_id: str
    user_domain_id: str
    project_domain_id: str
    roles: tuple[str, ...]
    is_admin: bool
    auth_token: str = field(repr=False)
    # What oslo.policy checks rules against (oslo.context's to_policy_values()).
    policy_values: dict[str, object] = field(repr=False, default_factory=dict)
    # The service types of the token's catalog (None when the token carried none).
    catalog_types: frozenset[str] | None = field(repr=False, default=None)


@dataclass(frozen=True)
class RequestContext:
    """The project a request acts in, and who asks (the Identity with keystone auth)."""

    project_id: str
    user_name: str
    request_id: str
    identity: Identity | None = None


def request_context(request: web.Request) -> RequestContext:
    """With keystone auth the middleware has checked that the URL's project is the token's
    (or that the caller is a cloud admin); with noauth the URL's project is trusted, as in
    Heat's noauth mode."""
    identity: Identity | None = request.get(IDENTITY)
    return RequestContext(
        project_id=request.match_info["tenant"],
        user_name=identity.user_name
        if identity is not None
        else request.headers.get("X-User-Name", "admin"),
        request_id=request["request_id"],
        identity=identity,
    )
