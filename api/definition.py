"""Turns a create or validate request body into a checked stack definition, in Heat's words."""

from __future__ import annotations

from typing import Any, Literal

import yaml

from activities.resources.registry import type_schema
from api.bodies import bool_param, check_stack_name, int_param, tags_param
from api.errors import HeatError, bad_request
from templates import (
    StackIdentity,
    TemplateError,
    environment_body,
    parse_template,
    validate_response,
    validate_stack,
)
from templates.api_errors import api_error_type
from workflows.types import ResourceState, StackState


def _template(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("template") is None:
        if body.get("template_url"):
            raise bad_request(
                "Could not retrieve template: template_url is not supported; "
                "send the template in the request body."
            )
        raise bad_request("No template specified")
    return parse_template(body["template"])


def _environment(body: dict[str, Any]) -> dict[str, Any]:
    environment = body.get("environment") or {}
    if isinstance(environment, str):
        try:
            environment = yaml.safe_load(environment) or {}
        except yaml.YAMLError as error:
            raise bad_request(f"Environment not in valid format: {error}") from error
    if not isinstance(environment, dict):
        raise bad_request("The environment is not a valid YAML mapping data type.")
    return environment


def _parameters(body: dict[str, Any]) -> dict[str, Any]:
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise bad_request("The parameters must be a JSON object.")
    return parameters


def _files(body: dict[str, Any]) -> dict[str, str]:
    files = body.get("files") or {}
    if not isinstance(files, dict):
        raise bad_request("The files must be a JSON object.")
    return {str(k): str(v) for k, v in files.items()}


def _as_http_error(error: TemplateError, endpoint: Literal["create", "validate"]) -> HeatError:
    return HeatError(400, error.message, api_error_type(error, endpoint))


def build_stack_state(
    body: dict[str, Any], project_id: str, owner: str, stack_id: str
) -> StackState:
    """Validate a POST /stacks body as Heat does and build the new stack's initial state."""
    name = check_stack_name(body.get("stack_name"))
    timeout = int_param("timeout_mins", body.get("timeout_mins"))
    disable_rollback = bool_param("disable_rollback", body.get("disable_rollback"), default=True)
    tags = tags_param(body.get("tags"))
    environment = _environment(body)
    parameters = _parameters(body)
    files = _files(body)
    try:
        template = _template(body)
        validated = validate_stack(
            template,
            parameters,
            environment,
            type_schema,
            identity=StackIdentity(stack_id, name, project_id),
        )
    except TemplateError as error:
        raise _as_http_error(error, "create") from error
    resources = {
        rname: ResourceState(
            name=rname, type=definition.type, description=definition.description or ""
        )
        for rname, definition in validated.template.resources.items()
    }
    # Heat stores the request's parameters inside the environment it shows back.
    stored_environment = environment_body(environment) | {
        "encrypted_param_names": list(environment.get("encrypted_param_names") or [])
    }
    stored_environment["parameters"] = {**stored_environment["parameters"], **parameters}
    return StackState(
        stack_id=stack_id,
        stack_name=name,
        project_id=project_id,
        owner=owner,
        template=template,
        environment=stored_environment,
        files=files,
        parameters=parameters,
        disable_rollback=disable_rollback,
        timeout_mins=timeout,
        tags=tags,
        resources=resources,
    )


def validation_report(body: dict[str, Any]) -> dict[str, Any]:
    """The POST /validate answer, or Heat's 400."""
    environment = _environment(body)
    parameters = _parameters(body)
    try:
        template = _template(body)
        validate_stack(template, parameters, environment, type_schema, strict=False)
        return validate_response(template, environment)
    except TemplateError as error:
        raise _as_http_error(error, "validate") from error
