"""Builds the aiohttp application: middlewares, the Heat v1 route table, and its services."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from api import dashboard, health
from api.context import DB, ENGINE, SETTINGS
from api.engine import Engine
from api.errors import HeatError, error_response
from api.events_stream import list_or_watch_events
from api.metrics import metrics, metrics_middleware
from api.openapi import serve as serve_openapi
from api.request_logging import request_logging_middleware
from api.routes import (
    lookup,
    resources,
    service_info,
    snapshots,
    software,
    stack_data,
    stack_ops,
    stacks,
    template_api,
)
from api.security import install_security
from service.settings import Settings

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Heat's max_json_body_size.
MAX_BODY_BYTES = 1048576

_HTTP_ERROR_TYPES = {
    404: "HTTPNotFound",
    405: "HTTPMethodNotAllowed",
    413: "HTTPRequestEntityTooLarge",
}


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    request["request_id"] = f"req-{uuid.uuid4()}"
    response = await handler(request)
    response.headers["x-openstack-request-id"] = request["request_id"]
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure leaves as Heat's error body, never as a traceback."""
    try:
        return await handler(request)
    except HeatError as error:
        return error_response(error.status, error.message, error.error_type)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        message = error.text or error.reason
        if error.status == 413:
            # Upstream's JSON deserializer raises RequestLimitExceeded, which Heat answers 400.
            return error_response(
                400,
                f"Request limit exceeded: JSON body size ({request.content_length} bytes) "
                f"exceeds maximum allowed size ({MAX_BODY_BYTES} bytes).",
                "RequestLimitExceeded",
            )
        return error_response(
            error.status, message, _HTTP_ERROR_TYPES.get(error.status, "HTTPError")
        )
    except (DBAPIError, OSError) as error:
        # The listings database is down or unreachable: say so, without its address.
        log.warning("listings unavailable in %s %s: %s", request.method, request.path, error)
        return error_response(
            503,
            "The listings database is unavailable; the request can be retried.",
            "HTTPServiceUnavailable",
        )
    except Exception as error:
        log.exception("unexpected error in %s %s", request.method, request.path)
        return error_response(500, str(error) or type(error).__name__, type(error).__name__)


def add_routes(app: web.Application) -> None:
    r = app.router
    t = "/v1/{tenant}"
    s = t + "/stacks/{stack_name}/{stack_id}"
    r.add_get("/", service_info.versions)
    r.add_get("/openapi.json", serve_openapi)
    r.add_get(t + "/build_info", service_info.build_info)
    r.add_post(t + "/validate", stacks.validate_template)
    r.add_get(t + "/resource_types", service_info.list_resource_types)
    r.add_get(t + "/resource_types/{type_name}", service_info.show_resource_type)
    r.add_get(t + "/template_versions", template_api.list_template_versions)
    r.add_get(t + "/template_versions/{version}/functions", template_api.list_template_functions)
    r.add_get(t + "/resource_types/{type_name}/template", template_api.resource_type_template)
    r.add_get(t + "/software_configs", software.list_configs)
    r.add_post(t + "/software_configs", software.create_config)
    r.add_get(t + "/software_configs/{config_id}", software.show_config)
    r.add_delete(t + "/software_configs/{config_id}", software.delete_config)
    r.add_get(t + "/software_deployments", software.list_deployments)
    r.add_post(t + "/software_deployments", software.create_deployment)
    r.add_get(t + "/software_deployments/metadata/{server_id}", software.server_metadata)
    r.add_get(t + "/software_deployments/{deployment_id}", software.show_deployment)
    r.add_put(t + "/software_deployments/{deployment_id}", software.update_deployment)
    r.add_delete(t + "/software_deployments/{deployment_id}", software.delete_deployment)
    r.add_get(t + "/stacks", stacks.list_stacks)
    r.add_post(t + "/stacks", stacks.create_stack)
    r.add_post(t + "/stacks/preview", stack_ops.preview_create)
    r.add_get(t + "/stacks/detail", stacks.list_stacks_detail)
    # Upstream answers any method on /stacks/{name or id} with a 302 to the canonical URL
    # (heatclient's update, PATCH and delete rely on it and repeat the method there).
    # A stack's ARN (URL-encoded or not, with any trailing path) also redirects, as upstream's
    # `/stacks/{stack_name:arn\x3A.*}`; registered first, since an encoded "/" decodes to one.
    r.add_route("*", t + "/stacks/{arn:arn:.*}", lookup.lookup_arn)
    r.add_route("*", t + "/stacks/{identity}", lookup.lookup)
    lookup_paths = "{path:(resources|events|template|outputs|environment|files|actions)(/.*)?}"
    r.add_route("*", t + "/stacks/{identity}/" + lookup_paths, lookup.lookup)
    r.add_get(s, stacks.show_stack)
    r.add_delete(s, stacks.delete_stack)
    r.add_put(s, stack_ops.update_stack)
    r.add_patch(s, stack_ops.update_stack)
    r.add_put(s + "/preview", stack_ops.preview_update)
    r.add_patch(s + "/preview", stack_ops.preview_update)
    r.add_post(s + "/actions", stack_ops.stack_action)
    r.add_get(s + "/export", stack_data.export_stack)
    r.add_post(s + "/snapshots", snapshots.create_snapshot)
    r.add_get(s + "/snapshots", snapshots.list_snapshots)
    r.add_get(s + "/snapshots/{snapshot_id}", snapshots.show_snapshot)
    r.add_delete(s + "/snapshots/{snapshot_id}", snapshots.delete_snapshot)
    r.add_post(s + "/snapshots/{snapshot_id}/restore", snapshots.restore_snapshot)
    r.add_delete(s + "/abandon", stack_data.abandon_stack)
    r.add_get(s + "/template", stacks.show_template)
    r.add_get(s + "/environment", stacks.show_environment)
    r.add_get(s + "/files", stacks.show_files)
    r.add_get(s + "/outputs", stacks.list_outputs)
    r.add_get(s + "/outputs/{output_key}", stacks.show_output)
    r.add_get(s + "/resources", resources.list_resources)
    r.add_get(s + "/resources/{resource_name}", resources.show_resource)
    r.add_get(s + "/resources/{resource_name}/metadata", resources.resource_metadata)
    r.add_post(s + "/resources/{resource_name}/signal", resources.signal_resource)
    r.add_put(s + "/resources/{resource_name}/signal", resources.signal_resource)
    r.add_patch(s + "/resources/{resource_name}", resources.mark_unhealthy)
    r.add_get(s + "/events", list_or_watch_events)
    r.add_get(s + "/resources/{resource_name}/events", resources.list_events)
    r.add_get(s + "/resources/{resource_name}/events/{event_id}", resources.show_event)


def create_app(settings: Settings, db: AsyncEngine, engine: Engine) -> web.Application:
    app = web.Application(
        middlewares=[
            request_id_middleware,
            request_logging_middleware,
            metrics_middleware,
            error_middleware,
        ],
        client_max_size=MAX_BODY_BYTES,
    )
    app[SETTINGS] = settings
    app[DB] = db
    app[ENGINE] = engine
    add_routes(app)
    # Probes and scrapes for operators: outside /v1, so they need no project or token.
    health.install(app, engine.client, db)
    app.router.add_get("/metrics", metrics)
    dashboard.install(app)
    install_security(app, settings)
    return app
