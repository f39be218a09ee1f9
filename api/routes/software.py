"""The /software_configs and /software_deployments APIs, and a server's deployment metadata."""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp import web

from api.bodies import bool_param, int_param, json_body
from api.context import DB, ENGINE, request_context
from api.errors import bad_request, not_found
from api.responses import json_response
from listings import software

_STATUSES = ("IN_PROGRESS", "COMPLETE", "FAILED")


def _config_not_found(config_id: str) -> Exception:
    return not_found(f"Software config with id {config_id} not found", "NotFound")


def _deployment_not_found(deployment_id: str) -> Exception:
    return not_found(f"Deployment with id {deployment_id} not found", "NotFound")


async def list_configs(request: web.Request) -> web.Response:
    ctx = request_context(request)
    everyone = bool_param("tenant_safe", request.query.get("tenant_safe"), default=True) is False
    limit = int_param("limit", request.query.get("limit"))
    async with request.app[DB].connect() as conn:
        rows = await software.list_configs(
            conn, None if everyone else ctx.project_id, limit, request.query.get("marker")
        )
    listed = [
        {k: v for k, v in software.config_body(row).items() if k in ("id", "name", "group")}
        | {"creation_time": software.config_body(row)["creation_time"]}
        for row in rows
    ]
    return json_response({"software_configs": listed})


async def create_config(request: web.Request) -> web.Response:
    ctx = request_context(request)
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    for key in ("inputs", "outputs"):
        if body.get(key) is not None and not isinstance(body[key], list):
            raise bad_request(f"{key} must be a list.")
    if body.get("options") is not None and not isinstance(body["options"], dict):
        raise bad_request("options must be a map.")
    async with request.app[DB].begin() as conn:
        row = await software.create_config(
            conn,
            ctx.project_id,
            body.get("name"),
            str(body.get("group") or "Heat::Ungrouped"),
            {
                "config": body.get("config"),
                "inputs": body.get("inputs") or [],
                "outputs": body.get("outputs") or [],
                "options": body.get("options"),
            },
        )
    return json_response({"software_config": software.config_body(row)})


async def show_config(request: web.Request) -> web.Response:
    ctx = request_context(request)
    config_id = request.match_info["config_id"]
    async with request.app[DB].connect() as conn:
        row = await software.get_config(conn, ctx.project_id, config_id)
    if row is None:
        raise _config_not_found(config_id)
    return json_response({"software_config": software.config_body(row)})


async def delete_config(request: web.Request) -> web.Response:
    ctx = request_context(request)
    config_id = request.match_info["config_id"]
    async with request.app[DB].begin() as conn:
        if not await software.delete_config(conn, ctx.project_id, config_id):
            raise _config_not_found(config_id)
    return web.Response(status=204)


async def list_deployments(request: web.Request) -> web.Response:
    ctx = request_context(request)
    async with request.app[DB].connect() as conn:
        rows = await software.list_deployments(conn, ctx.project_id, request.query.get("server_id"))
    return json_response({"software_deployments": [software.deployment_body(r) for r in rows]})


async def create_deployment(request: web.Request) -> web.Response:
    ctx = request_context(request)
    body = await json_body(request)
    if not isinstance(body, dict) or not body.get("server_id") or not body.get("config_id"):
        raise bad_request("A deployment needs a config_id and a server_id.")
    status = body.get("status") or "IN_PROGRESS"
    if status not in _STATUSES:
        raise bad_request(f"status must be one of {', '.join(_STATUSES)}.")
    deployment_id = str(uuid.uuid4())
    async with request.app[DB].begin() as conn:
        if await software.get_config(conn, ctx.project_id, str(body["config_id"])) is None:
            raise _config_not_found(str(body["config_id"]))
        await software.create_deployment(
            conn,
            {
                "id": deployment_id,
                "project_id": ctx.project_id,
                "config_id": str(body["config_id"]),
                "server_id": str(body["server_id"]),
                "input_values": body.get("input_values") or {},
                "output_values": body.get("output_values"),
                "action": str(body.get("action") or "INIT"),
                "status": status,
                "status_reason": str(body.get("status_reason") or ""),
            },
        )
        row = await software.get_deployment(conn, ctx.project_id, deployment_id)
    assert row is not None
    return json_response({"software_deployment": software.deployment_body(row)})


async def show_deployment(request: web.Request) -> web.Response:
    ctx = request_context(request)
    deployment_id = request.match_info["deployment_id"]
    async with request.app[DB].connect() as conn:
        row = await software.get_deployment(conn, ctx.project_id, deployment_id)
    if row is None:
        raise _deployment_not_found(deployment_id)
    return json_response({"software_deployment": software.deployment_body(row)})


async def update_deployment(request: web.Request) -> web.Response:
    """PUT: a server's agent (or a person) reports status and outputs. A deployment that a
    stack resource waits for is told, as upstream signals the resource."""
    ctx = request_context(request)
    deployment_id = request.match_info["deployment_id"]
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    status = body.get("status")
    if status is not None and status not in _STATUSES:
        raise bad_request(f"status must be one of {', '.join(_STATUSES)}.")
    values: dict[str, Any] = {
        key: body[key]
        for key in ("config_id", "input_values", "output_values", "action", "status_reason")
        if key in body
    }
    if status is not None:
        values["status"] = status
    async with request.app[DB].begin() as conn:
        row = await software.get_deployment(conn, ctx.project_id, deployment_id)
        if row is None:
            raise _deployment_not_found(deployment_id)
        if values:
            await software.update_deployment(conn, ctx.project_id, deployment_id, values)
        row = await software.get_deployment(conn, ctx.project_id, deployment_id)
    assert row is not None
    if status in ("COMPLETE", "FAILED") and row.stack_id and row.resource_name:
        outputs = dict(body.get("output_values") or {})
        if status == "FAILED" and outputs.get("deploy_status_code") in (None, 0, "0"):
            outputs["deploy_status_code"] = -1
        await request.app[ENGINE].signal_resource(
            ctx.project_id, row.stack_name, row.stack_id, row.resource_name, outputs
        )
    return json_response({"software_deployment": software.deployment_body(row)})


async def delete_deployment(request: web.Request) -> web.Response:
    ctx = request_context(request)
    deployment_id = request.match_info["deployment_id"]
    async with request.app[DB].begin() as conn:
        if not await software.delete_deployment(conn, ctx.project_id, deployment_id):
            raise _deployment_not_found(deployment_id)
    return web.Response(status=204)


async def server_metadata(request: web.Request) -> web.Response:
    ctx = request_context(request)
    async with request.app[DB].connect() as conn:
        configs = await software.server_metadata(
            conn, ctx.project_id, request.match_info["server_id"]
        )
    return json_response({"metadata": configs})
