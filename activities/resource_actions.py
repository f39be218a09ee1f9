"""The resource-action activity: one step of one resource action, dispatched to its plugin."""

from __future__ import annotations

import asyncio

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.faults import inject_resource_fault
from activities.ledger import record_step
from activities.resources.base import ResourceFailure
from activities.resources.registry import plugin_for
from activities.types import ActionResult, ResourceActionRequest, StepOutcome

RESOURCE_ACTION = "resource_action"
IN_ENGINE_ACTIONS = "in_engine_resource_actions"


@activity.defn(name=RESOURCE_ACTION)
async def resource_action(request: ResourceActionRequest) -> ActionResult:
    """Run one step. User errors fail at once, in Heat's words; anything else is retried."""
    plugin = plugin_for(request.resource_type)
    if plugin is None:
        raise ApplicationError(
            f"The Resource Type ({request.resource_type}) could not be found.",
            type="ResourceTypeNotFound",
            non_retryable=True,
        )
    step = getattr(plugin, request.step)
    # Local activities (in-engine types) cannot heartbeat; they are retried with their task.
    heartbeats = None if activity.info().is_local else asyncio.create_task(_heartbeat())
    try:
        inject_resource_fault(request)
        result: ActionResult = await step(request)
    except ResourceFailure as failure:
        raise ApplicationError(
            f"{failure.kind}: resources.{request.resource_name}: {failure}",
            type=failure.kind,
            non_retryable=True,
        ) from failure
    finally:
        if heartbeats is not None:
            heartbeats.cancel()
    record_step(request, result)
    return result


@activity.defn(name=IN_ENGINE_ACTIONS)
async def in_engine_resource_actions(requests: list[ResourceActionRequest]) -> list[StepOutcome]:
    """Run the steps of several in-engine resources (None, Value, RandomString) at once.

    The workflow gathers the steps that become ready together into one local activity, so a
    wave of N cheap resources costs one activity round instead of N. Each step's user error is
    reported on its own outcome; the others still succeed.
    """
    outcomes = []
    for request in requests:
        try:
            outcomes.append(StepOutcome(result=await resource_action(request)))
        except ApplicationError as error:
            outcomes.append(
                StepOutcome(
                    error=error.message,
                    error_type=error.type or "Error",
                    transient=not error.non_retryable,
                )
            )
        except Exception as error:
            outcomes.append(
                StepOutcome(error=str(error), error_type=type(error).__name__, transient=True)
            )
    return outcomes


async def _heartbeat() -> None:
    """Heartbeat every 2 s, so a worker that dies mid-step is noticed within the heartbeat
    timeout (seconds) instead of the step's whole start-to-close timeout."""
    while True:
        activity.heartbeat()
        await asyncio.sleep(2)
