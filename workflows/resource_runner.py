"""Runs one resource's actions inside an operation workflow: activity steps, polling, events."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.resource_actions import RESOURCE_ACTION
    from activities.resources.registry import (
        is_in_engine,
        plugin_for,
        runs_in_workflow,
        type_schema,
    )
    from activities.types import ActionResult, ActionStep, ResourceActionRequest
    from templates import TemplateError
    from workflows.deployments import DEPLOYMENT_TYPES, Deployments
    from workflows.hooks import Hooks
    from workflows.local_batch import InEngineBatcher, StepFailed
    from workflows.nested import (
        ADOPT_NESTED_PATCH,
        NestedStacks,
        Superseded,
        adopts_nested_stack,
    )
    from workflows.projector import Projector
    from workflows.rendering import StackModel
    from workflows.types import ResourceState, StackState, implementation_of
    from workflows.waits import WAIT_TYPES, WaitConditions

# Cloud calls: transient failures (5xx, timeouts) are retried with backoff; user errors are
# raised non-retryable by the activity. Heartbeats let a dead worker be noticed in seconds.
_REMOTE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=10,
)
_SHORT_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
# The start and check steps of the actions that take no new properties.
# What a check step raises when the cloud no longer holds the resource.
_GONE_ERRORS = ("NotFound", "EntityNotFound")
_SIMPLE_STEPS: dict[str, tuple[ActionStep, ActionStep]] = {
    "SUSPEND": ("suspend", "check_suspend"),
    "RESUME": ("resume", "check_resume"),
    "CHECK": ("check", "check"),
}


# Stack snapshots and `deletion_policy: Snapshot` take cloud snapshots (volumes, servers).
CLOUD_SNAPSHOTS_PATCH = "cloud-resource-snapshots-2026-12"


def cloud_snapshot_requests(state: StackState, data: dict[str, Any]) -> list[ResourceActionRequest]:
    """The delete_snapshot steps for the cloud snapshots one stack snapshot's data names."""
    requests = []
    for name, entry in (data.get("resources") or {}).items():
        current = state.resources.get(name)
        type_name = implementation_of(current) if current is not None else str(entry.get("type"))
        plugin = plugin_for(type_name)
        recorded = dict(entry.get("resource_data") or {})
        if plugin is None or not any(recorded.get(key) for key in plugin.snapshot_keys):
            continue
        requests.append(
            ResourceActionRequest(
                stack_id=state.stack_id,
                stack_name=state.stack_name,
                project_id=state.project_id,
                resource_name=name,
                resource_type=type_name,
                step="delete_snapshot",
                physical_id=str(entry.get("resource_id") or ""),
                data=recorded,
                trust_id=state.trust_id,
            )
        )
    return requests


async def delete_cloud_snapshot(request: ResourceActionRequest) -> None:
    """Remove the cloud snapshot a stack snapshot recorded (`request.data`), and wait until
    it is gone: a volume cannot be deleted while it has snapshots."""
    outcome = await ResourceRunner._remote(request)
    while outcome.poll_after is not None:
        await workflow.sleep(timedelta(seconds=outcome.poll_after))
        outcome = await ResourceRunner._remote(
            request.model_copy(update={"step": "check_delete_snapshot"})
        )


class Aborted(Exception):
    """The operation was stopped (timeout, failure elsewhere, cancel) while this step waited."""


def cause_message(error: ActivityError) -> str:
    cause: Any = error.cause
    while cause is not None and not isinstance(cause, ApplicationError) and cause.cause:
        cause = cause.cause
    if isinstance(cause, ApplicationError):
        return cause.message
    return str(cause or error)


class ResourceRunner:
    """Carries out resource actions for one operation and records them as Heat does.

    Every action emits `<ACTION>_IN_PROGRESS` then `_COMPLETE` or `_FAILED` (with Heat's
    reason) to the listings. Start steps may ask to be polled; the wait is a durable timer
    that a stop request cuts short ("<ACTION> aborted").
    """

    def __init__(
        self,
        state: StackState,
        projector: Projector,
        stopped: Callable[[], bool],
        nested: NestedStacks,
        hooks: Hooks,
    ) -> None:
        self._state = state
        self._projector = projector
        self._stopped = stopped
        self._in_engine = InEngineBatcher()
        self._nested = nested
        self._waits = WaitConditions(state, stopped)
        self._deployments = Deployments(state, stopped, self._remote)
        self.hooks = hooks

    # -- actions ----------------------------------------------------------------------------

    async def create(self, name: str, model: StackModel) -> bool:
        state = self._state
        resource = state.resources[name]
        await self.attribute_delay(model.dependencies()[name])
        await self.hooks.pause(resource, "CREATE", "pre")
        now = workflow.now()
        resource.action = "CREATE"
        resource.creation_time = resource.creation_time or now
        resource.updated_time = now
        invalid: TemplateError | None = None
        properties: dict[str, Any] = {}
        metadata: dict[str, Any] | None = None
        external_id: str | None = None
        try:
            resource.properties = model.resource_properties(name)
            resource.deletion_policy = model.deletion_policy(name)
            external_id = model.external_id(name)
            properties = model.validated_properties(
                name, resource.properties, type_schema(implementation_of(resource))
            )
            metadata = model.resource_metadata(name)
        except TemplateError as template_error:
            invalid = template_error
        if external_id is not None:
            # external_id: take over what exists, and never delete it (upstream's ADOPT).
            resource.action = "ADOPT"
            resource.external_id = external_id
            resource.deletion_policy = "Retain"
        self.record(resource, "IN_PROGRESS", "state changed")
        if invalid is not None:
            reason = f"{invalid.error_type}: resources.{name}: {invalid.message}"
            self.record(resource, "FAILED", reason)
            return False
        if external_id is not None:
            request = self._request(resource, "adopt", properties)
            request.physical_id = external_id
            return await self._run(resource, request, "adopt")
        request = self._request(resource, "create", properties)
        request.physical_name = self._physical_name(name)
        if metadata is not None:
            request.metadata = metadata
        if not await self._run(resource, request, "check_create", model=model):
            return False
        await self.hooks.pause(resource, "CREATE", "post")
        return True

    async def adopt(self, name: str, model: StackModel, data: dict[str, Any] | None) -> bool:
        """Record an existing resource as this one (its id and data from adopt_stack_data)."""
        resource = self._state.resources[name]
        resource.action = "ADOPT"
        resource.creation_time = resource.updated_time = workflow.now()
        try:
            resource.properties = model.resource_properties(name)
            properties = self._validated(resource, resource.properties)
        except TemplateError as error:
            self.record(resource, "IN_PROGRESS", "state changed")
            self.record(
                resource, "FAILED", f"{error.error_type}: resources.{name}: {error.message}"
            )
            return False
        self.record(resource, "IN_PROGRESS", "state changed")
        if adopts_nested_stack(implementation_of(resource)) and workflow.patched(
            ADOPT_NESTED_PATCH
        ):
            # As upstream's StackResource.handle_adopt: a new nested stack, which adopts the
            # resources the abandoned one held (this entry is that stack's abandon data).
            request = self._request(resource, "create", properties)
            request.physical_name = self._physical_name(name)
            request.adopt_data = dict(data or {})
            return await self._run(resource, request, "check_create", model=model)
        if not data or not data.get("resource_id"):
            self.record(
                resource, "FAILED", f"Error: resources.{name}: Resource ID was not provided."
            )
            return False
        resource.data = dict(data.get("resource_data") or {})
        request = self._request(resource, "adopt", properties)
        request.physical_id = str(data["resource_id"])
        return await self._run(resource, request, "adopt")

    async def snapshot(self, resource: ResourceState, snapshot_id: str) -> bool:
        """Take the cloud snapshot of a resource whose type has one (a stack snapshot)."""
        resource.action = "SNAPSHOT"
        self.record(resource, "IN_PROGRESS", "state changed")
        request = self._request(resource, "snapshot", resource.properties)
        # Named after the stack snapshot, so a retried step finds what it made.
        request.physical_name = snapshot_id
        return await self._run(resource, request, "check_snapshot")

    async def restore_data(self, resource: ResourceState, data: dict[str, Any]) -> bool:
        """Give a resource the data a snapshot recorded (its value, for the built-ins), and
        return it to its cloud snapshot when its type has one (a volume reverted to its
        Cinder snapshot, a server rebuilt from its image)."""
        plugin = plugin_for(implementation_of(resource))
        if (
            plugin is not None
            and plugin.supports_snapshot
            and any(data.get(key) for key in plugin.snapshot_keys)
            and workflow.patched(CLOUD_SNAPSHOTS_PATCH)
        ):
            resource.action = "RESTORE"
            self.record(resource, "IN_PROGRESS", "state changed")
            request = self._request(resource, "restore", resource.properties)
            return await self._run(resource, request, "check_restore", data=data)
        resource.data = {**resource.data, **data}
        request = self._request(resource, "adopt", self._validated(resource, resource.properties))
        try:
            await self._action(request, resource)
        except (ActivityError, StepFailed) as error:
            resource.status_reason = str(error)
            return False
        self._projector.resource_changed(resource)
        return True

    async def update(
        self,
        resource: ResourceState,
        properties: dict[str, Any],
        changed: list[str],
        model: StackModel | None = None,
    ) -> bool:
        """Update in place to `properties` (as resolved from the template, before defaults).

        `model` is the definition the properties come from (a nested stack takes its
        template from it)."""
        await self.hooks.pause(resource, "UPDATE", "pre")
        resource.action = "UPDATE"
        old = resource.properties
        resource.properties = properties
        self.record(resource, "IN_PROGRESS", "state changed")
        try:
            request = self._request(resource, "update", self._validated(resource, properties))
            request.old_properties = self._validated(resource, old)
        except TemplateError as error:
            self.record(
                resource,
                "FAILED",
                f"{error.error_type}: resources.{resource.name}: {error.message}",
            )
            return False
        request.changed = changed
        if not await self._run(resource, request, "check_update", model=model):
            return False
        await self.hooks.pause(resource, "UPDATE", "post")
        return True

    @staticmethod
    def _validated(resource: ResourceState, properties: dict[str, Any]) -> dict[str, Any]:
        return StackModel.validated_properties(
            resource.name, properties, type_schema(implementation_of(resource))
        )

    async def delete(self, resource: ResourceState, listed: bool = True) -> bool:
        """Delete a resource. `listed=False` for a replaced resource: its name's listing row
        belongs to its replacement, so only events are written for it."""
        await self.hooks.pause(resource, "DELETE", "pre")
        resource.action = "DELETE"
        self.record(resource, "IN_PROGRESS", "state changed", listed)
        plugin = plugin_for(implementation_of(resource))
        snapshot_first = (
            resource.deletion_policy == "Snapshot"
            and plugin is not None
            and plugin.supports_snapshot
            and bool(resource.physical_id)
            and workflow.patched(CLOUD_SNAPSHOTS_PATCH)
        )
        if snapshot_first:
            # Snapshot: take the cloud snapshot, which outlives the stack, then delete.
            request = self._request(resource, "snapshot", resource.properties)
            request.physical_name = f"delete-{self._state.operations}"
            if not await self._run(resource, request, "check_snapshot", False, listed, final=False):
                return False
        if resource.deletion_policy == "Retain" or (
            snapshot_first and plugin is not None and plugin.kept_by_snapshot_policy
        ):
            # Retain: the stack forgets the resource; the cloud keeps it.
            resource.updated_time = workflow.now()
            self.record(resource, "COMPLETE", "state changed", listed)
        elif resource.physical_id or resource.data:
            # Deletes are not cut short by a stop: what is started is finished.
            ok = await self._run(
                resource,
                self._request(resource, "delete", resource.properties),
                "check_delete",
                interruptible=False,
                listed=listed,
            )
            if not ok:
                return False
        else:
            resource.updated_time = workflow.now()
            self.record(resource, "COMPLETE", "state changed", listed)
        await self.hooks.pause(resource, "DELETE", "post")
        if listed:
            self._projector.resource_changed(resource, removed=True)
        return True

    async def simple(self, resource: ResourceState, action: str) -> bool:
        """SUSPEND, RESUME or CHECK one resource."""
        plugin = plugin_for(implementation_of(resource))
        supported = plugin is not None and plugin.supports_check
        if (
            action == "CHECK"
            and supported
            and plugin is not None
            and plugin.check_patch is not None
            and not workflow.patched(plugin.check_patch)
        ):
            supported = False
        if action == "CHECK" and not supported:
            resource.action = action
            self.record(resource, "COMPLETE", f"CHECK not supported for {resource.type}")
            return True
        resource.action = action
        self.record(resource, "IN_PROGRESS", "state changed")
        step, check = _SIMPLE_STEPS[action]
        return await self._run(resource, self._request(resource, step, resource.properties), check)

    async def is_gone(self, resource: ResourceState) -> bool:
        """Whether the cloud no longer holds this resource (an update's `converge`).

        Asked with the type's own check step; only "not found" counts, as upstream replaces
        a resource only when its live state raises EntityNotFound."""
        plugin = plugin_for(implementation_of(resource))
        if (
            plugin is None
            or not plugin.supports_check
            or not resource.physical_id
            or resource.external_id
        ):
            return False
        request = self._request(resource, "check", resource.properties).model_copy(
            update={"physical_id": resource.physical_id, "data": resource.data}
        )
        try:
            await self._remote(request)
        except ActivityError as error:
            cause = error.cause
            return isinstance(cause, ApplicationError) and cause.type in _GONE_ERRORS
        return False

    async def prepare_for_replace(self, resource: ResourceState) -> bool:
        """Upstream's prepare_for_replace on the resource an update is about to replace (a
        port gives up its fixed IPs, for its replacement to take): what it will change is
        recorded in the resource's data by one step, changed by the next. False, with the
        resource UPDATE FAILED, when it failed."""
        request = self._request(resource, "prepare_for_replace", resource.properties)
        try:
            await self._action(request, resource)
            check = request.model_copy(update={"step": "check_prepare_for_replace"})
            await self._action(check, resource)
        except (ActivityError, StepFailed) as error:
            resource.action = "UPDATE"
            message = cause_message(error) if isinstance(error, ActivityError) else str(error)
            self.record(resource, "FAILED", message)
            return False
        return True

    async def restore_prev(self, resource: ResourceState) -> bool:
        """Upstream's restore_prev_rsrc: a rollback keeps the old resource of a replacement
        (its replacement deleted), which takes back what prepare_for_replace gave up."""
        request = self._request(resource, "restore_prev", resource.properties)
        try:
            await self._action(request, resource)
        except (ActivityError, StepFailed) as error:
            message = cause_message(error) if isinstance(error, ActivityError) else str(error)
            self.record(resource, "FAILED", message)
            return False
        return True

    async def live_properties(self, resource: ResourceState) -> dict[str, Any] | None:
        """What an update's `converge` compares: the properties the cloud holds now (those its
        type reads back), or None when the cloud no longer holds the resource."""
        plugin = plugin_for(implementation_of(resource))
        if plugin is None or not plugin.supports_live_state:
            return None if await self.is_gone(resource) else {}
        if not resource.physical_id or resource.external_id:
            return {}
        request = self._request(resource, "live_state", resource.properties).model_copy(
            update={"physical_id": resource.physical_id, "data": resource.data}
        )
        try:
            result = await self._remote(request)
        except ActivityError as error:
            cause = error.cause
            if isinstance(cause, ApplicationError) and cause.type in _GONE_ERRORS:
                return None
            return {}
        return result.live_properties or {}

    async def attribute_delay(self, names: AbstractSet[str]) -> None:
        """Reading a TestResource's attributes takes its `attr_wait_secs`, as upstream."""
        resources = self._state.resources
        delay = max(
            (float(resources[n].data.get("attr_wait_secs") or 0) for n in names if n in resources),
            default=0.0,
        )
        if delay > 0:
            await workflow.sleep(timedelta(seconds=delay))

    def record(
        self, resource: ResourceState, status: str, reason: str, listed: bool = True
    ) -> None:
        resource.status, resource.status_reason = status, reason
        if listed:
            self._projector.resource_changed(resource)
        self._projector.resource_event(resource)

    # -- internals --------------------------------------------------------------------------

    def _request(
        self, resource: ResourceState, step: ActionStep, properties: dict[str, Any]
    ) -> ResourceActionRequest:
        state = self._state
        return ResourceActionRequest(
            stack_id=state.stack_id,
            stack_name=state.stack_name,
            project_id=state.project_id,
            resource_name=resource.name,
            resource_type=implementation_of(resource),
            step=step,
            properties=properties,
            trust_id=state.trust_id,
        )

    async def _run(
        self,
        resource: ResourceState,
        request: ResourceActionRequest,
        check_step: ActionStep,
        interruptible: bool = True,
        listed: bool = True,
        model: StackModel | None = None,
        final: bool = True,
        data: dict[str, Any] | None = None,
    ) -> bool:
        """Run a step and its checks; record COMPLETE (unless not `final`) or FAILED.
        `data` is sent instead of the resource's own (a restore's recorded data)."""
        action = resource.action
        try:
            outcome = await self._action(request, resource, model, data)
            while outcome.poll_after is not None and check_step != request.step:
                await self._wait(outcome.poll_after, interruptible)
                outcome = await self._action(
                    request.model_copy(update={"step": check_step}), resource, data=data
                )
        except ActivityError as error:
            self.record(resource, "FAILED", cause_message(error), listed)
            return False
        except StepFailed as error:
            self.record(resource, "FAILED", str(error), listed)
            return False
        except Aborted:
            self.record(resource, "FAILED", f"{action} aborted", listed)
            return False
        except Superseded:
            # Left IN_PROGRESS: the update that took over decides what becomes of it.
            return False
        if final:
            resource.updated_time = workflow.now()
            self.record(resource, "COMPLETE", "state changed", listed)
        return True

    async def _action(
        self,
        request: ResourceActionRequest,
        resource: ResourceState,
        model: StackModel | None = None,
        data: dict[str, Any] | None = None,
    ) -> ActionResult:
        request = request.model_copy(
            update={
                "physical_id": resource.physical_id or request.physical_id,
                "data": resource.data if data is None else data,
            }
        )
        if request.resource_type in WAIT_TYPES:
            outcome = await self._waits.act(request, resource)
        elif request.resource_type in DEPLOYMENT_TYPES:
            outcome = await self._deployments.act(request, resource)
        elif runs_in_workflow(request.resource_type):
            outcome = await self._nested.act(request, resource, model)
        elif is_in_engine(request.resource_type):
            outcome = await self._in_engine.submit(request)
        else:
            outcome = await self._remote(request)
        if outcome.physical_id is not None:
            resource.physical_id = outcome.physical_id
        if outcome.reference_id is not None:
            resource.reference_id = outcome.reference_id
        if outcome.attributes is not None:
            resource.attributes = outcome.attributes
        if outcome.data is not None:
            resource.data = outcome.data
        return outcome

    @staticmethod
    async def _remote(request: ResourceActionRequest) -> ActionResult:
        """One step as an activity: retried with backoff, heartbeating while it runs."""
        return await workflow.execute_activity(
            RESOURCE_ACTION,
            request,
            result_type=ActionResult,
            start_to_close_timeout=timedelta(minutes=5),
            heartbeat_timeout=timedelta(seconds=10),
            retry_policy=_REMOTE_RETRY,
            summary=f"{request.step} {request.resource_name} ({request.resource_type})",
        )

    async def _wait(self, seconds: float, interruptible: bool) -> None:
        """A durable wait; a stop request cuts it short unless it must not be interrupted."""
        if not interruptible:
            await workflow.sleep(timedelta(seconds=seconds))
            return
        try:
            await workflow.wait_condition(self._stopped, timeout=timedelta(seconds=seconds))
        except TimeoutError:
            return
        raise Aborted()

    def _physical_name(self, name: str) -> str:
        rnd = workflow.random()
        short_id = "".join(rnd.choice(_SHORT_ID_ALPHABET) for _ in range(12))
        return f"{self._state.stack_name}-{name}-{short_id}"
