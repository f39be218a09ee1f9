"""Turns a create or validate request body into a checked stack definition, in Heat's words."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import yaml

from activities.resources.registry import type_schema
from activities.resources.services import service_of, unavailable_reason
from api.bodies import bool_param, check_stack_name, int_param, tags_param
from api.errors import HeatError, bad_request
from templates import (
    ResourceTypeSchema,
    ResourceTypeUnavailable,
    StackDefinition,
    StackIdentity,
    Template,
    TemplateError,
    parse_template,
    validation_body,
)
from templates.api_errors import api_error_type
from workflows.rendering import initial_resources
from workflows.stack_data import adopt_entries
from workflows.types import StackState

# heat.common.exception.ERROR_CODE_MAP: the codes POST /validate may be told to ignore.
IGNORABLE_ERROR_CODES = (ResourceTypeUnavailable.error_code,)
# What an unavailable type validates as when POST /validate ignores 99001: upstream then skips
# that resource's validation altogether.
_NOT_VALIDATED = ResourceTypeSchema(any_properties=True, dynamic_attributes=True)
TypeLookup = Callable[[str], ResourceTypeSchema | None]


def type_lookup(catalog: frozenset[str] | None, ignore_unavailable: bool = False) -> TypeLookup:
    """The declared schema of a type, refusing one whose service is not in the caller's
    catalog as upstream does (ResourceTypeUnavailable); `catalog` None checks nothing."""

    def lookup(type_name: str) -> ResourceTypeSchema | None:
        reason = unavailable_reason(type_name, catalog)
        service = service_of(type_name)
        if reason is None or service is None:
            return type_schema(type_name)
        if ignore_unavailable:
            return _NOT_VALIDATED
        raise ResourceTypeUnavailable(service.name, type_name, reason)

    return lookup


def request_template(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("template") is None:
        if body.get("template_url"):
            raise bad_request(
                "Could not retrieve template: template_url is not supported; "
                "send the template in the request body."
            )
        raise bad_request("No template specified")
    if not isinstance(body["template"], (str, dict)):
        # JSON can carry a list or a number here; only text or an object is a template.
        raise bad_request("The template is not a JSON object or YAML mapping.")
    return parse_template(body["template"])


def request_environment(body: dict[str, Any]) -> dict[str, Any]:
    environment = body.get("environment") or {}
    if isinstance(environment, str):
        try:
            environment = yaml.safe_load(environment) or {}
        except yaml.YAMLError as error:
            raise bad_request(f"Environment not in valid format: {error}") from error
    if not isinstance(environment, dict):
        raise bad_request("The environment is not a valid YAML mapping data type.")
    return environment


def request_parameters(body: dict[str, Any]) -> dict[str, Any]:
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise bad_request("The parameters must be a JSON object.")
    return parameters


def request_environment_files(body: dict[str, Any]) -> list[str] | None:
    names = body.get("environment_files") or None
    if names is not None and not (
        isinstance(names, list) and all(isinstance(n, str) for n in names)
    ):
        raise bad_request("environment_files must be a list of file names.")
    return names


def request_files(body: dict[str, Any]) -> dict[str, str]:
    files = body.get("files") or {}
    if not isinstance(files, dict):
        raise bad_request("The files must be a JSON object.")
    return {str(k): str(v) for k, v in files.items()}


def as_http_error(error: TemplateError, endpoint: Literal["create", "validate"]) -> HeatError:
    return HeatError(400, error.message, api_error_type(error, endpoint))


def refuse_unavailable(types: Iterable[str], catalog: frozenset[str] | None) -> None:
    """Upstream's 400 ResourceTypeUnavailable for the first of `types` (a template's type
    names, as written) whose service is not in the caller's catalog."""
    lookup = type_lookup(catalog)
    for name in types:
        try:
            lookup(name)
        except ResourceTypeUnavailable as error:
            raise as_http_error(error, "create") from error


def build_stack_state(
    body: dict[str, Any],
    project_id: str,
    owner: str,
    stack_id: str,
    catalog: frozenset[str] | None = None,
) -> StackState:
    """Validate a POST /stacks body as Heat does and build the new stack's initial state.

    `catalog` is the caller's service types: a type whose service is missing is refused."""
    name = check_stack_name(body.get("stack_name"))
    timeout = int_param("timeout_mins", body.get("timeout_mins"))
    disable_rollback = bool_param("disable_rollback", body.get("disable_rollback"), default=True)
    tags = tags_param(body.get("tags"))
    environment = request_environment(body)
    parameters = request_parameters(body)
    files = request_files(body)
    adopt = adopt_data(body)
    if adopt is not None and body.get("template") is None:
        # heatclient's adopt sends only the data; its template is the stack's.
        body = {**body, "template": adopt.get("template")}
    try:
        template = request_template(body)
        definition = StackDefinition.from_request(
            Template(template, files),
            environment=environment,
            files=files,
            params=parameters,
            environment_files=request_environment_files(body),
            identity=StackIdentity(stack_id, name, project_id),
        )
        definition.validate(type_lookup(catalog), strict=True)
        resources = initial_resources(definition)
    except TemplateError as error:
        raise as_http_error(error, "create") from error
    # Heat stores the environment (environment_files merged in) with the request's parameters
    # inside it, and shows it back so.
    stored_environment = definition.environment.with_parameters(parameters).stored_body()
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
        implicit_dependencies=True,
        adopt_data=adopt_entries((adopt or {}).get("resources")),
    )


def adopt_data(body: dict[str, Any]) -> dict[str, Any] | None:
    """The request's adopt_stack_data (an object, or JSON text as heatclient sends it)."""
    data = body.get("adopt_stack_data")
    if data is None:
        return None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise bad_request(f"Invalid adopt data: {error}") from error
    if not isinstance(data, dict):
        raise bad_request("Invalid adopt data: it must be a JSON object.")
    return data


def validation_report(
    body: dict[str, Any],
    query: Mapping[str, str] | None = None,
    catalog: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The POST /validate answer, or Heat's 400.

    `query` carries `show_nested` and `ignore_errors` (upstream reads them
    from the query string); the body's `files` and `environment_files` are
    merged as upstream merges them.
    """
    query = query or {}
    environment = request_environment(body)
    parameters = request_parameters(body)
    files = request_files(body)
    environment_files = request_environment_files(body)
    show_nested = bool_param("show_nested", query.get("show_nested"))
    ignore_errors = [e for e in (query.get("ignore_errors") or "").split(",") if e]
    if ignore_errors:
        invalid = sorted(set(ignore_errors) - set(IGNORABLE_ERROR_CODES))
        if invalid:
            raise bad_request(f"Invalid codes in ignore_errors : {invalid}")
    try:
        template = request_template(body)
        definition = StackDefinition.from_request(
            Template(template, files),
            environment=environment,
            files=files,
            params=parameters,
            environment_files=environment_files,
        )
        ignored = ResourceTypeUnavailable.error_code in ignore_errors
        definition.validate(type_lookup(catalog, ignore_unavailable=ignored), strict=False)
        return validation_body(definition, show_nested=show_nested)
    except TemplateError as error:
        raise as_http_error(error, "validate") from error
