"""Turns on what the settings ask for: keystone auth and policy, and the codec endpoints."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web

from api.auth import TokenValidator, keystone_middleware
from api.codec_routes import add_codec_routes
from api.context import SETTINGS, RequestContext
from api.policy import Policy, project_forbidden
from api.trusts import create_trust, delete_trust
from service.codec import CompressionCodec, codec_from_settings
from service.settings import Settings
from workflows.types import StackState

log = logging.getLogger("heat_temporal.api.security")
Result = TypeVar("Result")
POLICY = web.AppKey("policy", Policy)


def install_security(app: web.Application, settings: Settings) -> None:
    """Call after the routes are added and before the app starts."""
    # Without keys the codec endpoints still serve the Temporal UI: they open the compressed
    # large payloads.
    codec = codec_from_settings(settings.codec, warn=False) or CompressionCodec()
    add_codec_routes(app, codec, settings.codec.cors_origins)
    if settings.auth_strategy != "keystone":
        return
    keystone = settings.keystone_authtoken
    policy = Policy(keystone.policy_file)
    validator = TokenValidator(keystone)
    app[POLICY] = policy
    app.middlewares.append(keystone_middleware(validator, policy))

    async def close_validator(_app: web.Application) -> None:
        validator.close()

    app.on_cleanup.append(close_validator)
    log.info("keystone auth on: tokens validated at %s", keystone.auth_url)


async def create_guarded(
    request: web.Request,
    ctx: RequestContext,
    state: StackState,
    create: Callable[[], Awaitable[Result]],
) -> Result:
    """With keystone auth: check the template's resource types against the policy, make the
    stack's trust (its id goes into the state), then create; the trust is undone if the
    create is refused. With noauth, just create."""
    identity = ctx.identity
    if identity is None:
        return await create()
    if identity.project_id != ctx.project_id:
        # An admin on another project's URL: the trust can only delegate the token's own
        # project, so a stack elsewhere could not act. (Upstream creates it in the admin's
        # project instead.)
        raise project_forbidden()
    enforce_resource_types(request, ctx, {r.type for r in state.resources.values()})
    settings = request.app[SETTINGS].keystone_authtoken
    state.trust_id = await create_trust(settings, identity)
    try:
        return await create()
    except BaseException:
        await delete_trust(settings, identity, state.trust_id)
        raise


def enforce_resource_types(request: web.Request, ctx: RequestContext, types: set[str]) -> None:
    """Upstream's `resource_types:<type>` rules (admin-only types) for a template's types;
    nothing with noauth."""
    identity = ctx.identity
    if identity is None:
        return
    target = {"project_id": identity.project_id}
    request.app[POLICY].enforce_resource_types(types, identity.policy_values, target)


def template_types(template: dict[str, Any] | None) -> set[str]:
    resources = (template or {}).get("resources") or (template or {}).get("Resources") or {}
    if not isinstance(resources, dict):
        return set()
    return {
        str(r.get("type") or r.get("Type"))
        for r in resources.values()
        if isinstance(r, dict) and (r.get("type") or r.get("Type"))
    }
