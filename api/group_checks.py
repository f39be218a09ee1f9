"""A ResourceGroup's member is validated before a create or an update starts, as upstream's
ResourceGroup.validate_nested_stack: the group's nested stack is built with its first member
only and validated, down through the provider templates (and groups) that member is made of,
so a bad member definition is the request's 400, not a failed create later. A group of count
0 validates nothing (upstream's test_resource_group_zero_novalidate: a feature switched off
by a zero count may hold what would not validate, such as an image that does not exist)."""

from __future__ import annotations

from typing import Any

from activities.resources.registry import runs_in_workflow, type_schema
from api.definition import as_http_error
from api.engine import Engine
from api.errors import HeatError
from api.update_bodies import checked_update
from templates import StackValidationFailed, TemplateError, contains_unknown
from workflows.groups import GROUP_TYPE, GROUP_TYPES
from workflows.nested import (
    MAX_NESTED_DEPTH,
    REMOTE_STACK_TYPE,
    child_definition,
    nested_state,
)
from workflows.rendering import StackModel
from workflows.types import ResourceState, StackState, UpdateArgs
from workflows.update_plan import with_definition


def check_group_members(state: StackState) -> None:
    """Heat's 400 when a group's first member would not validate."""
    try:
        _check_stack(state, [], depth=0)
    except TemplateError as error:
        raise as_http_error(error, "create") from error


async def check_update_group_members(
    engine: Engine, project_id: str, stack_name: str, args: UpdateArgs
) -> None:
    """The same check on what an update (PUT, or PATCH merged into the stack) leads to."""
    if args.template is not None and "ResourceGroup" not in repr((args.template, args.environment)):
        return
    state = await engine.state(project_id, stack_name)
    try:
        definition = checked_update(state, args)
    except HeatError:  # the entity answers for an invalid definition, as for any update
        return
    check_group_members(with_definition(state, definition))


def _check_stack(state: StackState, path: list[str], depth: int) -> None:
    """Validate the nested stacks of `state`'s groups (at the top) or of its groups and
    provider template resources (inside a nested stack), as far as they are known."""
    if depth >= MAX_NESTED_DEPTH:
        return
    model = StackModel(state)
    for name in model.resources:
        implementation = model.implementation(name)
        if implementation != GROUP_TYPE and (
            depth == 0
            or implementation in GROUP_TYPES
            or implementation == REMOTE_STACK_TYPE
            or not runs_in_workflow(implementation)
        ):
            continue
        properties = _properties(model, name, implementation)
        if properties is None:
            continue
        if implementation == GROUP_TYPE:
            if not properties.get("count"):
                continue
            # Its first member alone, as upstream builds the test template: a group of
            # thousands costs the request no more than a group of one.
            properties = {**properties, "count": 1}
        resource = state.resources.get(name) or ResourceState(
            name=name, type=model.resources[name].type
        )
        resource = resource.model_copy(deep=True, update={"implementation": implementation})
        url = "nested_stack" if implementation == GROUP_TYPE else implementation
        where = [*path, "resources", f"{name}<{url}>"]
        try:
            child = child_definition(state, resource, properties, model)
            nested = nested_state(
                state,
                name,
                "None",
                f"{state.stack_name}-{name}",
                child,
                uniform=implementation == GROUP_TYPE,
            )
        except TemplateError as error:
            raise _wrapped(error, where) from error
        _check_stack(nested, where, depth + 1)


def _properties(model: StackModel, name: str, implementation: str) -> dict[str, Any] | None:
    """The resource's properties, or None when they are not known before it is made (a value
    from another resource) or do not validate (the stack's own validation reports that)."""
    try:
        values = model.resource_properties(name)
        if contains_unknown(values):
            return None
        return model.validated_properties(name, values, type_schema(implementation))
    except TemplateError:
        return None


def _wrapped(error: TemplateError, where: list[str]) -> StackValidationFailed:
    """The nested stack's error with the path to it in front, as upstream's
    StackValidationFailed(ex, path=[resources, "<name><<template url>>"]) puts it:
    "resources.group<nested_stack>.resources.0<provider.yaml>.resources.random: : Value
    'BAD' is not an integer" for a property of `random` inside the group's member."""
    if not isinstance(error, StackValidationFailed):
        return StackValidationFailed(error.message, path=where)
    if error.error == "Property error" and error.path[:1] == ["resources"]:
        return StackValidationFailed(
            f": {error.error_message}", path=[*where, *[str(p) for p in error.path[:2]]]
        )
    return StackValidationFailed(
        error.error_message, error=error.error, path=[*where, *[str(p) for p in error.path]]
    )
