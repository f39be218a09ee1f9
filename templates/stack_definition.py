"""One stack's definition: template + environment + files + parameters, the single entry point.

The engine and the API ask it for the effective resources (conditions
applied, `if` expanded, types mapped through the environment), the
dependency graph, parameter values, resolved properties and outputs, and
whole-stack validation, instead of assembling those pieces themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from templates import constraints as c
from templates.conditions import Conditions
from templates.dependencies import DependencyGraph
from templates.environment import Environment, is_template_type
from templates.errors import (
    FunctionArgumentError,
    StackValidationFailed,
    TemplateError,
)
from templates.function import (
    OMITTED,
    UNKNOWN,
    EvalContext,
    Facade,
    Function,
    NoResources,
    ResourceLookup,
    contains_unknown,
    resolve,
)
from templates.hot_functions import If
from templates.parameters import Parameters, StackIdentity
from templates.parsing import parse_template
from templates.resolution import ResolvedResource
from templates.schema import AttributeSchema, PropertySchema, ResourceTypeSchema
from templates.template import OutputDefinition, ResourceDefinition, Template

_PARAM_TO_PROPERTY = {
    "string": c.STRING,
    "number": c.NUMBER,
    "comma_delimited_list": c.LIST,
    "json": c.MAP,
    "boolean": c.BOOLEAN,
}


# Plain values need no expansion; checking their exact type first skips the (slow) abstract
# Mapping checks for the bulk of a large template.
_PLAIN = (str, int, float, bool, type(None))


def expand_conditionals(snippet: Any, ctx: EvalContext) -> Any:
    """Replace each `if` by the branch its condition selects (upstream's If is a macro).

    An `if` whose condition is not known yet stays as it is; a nullable
    `if` without a false branch removes its enclosing item.
    """
    if type(snippet) in _PLAIN:
        return snippet
    if isinstance(snippet, If):
        branch = snippet.chosen(ctx)
        if branch is UNKNOWN:
            return snippet
        return expand_conditionals(branch, ctx)
    if isinstance(snippet, Function):
        return snippet
    if isinstance(snippet, Mapping):
        out = {}
        for key, value in snippet.items():
            expanded = expand_conditionals(value, ctx)
            if expanded is not OMITTED:
                out[key] = expanded
        return out
    if isinstance(snippet, list):
        items = (expand_conditionals(v, ctx) for v in snippet)
        return [v for v in items if v is not OMITTED]
    return snippet


def _expand_fn_args(snippet: Any, ctx: EvalContext) -> Any:
    # `if` nested inside another function's arguments: expand in place so
    # dependencies follow only the chosen branch.
    if type(snippet) in _PLAIN:
        return snippet
    if isinstance(snippet, Function) and not isinstance(snippet, If):
        new_args = _expand_fn_args(snippet.args, ctx)
        if new_args == snippet.args:
            return snippet
        try:
            return type(snippet)(snippet.fn_name, new_args)
        except TemplateError:
            return snippet
    expanded = expand_conditionals(snippet, ctx)
    if isinstance(expanded, Mapping):
        return {k: _expand_fn_args(v, ctx) for k, v in expanded.items()}
    if isinstance(expanded, list):
        return [_expand_fn_args(v, ctx) for v in expanded]
    if isinstance(expanded, Function) and not isinstance(expanded, If):
        return _expand_fn_args(expanded, ctx)
    return expanded


@dataclass(frozen=True)
class ProviderTemplate:
    """A resource implemented by a template file: what the engine runs as a nested stack."""

    resource_name: str
    template_name: str
    template: dict[str, Any]
    files: Mapping[str, str]
    environment: Mapping[str, Any]

    def type_schema(self) -> ResourceTypeSchema:
        """Properties from its parameters, attributes from its outputs (TemplateResource)."""
        defaults = self.environment.get("parameter_defaults") or {}
        return provider_type_schema(Template(self.template, self.files), defaults)


def provider_type_schema(
    template: Template, parameter_defaults: Mapping[str, Any] | None = None
) -> ResourceTypeSchema:
    """The parent's parameter_defaults count as the parameters' defaults, as upstream's
    param_schemata: a parameter they give a value is not a required property."""
    properties = {}
    defaults = parameter_defaults or {}
    for name, schema in template.parameter_schemas.items():
        default = defaults.get(name, schema.default)
        properties[name] = PropertySchema(
            _PARAM_TO_PROPERTY[schema.type],
            schema.description,
            default=default,
            required=default is None,
            update_allowed=True,
            immutable=False,
        )
    attributes = {
        name: AttributeSchema(output.description) for name, output in template.outputs.items()
    }
    attributes["OS::stack_id"] = AttributeSchema("The stack id of the nested stack.")
    return ResourceTypeSchema(properties=properties, attributes=attributes, nested_resources=True)


@dataclass
class StackDefinition:
    """Everything a stack is defined by, and the questions the engine and the API ask of it."""

    template: Template
    environment: Environment = field(default_factory=Environment)
    files: Mapping[str, str] = field(default_factory=dict)
    user_params: Mapping[str, Any] = field(default_factory=dict)
    identity: StackIdentity = field(default_factory=StackIdentity)
    facade: Facade | None = None
    availability_zones: tuple[str, ...] | None = None

    @classmethod
    def from_request(
        cls,
        template: Template | str | bytes | Mapping[str, Any],
        *,
        environment: str | bytes | Mapping[str, Any] | None = None,
        files: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        environment_files: list[str] | None = None,
        identity: StackIdentity | None = None,
        facade: Facade | None = None,
    ) -> StackDefinition:
        """Build from a request's parts (template text or mapping, environment, files, params)."""
        files = dict(files or {})
        tmpl = (
            template
            if isinstance(template, Template)
            else Template(parse_template(template), files)
        )
        types = {name: s.type for name, s in tmpl.parameter_schemas.items()}
        env = Environment.from_data(
            environment, environment_files=environment_files, files=files, param_types=types
        )
        return cls(tmpl, env, files, dict(params or {}), identity or StackIdentity(), facade)

    # -- parameters and conditions ------------------------------------------------------

    @cached_property
    def parameters(self) -> Parameters:
        return Parameters(
            self.template.parameter_schemas,
            {**self.environment.parameters, **self.user_params},
            self.environment.parameter_defaults,
            self.identity,
            cfn=self.template.is_cfn,
        )

    @cached_property
    def parameter_values(self) -> dict[str, Any]:
        """Typed values of every parameter that has one (pseudo parameters included)."""
        return self.parameters.known_values()

    @cached_property
    def conditions(self) -> Conditions:
        return Conditions(self.template.conditions, self.parameter_values, self.template.mappings)

    @cached_property
    def _resource_names(self) -> frozenset[str]:
        # Built once: a context is made per resource, and a group has thousands.
        return frozenset(self.resources)

    def context(self, resources: ResourceLookup | None = None) -> EvalContext:
        """An evaluation context; without a lookup every resource is UNKNOWN."""
        return EvalContext(
            parameters=self.parameter_values,
            resource_names=self._resource_names,
            resources=resources if resources is not None else NoResources(),
            files=self.files,
            conditions=self.conditions,
            mappings=self.template.mappings,
            facade=self.facade,
            availability_zones=self.availability_zones,
        )

    def _static_context(self) -> EvalContext:
        return EvalContext(
            parameters=self.parameter_values,
            resource_names=frozenset(self.template.resources),
            files=self.files,
            conditions=self.conditions,
            mappings=self.template.mappings,
        )

    # -- resources ------------------------------------------------------------------------

    def _enabled(self, definition: ResourceDefinition) -> bool:
        if definition.condition is None:
            return True
        try:
            cond = resolve(definition.condition, self._static_context())
            enabled = self.conditions.is_enabled(cond)
        except FunctionArgumentError as exc:
            s = self.template.sections
            raise StackValidationFailed(
                exc.message, path=[s.resources, definition.name, s.res_condition]
            ) from None
        return enabled is not False

    @cached_property
    def resources(self) -> dict[str, ResourceDefinition]:
        """The resources that exist: condition false ones left out, `if` expanded."""
        ctx = self._static_context()
        out = {}
        for name, definition in self.template.resources.items():
            if not self._enabled(definition):
                continue
            out[name] = ResourceDefinition(
                name=name,
                type=definition.type,
                properties=_expand_fn_args(definition.properties, ctx),
                metadata=_expand_fn_args(definition.metadata, ctx),
                depends_on=tuple(d for d in definition.depends_on if d not in self._disabled),
                deletion_policy=_expand_fn_args(definition.deletion_policy, ctx),
                update_policy=_expand_fn_args(definition.update_policy, ctx),
                description=definition.description,
                external_id=definition.external_id,
                condition=definition.condition,
            )
        return out

    @cached_property
    def _disabled(self) -> frozenset[str]:
        return frozenset(self._disabled_names())

    def _disabled_names(self) -> set[str]:
        return {
            name
            for name, definition in self.template.resources.items()
            if not self._enabled(definition)
        }

    def resource_type(self, name: str) -> str:
        """The type that implements a resource, mapped through the resource_registry.

        A plugin type name, or a template file name for a provider template.
        """
        return self.environment.registry.resolve(self.resources[name].type, name)

    def provider_template(self, name: str) -> ProviderTemplate | None:
        """The template a resource runs as a nested stack, or None for a plugin type.

        Raises StackValidationFailed when the file is not in `files`, as upstream.
        """
        implementation = self.resource_type(name)
        if not is_template_type(implementation):
            return None
        text = self.files.get(implementation)
        if text is None:
            raise StackValidationFailed(
                f'Could not fetch remote template "{implementation}": '
                "the file is not in the request's files"
            )
        data = parse_template(text, implementation)
        registry = self.environment.registry.as_dict()
        registry.pop("resources", None)
        # The entry that led here is not the child's: inside the template the type means the
        # plugin again (`OS::Heat::RandomString: nested.yaml` with a RandomString in
        # nested.yaml), as upstream's get_child_environment removes that item.
        led_here = self._template_entry(name)
        if led_here is not None:
            registry.pop(led_here, None)
        child_env = {
            "resource_registry": registry,
            "parameter_defaults": dict(self.environment.parameter_defaults),
        }
        return ProviderTemplate(name, implementation, data, self.files, child_env)

    def _template_entry(self, name: str) -> str | None:
        """The registry key whose mapping turned this resource's type into a template."""
        registry = self.environment.registry
        current = self.resources[name].type
        seen: set[str] = set()
        while current not in seen:
            seen.add(current)
            entry = registry.lookup(current, name)
            if entry is None or not isinstance(entry.value, str):
                return None
            if entry.is_template:
                return entry.name
            current = entry.value
        return None

    def provider_parameters(self, name: str, resources: ResourceLookup | None = None) -> dict:
        """The parameters a provider-template resource passes: its resolved properties."""
        return self.resolve_resource(name, resources).properties

    @cached_property
    def graph(self) -> DependencyGraph:
        return DependencyGraph.from_resources(self.resources)

    def resolve_resource(
        self, name: str, resources: ResourceLookup | None = None
    ) -> ResolvedResource:
        """A resource's properties, metadata and policies against the current resources."""
        definition = self.resources[name]
        ctx = self.context(resources)
        policy = resolve(definition.deletion_policy, ctx)
        return ResolvedResource(
            name=name,
            type=definition.type,
            properties=dict(resolve(definition.properties, ctx) or {}),
            metadata=dict(resolve(definition.metadata, ctx) or {}),
            deletion_policy=self.template.check_deletion_policy(policy) if policy else "Delete",
            update_policy=dict(resolve(definition.update_policy, ctx) or {}),
        )

    # -- outputs --------------------------------------------------------------------------

    @cached_property
    def outputs(self) -> dict[str, OutputDefinition]:
        """Outputs; one whose condition is false has the value None (upstream)."""
        ctx = self._static_context()
        out = {}
        for key, output in self.template.outputs.items():
            enabled = True
            if output.condition is not None:
                try:
                    cond = resolve(output.condition, ctx)
                    enabled = self.conditions.is_enabled(cond) is not False
                except FunctionArgumentError as exc:
                    s = self.template.sections
                    raise StackValidationFailed(
                        exc.message, path=[s.outputs, key, s.out_condition]
                    ) from None
            value = _expand_fn_args(output.value, ctx) if enabled else None
            out[key] = OutputDefinition(key, value, output.description, output.condition)
        return out

    def resolve_outputs(self, resources: ResourceLookup | None = None) -> list[dict[str, Any]]:
        """Every output as the stack-show API lists it (output_error when it fails)."""
        ctx = self.context(resources)
        entries = []
        for key, output in self.outputs.items():
            entry: dict[str, Any] = {"output_key": key, "description": output.description}
            try:
                value = resolve(output.value, ctx)
                entry["output_value"] = None if contains_unknown(value) else value
            except TemplateError as error:
                entry["output_value"] = None
                entry["output_error"] = error.message
            entries.append(entry)
        return entries

    # -- validation -----------------------------------------------------------------------

    def validate(self, type_lookup: Any, strict: bool = True) -> Any:
        """Validate the whole stack in upstream's order; returns a ValidatedStack."""
        from templates.validation import validate_definition

        return validate_definition(self, type_lookup, strict=strict)

    def type_lookup_with_providers(self, type_lookup: Any) -> Any:
        """A type lookup that also knows this stack's provider templates (from `files`)."""

        def lookup(type_name: str) -> ResourceTypeSchema | None:
            mapped = self.environment.registry.resolve(type_name)
            if is_template_type(mapped):
                text = self.files.get(mapped)
                if text is None:
                    return None
                return provider_type_schema(
                    Template(parse_template(text, mapped), self.files),
                    self.environment.parameter_defaults,
                )
            schema = type_lookup(mapped)
            return schema if schema is not None else None

        return lookup
