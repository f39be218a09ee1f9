"""Checks a stack's parameters against the cloud (custom constraints) before a create or an
update starts."""

from __future__ import annotations

from activities.custom_constraints import ConstrainedValue, check_values
from api.engine import Engine
from api.errors import HeatError
from api.update_bodies import UpdateArgs, checked_update
from service.settings import get_settings
from templates import CustomConstraint, StackDefinition, Template
from workflows.types import StackState
from workflows.update_plan import with_definition


def constrained_values(state: StackState) -> list[ConstrainedValue]:
    """Every value a parameter gives to a custom constraint (each item of a list)."""
    definition = StackDefinition.from_request(
        Template(state.template, state.files),
        environment=state.environment,
        files=state.files,
        params=state.parameters,
    )
    out: list[ConstrainedValue] = []
    for parameter in definition.parameters.params.values():
        customs = [c for c in parameter.schema.constraints if isinstance(c, CustomConstraint)]
        if not customs or not parameter.has_value():
            continue
        value = parameter.value()
        values = value if isinstance(value, list) else [value]
        out += [
            ConstrainedValue(parameter.name, custom.constraint_name, item)
            for custom in customs
            for item in values
            if item not in (None, "")
        ]
    return out


async def check_parameter_constraints(state: StackState) -> None:
    """Heat's 400 when a parameter names a flavor, image, network ... the cloud lacks."""
    if not get_settings().cloud.configured:
        return  # nothing to check against (and no template parsed again for nothing)
    reason = await check_values(state.project_id, constrained_values(state))
    if reason is not None:
        raise HeatError(400, reason, "StackValidationFailed")


async def check_update_constraints(
    engine: Engine, project_id: str, stack_name: str, args: UpdateArgs
) -> None:
    """Upstream validates an update's parameters, custom constraints included, before
    anything changes: the same 400 as on create."""
    if not get_settings().cloud.configured:
        return
    state = await engine.state(project_id, stack_name)
    await check_parameter_constraints(with_definition(state, checked_update(state, args)))
