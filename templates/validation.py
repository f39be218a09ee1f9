"""Whole-stack validation in upstream's order, and the POST /validate response body."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from templates.dependencies import DependencyGraph
from templates.environment import is_template_type
from templates.errors import ResourceTypeUnavailable, StackValidationFailed, TemplateError
from templates.function import Function, contains_unknown, resolve, validate_snippet
from templates.parameters import Parameters, StackIdentity, validate_parameter_groups
from templates.parsing import parse_template
from templates.properties import validate_properties
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
        # A provider template's resource takes any name, as upstream's TemplateResource (it
        # has its own get_attribute, so GetAtt.validate does not check the schema): an
        # output, `OS::stack_id`, `resource.<inner>[.<attribute>]`, or a name that is none
        # of them, which resolves to nothing.
        if schema.dynamic_attributes or schema.nested_resources:
            return None
        return schema.all_attributes()


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
    files: Mapping[str, str] | None = None,
    environment_files: list[str] | None = None,
) -> ValidatedStack:
    """Validate a stack as Heat does before a create, raising its FIRST error.

    `strict=True` is stack create (values checked, required parameters
    needed); `strict=False` is POST /validate (Heat's strict_validate=False:
    only names, references and structure).
    """
    from templates.stack_definition import StackDefinition

    definition = StackDefinition.from_request(
        as_template(template) if not isinstance(template, Template) else template,
        environment=environment,
        files=files,
        params=user_params,
        environment_files=environment_files,
        identity=identity,
    )
    return validate_definition(definition, type_lookup, strict=strict)


def validate_definition(
    definition: Any, type_lookup: TypeLookup, *, strict: bool = True
) -> ValidatedStack:
    """Validate a StackDefinition in upstream's order (Stack.validate), raising the first error."""
    tmpl = definition.template
    parameters = definition.parameters
    parameters.validate(check_values=strict)
    if not tmpl.is_cfn:
        validate_parameter_groups(tmpl.parameter_groups, list(parameters))
    definition.conditions.validate()
    resources = definition.resources
    lookup = definition.type_lookup_with_providers(type_lookup)

    types: dict[str, ResourceTypeSchema] = {}
    for name, res in resources.items():
        try:
            schema = lookup(definition.environment.registry.resolve(res.type, name))
        except ResourceTypeUnavailable as unavailable:
            # Upstream names the template's type, whatever the registry mapped it to.
            raise unavailable.for_type(res.type) from None
        if schema is None:
            raise StackValidationFailed(f"The Resource Type ({res.type}) could not be found.")
        types[name] = schema

    duplicates = set(parameters) & set(resources)
    if duplicates:
        raise StackValidationFailed(f"Duplicate names {duplicates}")

    graph = definition.graph
    scope = _Scope(types)
    ctx = definition.context()
    sections = tmpl.sections
    validated: dict[str, dict[str, Any]] = {}
    for name in graph.order:
        res = resources[name]
        try:
            for section, snippet in (
                (sections.res_properties, res.properties),
                (sections.res_metadata, res.metadata),
                (sections.res_deletion_policy, res.deletion_policy),
                (sections.res_update_policy, res.update_policy),
                ("external_id", res.external_id),
            ):
                validate_snippet(snippet, scope, [section])
            if isinstance(res.deletion_policy, Function):
                tmpl.check_deletion_policy(resolve(res.deletion_policy, ctx))
        except StackValidationFailed as exc:
            raise StackValidationFailed(
                exc.error_message, error=exc.error, path=[sections.resources, name, *exc.path]
            ) from None
        validated[name] = _validate_resource_properties(
            name, res.properties, types[name], ctx, strict
        )
        registry = definition.environment.registry
        implementation = registry.resolve(res.type, name)
        if is_template_type(implementation) and implementation != registry.resolve(res.type):
            facade = lookup(res.type)
            if facade is not None:
                _check_facade(res.type, facade, types[name])

    for key, output in definition.outputs.items():
        try:
            validate_snippet(output.value, scope, ["value"])
        except StackValidationFailed as exc:
            raise StackValidationFailed(
                exc.error_message, error=exc.error, path=[sections.outputs, key, *exc.path]
            ) from None

    return ValidatedStack(tmpl, parameters, graph, types, validated)


def _check_facade(type_name: str, facade: ResourceTypeSchema, provider: ResourceTypeSchema) -> None:
    """A provider template that a per-resource registry entry puts behind a type must offer
    what the type's own (global) implementation offers: upstream's _validate_against_facade."""
    if not facade.any_properties:
        for name, prop in facade.properties.items():
            if prop.required and name not in provider.properties:
                raise StackValidationFailed(
                    f"Required property {name} for facade {type_name} missing in provider"
                )
        for name, prop in provider.properties.items():
            if prop.required and name not in facade.properties:
                raise StackValidationFailed(
                    f"Provider requires property {name} unknown in facade {type_name}"
                )
    for attr in facade.attributes:
        if attr not in provider.attributes:
            raise StackValidationFailed(
                f"Attribute {attr} for facade {type_name} missing in provider"
            )


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
    parameters = Parameters(tmpl.parameter_schemas, params_in, defaults, cfn=tmpl.is_cfn)
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


def validation_body(definition: Any, show_nested: bool = False) -> dict[str, Any]:
    """The 200 body of POST /validate for a StackDefinition (after validate(strict=False))."""
    tmpl = definition.template
    body: dict[str, Any] = {
        "Description": tmpl.description or "No description",
        "Parameters": definition.parameters.validate_api_body(),
    }
    if tmpl.parameter_groups:
        body["ParameterGroups"] = tmpl.parameter_groups
    if show_nested:
        nested = _nested_parameters(definition)
        if nested:
            body["NestedParameters"] = nested
    environment = definition.environment.user_body()
    registry = environment.get("resource_registry")
    if isinstance(registry, dict):
        # A type that is itself a template file is registered under its own name while the
        # stack is validated, and upstream's answer shows it (TemplateResource.template_data).
        for res in definition.resources.values():
            if is_template_type(res.type) and res.type in definition.files:
                registry.setdefault(res.type, res.type)
    body["Environment"] = environment
    return body


def _nested_parameters(definition: Any) -> dict[str, Any]:
    from templates.stack_definition import StackDefinition

    out: dict[str, Any] = {}
    for name in definition.resources:
        provider = definition.provider_template(name)
        if provider is None:
            continue
        try:
            # The values the resource passes show as the nested parameters' Value.
            params = {
                k: v
                for k, v in definition.resolve_resource(name).properties.items()
                if not contains_unknown(v)
            }
        except TemplateError:
            params = {}
        child = StackDefinition.from_request(
            provider.template,
            environment=provider.environment,
            files=provider.files,
            params=params,
        )
        body = validation_body(child, show_nested=True)
        # Upstream's nested entries carry no Environment.
        body.pop("Environment", None)
        out[name] = {**body, "Type": definition.resources[name].type}
    return out
