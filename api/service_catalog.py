"""The service types of the caller's Keystone catalog, for upstream's resource type
availability (ResourceTypeUnavailable): the token's own catalog with keystone auth, or the
catalog of the worker's cloud credentials with noauth (asked at most once a minute)."""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web

from activities.cloud import connection_for
from activities.types import ResourceActionRequest
from api.context import request_context
from service.settings import get_settings

log = logging.getLogger("heat_temporal.api.service_catalog")
CACHE_SECS = 60.0
# (when asked, the answer): with noauth every project acts with the same cloud credentials.
_cached: list[tuple[float, frozenset[str] | None]] = []


async def catalog_types(request: web.Request) -> frozenset[str] | None:
    """The caller's catalog; None when unknown (noauth without a cloud, or Keystone not
    answering), in which case no type is refused for its service."""
    ctx = request_context(request)
    if ctx.identity is not None:
        return ctx.identity.catalog_types
    if not get_settings().cloud.configured:
        return None
    now = time.monotonic()
    if _cached and now - _cached[0][0] < CACHE_SECS:
        return _cached[0][1]
    types = await asyncio.get_running_loop().run_in_executor(None, _worker_catalog)
    _cached[:] = [(now, types)]
    return types


def _worker_catalog() -> frozenset[str] | None:
    scope = ResourceActionRequest(
        stack_id="",
        stack_name="",
        project_id="",
        resource_name="",
        resource_type="",
        step="check",
    )
    try:
        session = connection_for(scope).session
        access = session.auth.get_access(session)  # type: ignore[union-attr]
        catalog = access.service_catalog.catalog or []
    except Exception as error:  # Keystone down or the credentials refused: check nothing.
        log.warning("no service catalog from the cloud credentials: %s", error)
        return None
    return frozenset(str(s["type"]) for s in catalog if isinstance(s, dict) and s.get("type"))
