"""Fault injection for the proof harnesses: resource steps and projection writes fail on purpose.

Off unless the worker is configured with a rate (settings `fault_*`). A transient fault is an
ordinary exception, retried like a 5xx from a cloud API; a permanent one is a user error in
Heat's words, which fails the resource (and rolls the operation back when rollback is on).
Faults strike before the step does anything, as a refused API call would.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import Literal

from activities.resources.base import ResourceFailure
from activities.types import ResourceActionRequest

log = logging.getLogger("heat_temporal.faults")

FaultKind = Literal["transient", "permanent"]


class InjectedFault(Exception):
    """A transient failure injected on purpose; retried like any other."""


@dataclass(frozen=True)
class FaultPlan:
    """How often and where to fail. Empty `types` or `steps` mean every type or step."""

    rate: float = 0.0
    kind: FaultKind = "transient"
    types: frozenset[str] = field(default_factory=frozenset)
    steps: frozenset[str] = field(default_factory=frozenset)
    projection_rate: float = 0.0


_plan = FaultPlan()
_random = random.Random()


def configure(plan: FaultPlan) -> None:
    """Set the worker's plan (worker.py, from the settings)."""
    global _plan
    _plan = plan


def inject_resource_fault(request: ResourceActionRequest) -> None:
    plan = _plan
    if plan.rate <= 0 or _random.random() >= plan.rate:
        return
    if (plan.types and request.resource_type not in plan.types) or (
        plan.steps and request.step not in plan.steps
    ):
        return
    where = f"{request.step} of {request.stack_name}/{request.resource_name}"
    log.warning("injected %s fault in %s", plan.kind, where)
    if plan.kind == "permanent":
        raise ResourceFailure(f"Injected permanent fault in {request.step}", "Error")
    raise InjectedFault(f"injected transient fault in {where}")


def inject_projection_fault() -> None:
    if _plan.projection_rate > 0 and _random.random() < _plan.projection_rate:
        log.warning("injected projection fault")
        raise InjectedFault("injected projection fault: the listings database is unavailable")
