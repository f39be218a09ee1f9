"""Whole-stack validation in upstream's order, and the POST /validate response body."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from templates.dependencies import DependencyGraph
from templates.errors import StackValidationFailed, TemplateError
from templates.function import Function, resolve, validate_snippet
from templates.parameters import Parameters, StackIdentity
from templates.parsing import parse_template
from templates.properties import validate_properties
from templates.resolution import make_context
from templates.schema import ResourceTypeSchema
from templates.template import Template

TypeLookup = Callable[[str], ResourceTypeSchema | None]


@dataclass(frozen=True)
class ValidatedStack:
    """What a successful validation learnt; the create workflow starts from it."""

    template: Template
    parameters: Parameters
    graph: DependencyGraph
    resource_types: Mapping[str, ResourceTypeSchema]
    properties: Mapping[str, dict[str, Any]]


class _Scope:
    """ValidationScope over the template's resources and their declared attributes."""

    def __init__(self, types: Mapping[str, ResourceTypeSchema]) -> None:
        self._types = types

    def has_resource(self, name: str) -> bool:
        return name in self._types

    def attribute_names(self, name: str) -> Collection[str] | None:
        schema = self._types[name]
        return None if schema.dynamic_attributes else schema.all_attributes()


def as_template(template: Template | str | bytes | Mapping[str, Any]) -> Template:
    """Accept template text, a parsed mapping or a Template."""
    if isinstance(template, Template):
        return template
    return Template(parse_template(template))


def environment_parameters(
    environment: Mapping[str, Any] | None, user_params: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(parameters, parameter_defaults) of an environment, the request's parameters on top."""
    env = environment or {}
    params = {**(env.get("parameters") or {}), **(user_params or {})}
    return params, dict(env.get("parameter_defaults") or {})


def validate_stack(
    template: Template | str | bytes | Mapping[str, Any],
    user_params: Mapping[str, Any] | None,
    environment: Mapping[str, Any] | None,
    type_lookup: TypeLookup,
    *,
    strict: bool = True,
    identity: StackIdentity | None = None,
) -> ValidatedStack:
    """Validate a stack as Heat does before a create, raising its FIRST error.

    `strict=True` is stack create (values checked, required parameters
    needed); `strict=False` is POST /validate (Heat's strict_validate=False:
    only names, references and structure).
    """
    tmpl = as_template(template)
    params_in, defaults = environment_parameters(environment, user_params)
    parameters = Parameters(
        tmpl.parameter_schemas, params_in, defaults, identity or StackIdentity()
    )
    parameters.validate(check_values=strict)
    tmpl.conditions  # noqa: B018 - raises when the template has conditions
    resources = tmpl.resources

    types: dict[str, ResourceTypeSchema] = {}
    for name, definition in resources.items():
        schema = type_lookup(definition.type)
        if schema is None:
            raise StackValidationFailed(
                f"The Resource Type ({definition.type}) could not be found."
            )
        types[name] = schema

    duplicates = set(parameters) & set(resources)
    if duplicates:
        raise StackValidationFailed(f"Duplicate names {duplicates}")

    graph = DependencyGraph.from_resources(resources)
    scope = _Scope(types)
    ctx = make_context(tmpl, parameters.known_values())
    validated: dict[str, dict[str, Any]] = {}
    for name in graph.order:
        definition = resources[name]
        try:
            for section, snippet in (
                ("properties", definition.properties),
                ("metadata", definition.metadata),
                ("deletion_policy", definition.deletion_policy),
                ("update_policy", definition.update_policy),
                ("external_id", definition.external_id),
            ):
                validate_snippet(snippet, scope, [section])
            if isinstance(definition.deletion_policy, Function):
                tmpl.check_deletion_policy(resolve(definition.deletion_policy, ctx))
        except StackValidationFailed as exc:
            raise StackValidationFailed(
                exc.error_message, error=exc.error, path=["resources", name, *exc.path]
            ) from None
        validated[name] = _validate_resource_properties(
            name, definition.properties, types[name], ctx, strict
        )

    for key, output in tmpl.outputs.items():
        try:
            validate_snippet(output.value, scope, ["value"])
        except StackValidationFailed as exc:
            raise StackValidationFailed(
                exc.error_message, error=exc.error, path=["outputs", key, *exc.path]
            ) from None

    return ValidatedStack(tmpl, parameters, graph, types, validated)


def _validate_resource_properties(
    name: str,
    snippet: Any,
    schema: ResourceTypeSchema,
    ctx: Any,
    strict: bool,
) -> dict[str, Any]:
    path = ["resources", name, "properties"]
    if isinstance(snippet, Function):
        try:
            snippet = resolve(snippet, ctx) if strict else {}
        except TemplateError as exc:
            raise StackValidationFailed(str(exc), error="Property error", path=path) from None
    raw = dict(snippet or {})
    # Unknown names are reported before any value is resolved, as upstream.
    if not schema.any_properties:
        validate_properties(schema.properties, raw, name, check_values=False)
    if not strict:
        return raw
    values: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            values[key] = resolve(value, ctx)
        except TemplateError as exc:
            raise StackValidationFailed(
                str(exc), error="Property error", path=[*path, key]
            ) from None
    if schema.any_properties:
        return values
    return validate_properties(schema.properties, values, name)


def validate_response(
    template: Template | str | bytes | Mapping[str, Any],
    environment: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The 200 body of POST /validate (call validate_stack(strict=False) first)."""
    tmpl = as_template(template)
    params_in, defaults = environment_parameters(environment)
    parameters = Parameters(tmpl.parameter_schemas, params_in, defaults)
    body: dict[str, Any] = {
        # Heat's HOT template answers "No description" for a missing or empty one.
        "Description": tmpl.description or "No description",
        "Parameters": parameters.validate_api_body(),
    }
    if tmpl.parameter_groups:
        body["ParameterGroups"] = tmpl.parameter_groups
    body["Environment"] = environment_body(environment)
    return body


def environment_body(environment: Mapping[str, Any] | None) -> dict[str, Any]:
    """The user environment as Heat renders it (Environment.user_env_as_dict)."""
    env = environment or {}
    registry = dict(env.get("resource_registry") or {})
    return {
        "resource_registry": {"resources": registry.pop("resources", {}), **registry},
        "parameters": dict(env.get("parameters") or {}),
        "parameter_defaults": dict(env.get("parameter_defaults") or {}),
        "event_sinks": list(env.get("event_sinks") or []),
    }
