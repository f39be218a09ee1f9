"""Custom constraints of parameters (nova.flavor, glance.image, ...), checked against the cloud.

Plugin modules register one check per constraint name; a check raises ResourceFailure with
the cloud's reason when the value names nothing there. The API runs them before a stack is
created, so a bad flavor or network is Heat's 400 and nothing is touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openstack.connection import Connection

from activities.cloud import call
from activities.resources.base import ResourceFailure
from activities.types import ResourceActionRequest
from service.settings import get_settings

Check = Callable[[Connection, str], Any]

_CHECKS: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    """Declare the check of the custom constraint `name` (used as a decorator by plugins)."""

    def add(check: Check) -> Check:
        _CHECKS[name] = check
        return check

    return add


def constraint_names() -> list[str]:
    return sorted(_CHECKS)


@dataclass(frozen=True)
class ConstrainedValue:
    """One value a parameter gives to one custom constraint."""

    parameter: str
    constraint: str
    value: Any


async def check_values(project_id: str, values: list[ConstrainedValue]) -> str | None:
    """Upstream's message for the first value the cloud does not know, or None.

    Nothing is checked when no cloud is configured (the in-engine types need none), nor for
    constraint names no plugin registered.
    """
    wanted = [item for item in values if item.constraint in _CHECKS]
    if not wanted or not get_settings().cloud.configured:
        return None
    for item in wanted:
        scope = ResourceActionRequest(
            stack_id="",
            stack_name="",
            project_id=project_id,
            resource_name=item.parameter,
            resource_type=item.constraint,
            step="check",
        )
        value = str(item.value)
        try:
            await call(scope, _bound(_CHECKS[item.constraint], value))
        except ResourceFailure as failure:
            return (
                f"Parameter '{item.parameter}' is invalid: "
                f"Error validating value '{value}': {failure}"
            )
    return None


def _bound(check: Check, value: str) -> Callable[[Connection], Any]:
    def run(conn: Connection) -> Any:
        return check(conn, value)

    return run
