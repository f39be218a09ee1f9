"""The resource-action activity: one step of one resource action, dispatched to its plugin."""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.resources.base import ResourceFailure
from activities.resources.registry import plugin_for
from activities.types import ActionResult, ResourceActionRequest

RESOURCE_ACTION = "resource_action"


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
    try:
        result: ActionResult = await step(request)
    except ResourceFailure as failure:
        raise ApplicationError(
            f"{failure.kind}: resources.{request.resource_name}: {failure}",
            type=failure.kind,
            non_retryable=True,
        ) from failure
    return result
