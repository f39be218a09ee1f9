"""The template layer seen from the engine: a stack's graph, resolved properties and outputs."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from templates import (
    UNKNOWN,
    ResourceDefinition,
    ResourceTypeSchema,
    StackDefinition,
    StackIdentity,
    Template,
    resolve,
    validate_properties,
)
from templates.environment import is_template_type
from templates.errors import InvalidTemplateAttribute, TemplateOutputError
from templates.function import Facade, functions_in
from templates.function import dependencies as snippet_dependencies
from templates.hot_functions import GetAttThenSelect
from templates.implicit_dependencies import with_implicit
from workflows.types import ResourceState, StackState, implementation_of


class _StateLookup:
    """Answers get_resource / get_attr from the engine's resource states."""

    def __init__(self, state: StackState) -> None:
        self._state = state

    def physical_id(self, name: str) -> str | None:
        resource = self._state.resources.get(name)
        if resource is None or not resource.physical_id:
            return None
        return resource.reference_id or resource.physical_id

    def attribute(self, name: str, attr: str) -> Any:
        resource = self._state.resources.get(name)
        if resource is None or resource.action == "INIT":
            return UNKNOWN
        errors = resource.data.get("output_errors")
        if isinstance(errors, dict) and attr in errors:
            # A nested stack's output that failed there fails here too, as upstream.
            raise TemplateOutputError(name, attr, str(errors[attr]))
        if attr.startswith("resource."):
            return _inner_attribute(resource, attr)
        if (
            resource.status == "COMPLETE"
            and attr not in resource.attributes
            and attr != "show"
            and is_template_type(implementation_of(resource))
        ):
            # A provider template's attributes are its stack's outputs (all of them, once its
            # stack answered): validation lets any name through, as upstream's
            # TemplateResource, and one that is no output fails where it is read, as
            # upstream's get_output (OS::stack_id included).
            raise InvalidTemplateAttribute(name, attr)
        return resource.attributes.get(attr)

    def attributes(self, name: str) -> dict[str, Any]:
        resource = self._state.resources.get(name)
        return dict(resource.attributes) if resource is not None else {}


def _inner_attribute(resource: ResourceState, key: str) -> Any:
    """`resource.<inner>` (its reference) or `resource.<inner>.<attribute>` of a nested
    stack's resource, as upstream's get_nested_attrs: a provider template's inner resources
    the parent asked for (`inner_resources` in the resource's data), or a group's member
    (`resource.<member>` holds its attributes, `refs_map` or, by index, `refs` its
    reference)."""
    parts = key.split(".", 2)
    inner = parts[1]
    wanted = resource.data.get("inner_resources")
    if isinstance(wanted, dict) and isinstance(wanted.get(inner), dict):
        entry = wanted[inner]
        if len(parts) == 2:
            return entry.get("reference")
        return (entry.get("attributes") or {}).get(parts[2])
    member = resource.attributes.get(f"resource.{inner}")
    if len(parts) == 3:
        return member.get(parts[2]) if isinstance(member, dict) else None
    if not isinstance(member, dict):
        return member
    refs_map = resource.attributes.get("refs_map")
    if isinstance(refs_map, dict) and inner in refs_map:
        return refs_map[inner]
    refs = resource.attributes.get("refs")
    if isinstance(refs, list) and inner.isdigit() and int(inner) < len(refs):
        return refs[int(inner)]
    return None


def stack_definition(state: StackState) -> StackDefinition:
    """The stack's template, environment, files and parameters as the template layer sees them."""
    return StackDefinition.from_request(
        Template(state.template, state.files),
        environment=state.environment,
        files=state.files,
        params=state.parameters,
        identity=StackIdentity(state.stack_id, state.stack_name, state.project_id),
        facade=facade_of(state.facade),
    )


def facade_of(data: Mapping[str, Any] | None) -> Facade | None:
    """What `resource_facade` reads in a provider template's stack."""
    if data is None:
        return None
    return Facade(
        metadata=dict(data.get("metadata") or {}),
        deletion_policy=str(data.get("deletion_policy") or "Delete"),
        update_policy=dict(data.get("update_policy") or {}),
    )


def initial_resources(definition: StackDefinition) -> dict[str, ResourceState]:
    """A new stack's resources, all INIT_COMPLETE, with the types that implement them."""
    return {
        name: ResourceState(
            name=name,
            type=resource.type,
            implementation=definition.resource_type(name),
            description=resource.description or "",
        )
        for name, resource in definition.resources.items()
    }


class StackModel:
    """A stack's definition bound to its current state. Pure: safe inside a workflow."""

    def __init__(self, state: StackState) -> None:
        self._state = state
        self.definition = stack_definition(state)

    @property
    def resources(self) -> dict[str, ResourceDefinition]:
        """The resources that exist (a resource whose condition is false does not)."""
        return self.definition.resources

    def implementation(self, name: str) -> str:
        """The plugin type that implements a resource (its type through resource_registry)."""
        return self.definition.resource_type(name)

    @cached_property
    def _requires(self) -> dict[str, frozenset[str]]:
        graph = self.definition.graph
        explicit = {name: frozenset(deps) for name, deps in graph.requires.items()}
        if not self._state.implicit_dependencies:
            return explicit
        return with_implicit(self.definition, explicit)

    def dependencies(self) -> dict[str, frozenset[str]]:
        """What each resource requires (shared: do not modify), upstream's implicit
        dependencies among Neutron resources included for stacks made since they were."""
        return self._requires

    def required_by(self) -> dict[str, list[str]]:
        users = {name: list(users) for name, users in self.definition.graph.required_by.items()}
        for name, deps in self._requires.items():
            for dep in deps:
                if name not in users.setdefault(dep, []):
                    users[dep].append(name)
        return users

    def resource_properties(self, name: str) -> dict[str, Any]:
        """The resource's properties with every function resolved against the current state."""
        return self.definition.resolve_resource(name, _StateLookup(self._state)).properties

    def external_id(self, name: str) -> str | None:
        """The id of an existing resource the template takes over (`external_id`), if any."""
        raw = self.definition.resources[name].external_id
        if raw is None:
            return None
        value = resolve(raw, self.definition.context(_StateLookup(self._state)))
        return None if value is None else str(value)

    def deletion_policy(self, name: str) -> str:
        return self.definition.resolve_resource(name, _StateLookup(self._state)).deletion_policy

    def resource_metadata(self, name: str) -> dict[str, Any]:
        return self.definition.resolve_resource(name, _StateLookup(self._state)).metadata

    def facade_data(self, name: str) -> dict[str, Any]:
        """What the provider template behind this resource reads with `resource_facade`."""
        resolved = self.definition.resolve_resource(name, _StateLookup(self._state))
        return {
            "metadata": resolved.metadata,
            "deletion_policy": resolved.deletion_policy,
            "update_policy": resolved.update_policy,
        }

    @staticmethod
    def validated_properties(
        name: str, properties: Mapping[str, Any], schema: ResourceTypeSchema | None
    ) -> dict[str, Any]:
        if schema is None or schema.any_properties:
            return dict(properties)
        return validate_properties(schema.properties, properties, name)

    @cached_property
    def inner_references(self) -> dict[str, list[str]]:
        """For each resource, the resources of its nested stack this stack's get_attr calls
        name (`[res, resource.<inner>, ...]` or `[res, "resource.<inner>.<attr>"]`)."""
        snippets: list[Any] = [output.value for output in self.definition.outputs.values()]
        for resource in self.definition.resources.values():
            snippets += [resource.properties, resource.metadata]
        found: dict[str, set[str]] = {}
        for function in functions_in(snippets):
            if not isinstance(function, GetAttThenSelect):
                continue
            name, attr = function.resource_name, function.attribute
            if isinstance(name, str) and isinstance(attr, str) and attr.startswith("resource."):
                found.setdefault(name, set()).add(attr.split(".", 2)[1])
        return {name: sorted(inner) for name, inner in found.items()}

    def output_references(self) -> set[str]:
        """The resources the outputs read."""
        return {
            str(ref.resource)
            for output in self.definition.outputs.values()
            for ref in snippet_dependencies(output.value)
        }

    def resolve_outputs(self) -> list[dict[str, Any]]:
        return self.definition.resolve_outputs(_StateLookup(self._state))


def parameters_for_display(state: StackState) -> dict[str, str]:
    return stack_definition(state).parameters.display()


def outputs_in_progress(template_data: dict[str, Any]) -> list[dict[str, Any]]:
    template = Template(template_data)
    return [
        {"output_key": key, "description": d.description, "output_value": None}
        for key, d in template.outputs.items()
    ]


def required_by(state: StackState) -> dict[str, list[str]]:
    return StackModel(state).required_by()
