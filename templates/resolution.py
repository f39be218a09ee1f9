"""Resolve a stack's snippets (resource properties, outputs) against parameters and resources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from templates.function import EvalContext, NoResources, ResourceLookup, resolve
from templates.template import OutputDefinition, ResourceDefinition, Template


def make_context(
    template: Template,
    parameters: Mapping[str, Any],
    resources: ResourceLookup | None = None,
) -> EvalContext:
    """An evaluation context for `template`; without a lookup every resource is UNKNOWN."""
    return EvalContext(
        parameters=parameters,
        resource_names=frozenset(template.resources),
        resources=resources if resources is not None else NoResources(),
    )


@dataclass(frozen=True)
class ResolvedResource:
    """A resource definition with every function evaluated."""

    name: str
    type: str
    properties: dict[str, Any]
    metadata: dict[str, Any]
    deletion_policy: str
    update_policy: dict[str, Any]


def resolve_resource(
    template: Template, definition: ResourceDefinition, ctx: EvalContext
) -> ResolvedResource:
    """Evaluate a resource's properties, metadata and policies (raises TemplateError)."""
    policy = resolve(definition.deletion_policy, ctx)
    return ResolvedResource(
        name=definition.name,
        type=definition.type,
        properties=dict(resolve(definition.properties, ctx) or {}),
        metadata=dict(resolve(definition.metadata, ctx) or {}),
        deletion_policy=template.check_deletion_policy(policy) if policy else "Delete",
        update_policy=dict(resolve(definition.update_policy, ctx) or {}),
    )


def resolve_output(output: OutputDefinition, ctx: EvalContext) -> Any:
    """The value of one output (raises TemplateError when it cannot be computed)."""
    return resolve(output.value, ctx)
