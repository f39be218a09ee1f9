"""Acting for a stack's user through its Keystone trust: scoped sessions, and deleting the trust."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import TYPE_CHECKING

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session
from temporalio import activity

from activities.types import DELETE_TRUST

if TYPE_CHECKING:
    from service.keystone_settings import KeystoneSettings

log = logging.getLogger("heat_temporal.identity")


class TrustSessions:
    """keystoneauth1 sessions scoped by trusts, one per trust, kept for the worker's life.

    A session re-authenticates by itself when its token nears expiry, so an activity in the
    third hour of a deployment gets a fresh token for the stack's project, whatever became of
    the user's own token.
    """

    def __init__(self, settings: KeystoneSettings) -> None:
        self._settings = settings
        self._sessions: dict[str, ks_session.Session] = {}
        self._lock = threading.Lock()

    def session(self, trust_id: str) -> ks_session.Session:
        with self._lock:
            found = self._sessions.get(trust_id)
            if found is None:
                found = ks_session.Session(auth=self._settings.service_auth(trust_id))
                self._sessions[trust_id] = found
            return found

    def forget(self, trust_id: str) -> None:
        with self._lock:
            self._sessions.pop(trust_id, None)

    def _delete(self, trust_id: str) -> None:
        try:
            # Deleting needs the trustor: the impersonating trust-scoped token is the trustor.
            self.session(trust_id).delete(
                f"/OS-TRUST/trusts/{trust_id}",
                endpoint_filter={"service_type": "identity", "interface": "public"},
            )
        except (ks_exceptions.NotFound, ks_exceptions.Unauthorized):
            # Gone already (a retried activity), or unusable (its trustor lost the roles or
            # was deleted): nothing is left to act through, as upstream treats it.
            log.info("trust %s already gone or unusable", trust_id)
        finally:
            self.forget(trust_id)

    @activity.defn(name=DELETE_TRUST)
    async def delete_trust(self, trust_id: str) -> None:
        """Deleted with its stack, so the service keeps no power over a gone stack's project."""
        await asyncio.to_thread(self._delete, trust_id)
