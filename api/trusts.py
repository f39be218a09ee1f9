"""Keystone trusts for stacks: the creator delegates its roles in the project to the service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from api.context import Identity
from api.errors import HeatError
from service.keystone_settings import KeystoneSettings

log = logging.getLogger("heat_temporal.api.trusts")


_trustees: dict[tuple[str, str, str], str] = {}
_trustees_lock = threading.Lock()


def _service_user_id(settings: KeystoneSettings) -> str:
    key = (settings.auth_url, settings.user_domain_name, settings.username)
    with _trustees_lock:
        if key not in _trustees:
            session = ks_session.Session(auth=settings.service_auth())
            _trustees[key] = str(session.get_user_id())
        return _trustees[key]


def _as_caller(settings: KeystoneSettings, identity: Identity) -> ks_session.Session:
    # The caller's own token, as it is: the trustor must be the token's user.
    return ks_session.Session(auth=token_endpoint.Token(settings.auth_url, identity.auth_token))


def _create(settings: KeystoneSettings, identity: Identity) -> str:
    trustee = _service_user_id(settings)
    session = _as_caller(settings, identity)
    body = {
        "trust": {
            "trustor_user_id": identity.user_id,
            "trustee_user_id": trustee,
            "project_id": identity.project_id,
            # As upstream (deferred_auth_method=trusts): every role of the caller's token,
            # impersonating, so the cloud sees the stack's user act, not the service.
            "roles": [{"name": role} for role in identity.roles],
            "impersonation": True,
            "allow_redelegation": False,
        }
    }
    try:
        response = session.post(f"{settings.auth_url.rstrip('/')}/OS-TRUST/trusts", json=body)
    except ks_exceptions.NotFound as error:
        raise HeatError(
            400, f"Missing required credential: roles {identity.roles}", "MissingCredentialError"
        ) from error
    return str(response.json()["trust"]["id"])


async def create_trust(settings: KeystoneSettings, identity: Identity) -> str:
    """A new trust from the caller to the service user in the caller's project; its id."""
    return await asyncio.to_thread(_create, settings, identity)


def _delete(settings: KeystoneSettings, identity: Identity, trust_id: str) -> None:
    with contextlib.suppress(ks_exceptions.NotFound):
        _as_caller(settings, identity).delete(
            f"{settings.auth_url.rstrip('/')}/OS-TRUST/trusts/{trust_id}"
        )


async def delete_trust(settings: KeystoneSettings, identity: Identity, trust_id: str) -> None:
    """Undo create_trust when the stack it was made for was not created after all."""
    await asyncio.to_thread(_delete, settings, identity, trust_id)
