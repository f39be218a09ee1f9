"""Prometheus metrics of the API: requests by route and status, served at GET /metrics."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API_REQUESTS = Counter(
    "heat_temporal_api_requests",
    "API requests answered, by method, route template and HTTP status",
    ["method", "route", "status"],
)
API_REQUEST_SECONDS = Histogram(
    "heat_temporal_api_request_duration_seconds",
    "Time to answer an API request, by method and route template",
    ["method", "route"],
)


def route_label(request: web.Request) -> str:
    """The route's template (/v1/{tenant}/stacks), so labels stay few whatever the URLs."""
    route = request.match_info.route
    resource = route.resource
    if resource is None or request.match_info.http_exception is not None:
        return "unmatched"
    return resource.canonical


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as answer:
        # Redirects (Heat's 302 to a stack's canonical URL) leave as exceptions.
        status = answer.status
        raise
    finally:
        route = route_label(request)
        API_REQUESTS.labels(request.method, route, str(status)).inc()
        API_REQUEST_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)


async def metrics(_request: web.Request) -> web.Response:
    response = web.Response(body=generate_latest(REGISTRY))
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response
