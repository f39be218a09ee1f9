"""Keystone auth for the aiohttp API: keystonemiddleware's auth_token, run off the event loop."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from keystonemiddleware import auth_token
from oslo_context import context as oslo_context

from api.context import HANDLE_TOKEN, IDENTITY, Identity
from api.policy import (
    Policy,
    action_rule,
    global_rule,
    is_public,
    is_signal,
    project_forbidden,
    route_rule,
    signed_by_its_handle,
)
from service.keystone_settings import KeystoneSettings

log = logging.getLogger("heat_temporal.api.auth")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_CAPTURE = "heat_temporal.capture"


@dataclass(frozen=True)
class Rejection:
    """keystonemiddleware's own 401 (or 503 when Keystone is unreachable), passed on as is:
    upstream Heat's answer is this very response."""

    status: int
    headers: dict[str, str]
    body: bytes


def _passed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The WSGI app auth_token protects: reached only by valid tokens; keeps their headers."""
    environ[_CAPTURE]["environ"] = environ
    start_response("204 No Content", [])
    return []


class TokenValidator:
    """Validates tokens with auth_token (which caches them in-process or in memcached).

    auth_token is synchronous (it calls Keystone with requests), so every validation runs in
    a small thread pool: a slow Keystone delays only the requests that wait for it.
    """

    def __init__(self, settings: KeystoneSettings, threads: int = 8) -> None:
        self._middleware = auth_token.AuthProtocol(_passed, settings.middleware_conf())
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="authtoken")

    def _validate(self, token: str, service_token: str = "") -> dict[str, Any] | Rejection:
        holder: dict[str, Any] = {}
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "SERVER_NAME": "heat-temporal",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": None,
            _CAPTURE: holder,
        }
        if token:
            environ["HTTP_X_AUTH_TOKEN"] = token
        if service_token:
            # Another service calling for a user (auth_token checks both, as upstream).
            environ["HTTP_X_SERVICE_TOKEN"] = service_token
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

        body = b"".join(self._middleware(environ, start_response))
        if "environ" in holder:
            return dict(holder["environ"])
        return Rejection(answer["status"], answer["headers"], body)

    async def identify(
        self, token: str, policy: Policy, service_token: str = ""
    ) -> Identity | Rejection:
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(self._pool, self._validate, token, service_token)
        if isinstance(result, Rejection):
            return result
        ctx = oslo_context.RequestContext.from_environ(result)
        values = dict(ctx.to_policy_values())
        return Identity(
            user_id=ctx.user_id or "",
            user_name=ctx.user_name or "",
            project_id=ctx.project_id or "",
            user_domain_id=ctx.user_domain_id or "",
            project_domain_id=ctx.project_domain_id or "",
            roles=tuple(ctx.roles),
            is_admin=policy.is_admin(values),
            auth_token=token,
            policy_values=values,
            catalog_types=catalog_types(result.get("HTTP_X_SERVICE_CATALOG")),
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def catalog_types(header: str | None) -> frozenset[str] | None:
    """The service types of the catalog auth_token passes on (X-Service-Catalog, JSON)."""
    if not header:
        return None
    try:
        services = json.loads(header)
    except ValueError:
        log.warning("unreadable X-Service-Catalog: resource types are not checked against it")
        return None
    return frozenset(
        str(service["type"])
        for service in services
        if isinstance(service, dict) and service.get("type")
    )


def request_token(request: web.Request) -> str:
    """X-Auth-Token, or the bearer token the Temporal UI and CLI send to a codec endpoint."""
    token = request.headers.get("X-Auth-Token", "")
    if not token and request.path.startswith("/codec/"):
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            token = value.strip()
    return token


def keystone_middleware(validator: TokenValidator, policy: Policy) -> Any:
    """Authenticate (401 as keystonemiddleware answers), then authorise: the URL's project
    must be the token's unless the caller is a cloud admin (403 HTTPForbidden), then the
    route's rule (403 Forbidden "You are not authorized to use <rule>.")."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_public(request.path) or request.method == "OPTIONS" or signed_by_its_handle(request):
            return await handler(request)
        found = await validator.identify(
            request_token(request), policy, request.headers.get("X-Service-Token", "")
        )
        if isinstance(found, Rejection) and is_signal(request) and request_token(request):
            # Not a Keystone token: it may be the wait handle's own (its curl_cli sends it as
            # X-Auth-Token); the stack checks it and refuses a wrong one (403).
            request[HANDLE_TOKEN] = request_token(request)
            return await handler(request)
        if isinstance(found, Rejection):
            return web.Response(
                status=found.status,
                body=found.body,
                headers={k: v for k, v in found.headers.items() if k.lower() != "content-length"},
            )
        request[IDENTITY] = found
        if request.match_info.http_exception is not None:
            return await handler(request)  # the router's 404 / 405
        tenant = request.match_info.get("tenant")
        if tenant is not None and tenant != found.project_id and not found.is_admin:
            raise project_forbidden()
        rule = route_rule(request)
        if rule == "actions:action":
            rule = await action_rule(request)
            if rule is None:
                return await handler(request)  # the route answers the bad body with its 400
        if rule is None:
            log.error("no policy rule for %s %s: refused", request.method, request.path)
            raise project_forbidden()
        # As upstream, an admin's own project is the target (an admin acts in any project).
        target = {"project_id": found.project_id if found.is_admin else tenant or ""}
        policy.enforce(rule, found.policy_values, target)
        everywhere = global_rule(request, rule)
        if everywhere is not None:
            policy.enforce(everywhere, found.policy_values, target)
        return await handler(request)

    return middleware
