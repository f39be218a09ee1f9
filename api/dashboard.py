"""The browser dashboard: a static page at /dashboard, and the stack-workflows lookup it links from.

The page holds no data of its own: it reads everything from the Heat API with the caller's
token (stacks, resources, the live event stream), so it is behind exactly the API's auth. Its
one non-Heat call, GET .../stacks/{name}/{id}/workflows, lists the stack's Temporal workflows
with links into the Temporal UI, and lives under /v1/{tenant} like every other project call.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web
from temporalio.client import WorkflowExecution

from api.context import ENGINE, SETTINGS
from api.responses import json_response
from api.routes.lookup import load_stack
from service.settings import Settings

STATIC_DIR = Path(__file__).parent / "dashboard"
_CONFIG_PLACEHOLDER = "/*DASHBOARD_CONFIG*/{}"


def temporal_ui_url(settings: Settings) -> str:
    if settings.temporal_ui_url:
        return settings.temporal_ui_url.rstrip("/")
    return f"http://{settings.temporal_host}:{settings.temporal_ui_port}"


def workflow_link(settings: Settings, workflow_id: str, run_id: str) -> str:
    return (
        f"{temporal_ui_url(settings)}/namespaces/{quote(settings.temporal_namespace, safe='')}"
        f"/workflows/{quote(workflow_id, safe='')}/{quote(run_id, safe='')}/history"
    )


async def page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    config = {"temporalUi": temporal_ui_url(settings), "namespace": settings.temporal_namespace}
    html = (STATIC_DIR / "index.html").read_text()
    html = html.replace(_CONFIG_PLACEHOLDER, json.dumps(config))
    return web.Response(text=html, content_type="text/html")


def _describe(settings: Settings, execution: WorkflowExecution) -> dict[str, Any]:
    return {
        "workflow_id": execution.id,
        "run_id": execution.run_id,
        "type": execution.workflow_type,
        "status": execution.status.name if execution.status else None,
        "start_time": execution.start_time.isoformat(),
        "close_time": execution.close_time.isoformat() if execution.close_time else None,
        "url": workflow_link(settings, execution.id, execution.run_id),
    }


async def stack_workflows(request: web.Request) -> web.Response:
    """The stack's entity and operation workflows, oldest first, each with its UI link."""
    stack = await load_stack(request)
    settings = request.app[SETTINGS]
    client = request.app[ENGINE].client
    # Search attribute values are Keyword strings: quote the id as the query language wants.
    query = f'StackId = "{stack.id}"'
    executions = [execution async for execution in client.list_workflows(query, limit=200)]
    executions.sort(key=lambda e: e.start_time)
    return json_response({"workflows": [_describe(settings, e) for e in executions]})


def install(app: web.Application) -> None:
    app.router.add_get("/dashboard", page)
    app.router.add_static("/dashboard/static", STATIC_DIR, append_version=False)
    app.router.add_get("/v1/{tenant}/stacks/{stack_name}/{stack_id}/workflows", stack_workflows)
