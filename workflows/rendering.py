"""The template layer seen from the engine: a stack's graph, resolved properties and outputs."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from templates import (
    UNKNOWN,
    DependencyGraph,
    EvalContext,
    Parameters,
    ResourceTypeSchema,
    StackIdentity,
    Template,
    TemplateError,
    contains_unknown,
    make_context,
    resolve_output,
    resolve_resource,
    validate_properties,
)
from templates.function import dependencies as snippet_dependencies
from workflows.types import StackState


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
        return resource.attributes.get(attr)

    def attributes(self, name: str) -> dict[str, Any]:
        resource = self._state.resources.get(name)
        return dict(resource.attributes) if resource is not None else {}


def stack_parameters(state: StackState, template: Template) -> Parameters:
    environment = state.environment or {}
    params = {**(environment.get("parameters") or {}), **state.parameters}
    return Parameters(
        schemas=template.parameter_schemas,
        user_params=params,
        param_defaults=environment.get("parameter_defaults") or {},
        identity=StackIdentity(state.stack_id, state.stack_name, state.project_id),
    )


class StackModel:
    """A stack's template bound to its current state. Pure: safe inside a workflow."""

    def __init__(self, state: StackState) -> None:
        self._state = state
        self.template = Template(state.template)

    @cached_property
    def _graph(self) -> DependencyGraph:
        return DependencyGraph.from_resources(self.template.resources)

    @cached_property
    def _parameters(self) -> dict[str, Any]:
        return stack_parameters(self._state, self.template).known_values()

    def _context(self) -> EvalContext:
        return make_context(self.template, self._parameters, _StateLookup(self._state))

    @cached_property
    def _requires(self) -> dict[str, frozenset[str]]:
        return {name: frozenset(deps) for name, deps in self._graph.requires.items()}

    def dependencies(self) -> dict[str, frozenset[str]]:
        """What each resource requires (shared: do not modify)."""
        return self._requires

    def required_by(self) -> dict[str, list[str]]:
        return {name: list(users) for name, users in self._graph.required_by.items()}

    def resource_properties(self, name: str) -> dict[str, Any]:
        """The resource's properties with every function resolved against the current state."""
        definition = self.template.resources[name]
        return resolve_resource(self.template, definition, self._context()).properties

    @staticmethod
    def validated_properties(
        name: str, properties: Mapping[str, Any], schema: ResourceTypeSchema | None
    ) -> dict[str, Any]:
        if schema is None or schema.any_properties:
            return dict(properties)
        return validate_properties(schema.properties, properties, name)

    def output_references(self) -> set[str]:
        """The resources the outputs read."""
        return {
            str(ref.resource)
            for output in self.template.outputs.values()
            for ref in snippet_dependencies(output.value)
        }

    def resolve_outputs(self) -> list[dict[str, Any]]:
        outputs = []
        context = self._context()
        for key, definition in self.template.outputs.items():
            entry: dict[str, Any] = {"output_key": key, "description": definition.description}
            try:
                value = resolve_output(definition, context)
                entry["output_value"] = None if contains_unknown(value) else value
            except TemplateError as error:
                entry["output_value"] = None
                entry["output_error"] = error.message
            outputs.append(entry)
        return outputs


def parameters_for_display(state: StackState) -> dict[str, str]:
    template = Template(state.template)
    return stack_parameters(state, template).display()


def outputs_in_progress(template_data: dict[str, Any]) -> list[dict[str, Any]]:
    template = Template(template_data)
    return [
        {"output_key": key, "description": d.description, "output_value": None}
        for key, d in template.outputs.items()
    ]


def required_by(state: StackState) -> dict[str, list[str]]:
    return StackModel(state).required_by()
