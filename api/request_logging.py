"""Binds request id, project and stack to the log context of a request, and logs each answer."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from api.metrics import route_label
from service.logging_setup import bind

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
access_log = logging.getLogger("heat_temporal.api.access")

# Probes and scrapes come every few seconds; logging each would drown the useful lines.
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


@web.middleware
async def request_logging_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Runs inside request_id_middleware, so the request id is known here."""
    info = request.match_info
    started = time.perf_counter()
    status = 500
    with bind(
        request_id=request.get("request_id"),
        project_id=info.get("tenant"),
        stack_id=info.get("stack_id"),
    ):
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as answer:
            status = answer.status
            raise
        finally:
            if request.path not in _QUIET_PATHS:
                # The path only: query strings and bodies may carry what must not be logged.
                access_log.info(
                    "%s %s %d",
                    request.method,
                    request.path,
                    status,
                    extra={
                        "method": request.method,
                        "route": route_label(request),
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
