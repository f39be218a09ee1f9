"""Turns on what the settings ask for: keystone auth and policy, and the codec endpoints."""

from __future__ import annotations

import logging

from aiohttp import web

from api.auth import TokenValidator, keystone_middleware
from api.codec_routes import add_codec_routes
from api.policy import Policy
from service.codec import codec_from_settings
from service.settings import Settings

log = logging.getLogger("heat_temporal.api.security")
POLICY = web.AppKey("policy", Policy)


def install_security(app: web.Application, settings: Settings) -> None:
    """Call after the routes are added and before the app starts."""
    codec = codec_from_settings(settings.codec, warn=False)
    if codec is not None:
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
