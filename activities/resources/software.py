"""Software configs and deployments: stored in SQL by activities, waited on by the workflow."""

from __future__ import annotations

import uuid
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from activities.resources.base import ResourcePlugin
from activities.resources.software_types import (
    CLOUD_CONFIG_SCHEMA,
    MULTIPART_MIME_SCHEMA,
    SOFTWARE_CONFIG_SCHEMA,
    SOFTWARE_DEPLOYMENT_SCHEMA,
    STRUCTURED_CONFIG_SCHEMA,
    STRUCTURED_DEPLOYMENT_SCHEMA,
)
from activities.types import ActionResult, ResourceActionRequest
from listings import software
from listings.db import create_engine
from service.settings import get_settings


@lru_cache(maxsize=1)
def _engine() -> AsyncEngine:
    return create_engine(get_settings().listings_url)


def _stable_id(request: ResourceActionRequest, what: str) -> str:
    """The same id on every retry of the same step, so a retried create finds its row."""
    key = f"{request.stack_id}/{request.resource_name}/{request.physical_name}/{what}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


class _ConfigPlugin(ResourcePlugin):
    """A config row made once; its `config` attribute is what was stored."""

    def config_of(self, properties: dict[str, Any]) -> dict[str, Any]:
        return {
            "config": properties.get("config"),
            "inputs": properties.get("inputs") or [],
            "outputs": properties.get("outputs") or [],
            "options": properties.get("options"),
        }

    def group_of(self, properties: dict[str, Any]) -> str:
        return str(properties.get("group") or "Heat::Ungrouped")

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        config = await self.build(request)
        config_id = _stable_id(request, "config")
        async with _engine().begin() as conn:
            await software.create_config(
                conn,
                request.project_id,
                request.physical_name,
                self.group_of(request.properties),
                config,
                config_id,
            )
        return ActionResult(physical_id=config_id, attributes={"config": config["config"]})

    async def build(self, request: ResourceActionRequest) -> dict[str, Any]:
        return self.config_of(request.properties)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if request.physical_id:
            async with _engine().begin() as conn:
                await software.delete_config(conn, request.project_id, request.physical_id)
        return ActionResult()


class SoftwareConfig(_ConfigPlugin):
    type_name = "OS::Heat::SoftwareConfig"
    schema = SOFTWARE_CONFIG_SCHEMA


class StructuredConfig(_ConfigPlugin):
    type_name = "OS::Heat::StructuredConfig"
    schema = STRUCTURED_CONFIG_SCHEMA


class CloudConfig(_ConfigPlugin):
    type_name = "OS::Heat::CloudConfig"
    schema = CLOUD_CONFIG_SCHEMA

    def config_of(self, properties: dict[str, Any]) -> dict[str, Any]:
        text = "#cloud-config\n" + yaml.safe_dump(
            properties.get("cloud_config") or {}, default_flow_style=False
        )
        return {"config": text, "inputs": [], "outputs": [], "options": None}


class MultipartMime(_ConfigPlugin):
    type_name = "OS::Heat::MultipartMime"
    schema = MULTIPART_MIME_SCHEMA

    async def build(self, request: ResourceActionRequest) -> dict[str, Any]:
        message = MIMEMultipart()
        for part in request.properties.get("parts") or []:
            content = str(part.get("config") or "")
            # A part may name another software config by its id, as upstream allows.
            try:
                uuid.UUID(content)
                async with _engine().connect() as conn:
                    row = await software.get_config(conn, request.project_id, content)
                if row is not None:
                    content = str((row.config or {}).get("config") or "")
            except ValueError:
                pass
            if part.get("type") == "multipart":
                attached: Any = MIMEText(content, _subtype=part.get("subtype") or "mixed")
            else:
                attached = MIMEText(content, _subtype=part.get("subtype") or "plain")
            if part.get("filename"):
                attached.add_header("Content-Disposition", "attachment", filename=part["filename"])
            message.attach(attached)
        return {"config": message.as_string(), "inputs": [], "outputs": [], "options": None}

    def group_of(self, properties: dict[str, Any]) -> str:
        return str(properties.get("group") or "Heat::Ungrouped")


class SoftwareDeployment(ResourcePlugin):
    """The rows of a deployment. The workflow (workflows/deployments.py) calls these steps and
    waits for the server's signal in between: `create`/`update` write the derived config and
    the deployment IN_PROGRESS, `check_create`/`check_update` record how it ended."""

    type_name = "OS::Heat::SoftwareDeployment"
    schema = SOFTWARE_DEPLOYMENT_SCHEMA
    runs_in_workflow = True
    accepts_signals = True

    def derived(self, source: dict[str, Any], request: ResourceActionRequest) -> Any:
        return source.get("config")

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        return await self._write(request, "CREATE")

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        # The workflow writes a DELETE, SUSPEND or RESUME deployment through this step too,
        # when the deployment's `actions` list that action (upstream's _handle_action).
        return await self._write(request, str(request.data.get("deploy_action") or "UPDATE"))

    async def _write(self, request: ResourceActionRequest, action: str) -> ActionResult:
        props = request.properties
        deployment_id = request.physical_id or _stable_id(request, "deployment")
        async with _engine().begin() as conn:
            source_row = (
                await software.get_config(conn, request.project_id, str(props["config"]))
                if props.get("config")
                else None
            )
            source = dict(source_row.config or {}) if source_row is not None else {}
            group = source_row.group if source_row is not None else "Heat::Ungrouped"
            values = dict(props.get("input_values") or {})
            inputs = [
                {**item, "value": values.get(item.get("name"), item.get("default"))}
                for item in source.get("inputs") or []
            ]
            declared = {item.get("name") for item in inputs}
            inputs += [
                {"name": name, "type": "String", "value": value}
                for name, value in values.items()
                if name not in declared
            ]
            inputs += [
                {"name": name, "type": "String", "value": value, "description": text}
                for name, value, text in (
                    ("deploy_server_id", props["server"], "ID of the server being deployed to"),
                    ("deploy_action", action, "Name of the current action being deployed"),
                    (
                        "deploy_stack_id",
                        f"{request.stack_name}/{request.stack_id}",
                        "ID of the stack this deployment belongs to",
                    ),
                    (
                        "deploy_resource_name",
                        request.resource_name,
                        "Name of this deployment resource in the stack",
                    ),
                    (
                        "deploy_signal_transport",
                        props.get("signal_transport") or "CFN_SIGNAL",
                        "How the server should signal to heat with the deployment output values.",
                    ),
                    (
                        "deploy_signal_id",
                        request.data.get("signal_url"),
                        "ID of signal to use for signaling output values",
                    ),
                    ("deploy_signal_verb", "POST", "HTTP verb to use for signaling outputvalues"),
                )
            ]
            # Chosen by the workflow, so a retried step writes the same row.
            derived_id = str(request.data["next_config_id"])
            previous = request.data.get("derived_config_id")
            if previous and previous != derived_id:
                await software.delete_config(conn, request.project_id, str(previous))
            await software.create_config(
                conn,
                request.project_id,
                props.get("name") or request.physical_name or request.resource_name,
                group,
                {
                    "config": self.derived(source, request),
                    "inputs": inputs,
                    "outputs": source.get("outputs") or [],
                    "options": source.get("options"),
                },
                derived_id,
            )
            row = {
                "config_id": derived_id,
                "input_values": values,
                "action": action,
                "status": "IN_PROGRESS",
                "status_reason": "Deploy data available",
            }
            if await software.get_deployment(conn, request.project_id, deployment_id) is None:
                await software.create_deployment(
                    conn,
                    {
                        "id": deployment_id,
                        "project_id": request.project_id,
                        "server_id": str(props["server"]),
                        "stack_id": request.stack_id,
                        "stack_name": request.stack_name,
                        "resource_name": request.resource_name,
                        **row,
                    },
                )
            else:
                await software.update_deployment(conn, request.project_id, deployment_id, row)
        return ActionResult(
            physical_id=deployment_id,
            data={
                **request.data,
                "derived_config_id": derived_id,
                "outputs": source.get("outputs") or [],
            },
        )

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        return await self._finish(request)

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        return await self._finish(request)

    async def _finish(self, request: ResourceActionRequest) -> ActionResult:
        outcome = request.data.get("outcome") or {}
        values = {
            "status": outcome.get("status", "COMPLETE"),
            "status_reason": outcome.get("reason", ""),
        }
        if "outputs" in outcome:  # a cancelled deployment keeps what it had
            values["output_values"] = outcome["outputs"]
        async with _engine().begin() as conn:
            await software.update_deployment(conn, request.project_id, request.physical_id, values)
        return ActionResult()

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        async with _engine().begin() as conn:
            if request.physical_id:
                await software.delete_deployment(conn, request.project_id, request.physical_id)
            derived = request.data.get("derived_config_id")
            if derived:
                await software.delete_config(conn, request.project_id, str(derived))
        return ActionResult()


class StructuredDeployment(SoftwareDeployment):
    """Its config's `get_input` calls become the deployment's input values."""

    type_name = "OS::Heat::StructuredDeployment"
    schema = STRUCTURED_DEPLOYMENT_SCHEMA

    def derived(self, source: dict[str, Any], request: ResourceActionRequest) -> Any:
        key = str(request.properties.get("input_key") or "get_input")
        values = dict(request.properties.get("input_values") or {})
        defaults = {i.get("name"): i.get("default") for i in source.get("inputs") or []}

        def substitute(value: Any) -> Any:
            if isinstance(value, dict):
                if len(value) == 1 and key in value:
                    name = value[key]
                    return values.get(name, defaults.get(name))
                return {k: substitute(v) for k, v in value.items()}
            if isinstance(value, list):
                return [substitute(v) for v in value]
            return value

        return substitute(source.get("config"))


SOFTWARE_PLUGINS: tuple[ResourcePlugin, ...] = (
    SoftwareConfig(),
    StructuredConfig(),
    CloudConfig(),
    MultipartMime(),
    SoftwareDeployment(),
    StructuredDeployment(),
)
