"""One stack operation (create, delete) as its own workflow: walk the graph, compensate."""

from __future__ import annotations

import asyncio
from collections.abc import Set as AbstractSet
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.resource_actions import RESOURCE_ACTION
    from activities.resources.registry import is_in_engine, type_schema
    from activities.types import ActionResult, ActionStep, ResourceActionRequest
    from templates import TemplateError
    from workflows import ids
    from workflows.projector import Projector
    from workflows.rendering import StackModel
    from workflows.scheduler import reverse, walk
    from workflows.types import OperationInput, OperationOutput, ResourceState, StackState

# Cloud calls: transient failures (5xx, timeouts) are retried with backoff; user errors are
# raised non-retryable by the activity. Heartbeats let a dead worker be noticed in seconds.
_REMOTE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=10,
)
_LOCAL_RETRY = RetryPolicy(maximum_attempts=5, initial_interval=timedelta(milliseconds=100))
_SHORT_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


class _Aborted(Exception):
    """The operation was stopped (timeout, failure elsewhere, cancel) while this step waited."""


@workflow.defn(name="StackOperation")
class StackOperationWorkflow:
    """Runs one operation over a snapshot of the stack and returns the new state.

    Progress goes to the listings through the projector as it happens; the returned state
    becomes the entity's authoritative state.
    """

    def __init__(self) -> None:
        self._stop_reason: str | None = None
        self._state: StackState | None = None

    @workflow.signal
    def stop(self, reason: str) -> None:
        """Stop starting work and end the operation (a delete arrived, or it was cancelled)."""
        if self._stop_reason is None:
            self._stop_reason = reason

    @workflow.query
    def state(self) -> StackState | None:
        return self._state

    @workflow.run
    async def run(self, op: OperationInput) -> OperationOutput:
        self._state = state = op.state
        projector = Projector(state, workflow.info().workflow_id)
        projector.start()
        self._projector = projector
        self._max_concurrency = op.max_concurrency
        model = StackModel(state)
        if op.kind == "create":
            await self._create(state, model, projector)
        else:
            await self._delete(state, model, projector)
        await projector.close()
        return OperationOutput(state=state)

    # -- create -----------------------------------------------------------------------------

    async def _create(self, state: StackState, model: StackModel, projector: Projector) -> None:
        timer = None
        if state.timeout_mins:
            timer = asyncio.create_task(self._timeout(state.timeout_mins))
        graph = model.dependencies()
        result = await walk(
            graph,
            lambda name: self._create_resource(state, model, projector, name),
            self._max_concurrency,
            lambda: self._stop_reason is not None,
        )
        if timer is not None:
            timer.cancel()
        if not result.failed and self._stop_reason is None:
            await self._attribute_delay(state, model.output_references())
            state.outputs = model.resolve_outputs()
            self._set_stack(
                state, projector, "CREATE", "COMPLETE", "Stack CREATE completed successfully"
            )
            return
        reason = self._stop_reason or self._failure_reason(state, result.failed)
        self._set_stack(state, projector, "CREATE", "FAILED", reason)
        if state.disable_rollback or self._stop_reason == _DELETE_REQUESTED:
            return
        await self._rollback(state, model, projector)

    async def _timeout(self, minutes: int) -> None:
        await workflow.sleep(timedelta(minutes=minutes))
        self.stop("Timed out")

    def _failure_reason(self, state: StackState, failed: list[str]) -> str:
        first = state.resources[failed[0]]
        return f"Resource {first.action} failed: {first.status_reason}"

    async def _create_resource(
        self, state: StackState, model: StackModel, projector: Projector, name: str
    ) -> bool:
        resource = state.resources[name]
        await self._attribute_delay(state, model.dependencies()[name])
        now = workflow.now()
        resource.action = "CREATE"
        resource.creation_time = resource.creation_time or now
        resource.updated_time = now
        invalid: TemplateError | None = None
        try:
            resource.properties = model.resource_properties(name)
            properties = model.validated_properties(
                name, resource.properties, type_schema(resource.type)
            )
        except TemplateError as template_error:
            invalid = template_error
        self._record(projector, resource, "IN_PROGRESS", "state changed")
        if invalid is not None:
            reason = f"{invalid.error_type}: resources.{name}: {invalid.message}"
            self._record(projector, resource, "FAILED", reason)
            return False
        physical_name = self._physical_name(state, name)
        request = ResourceActionRequest(
            stack_id=state.stack_id,
            stack_name=state.stack_name,
            project_id=state.project_id,
            resource_name=name,
            resource_type=resource.type,
            step="create",
            properties=properties,
            physical_name=physical_name,
        )
        try:
            outcome = await self._action(request, resource)
            while outcome.poll_after is not None:
                await self._wait(outcome.poll_after)
                outcome = await self._action(
                    request.model_copy(update={"step": "check_create"}), resource
                )
        except ActivityError as error:
            self._record(projector, resource, "FAILED", _cause_message(error))
            return False
        except _Aborted:
            self._record(projector, resource, "FAILED", "CREATE aborted")
            return False
        resource.updated_time = workflow.now()
        self._record(projector, resource, "COMPLETE", "state changed")
        return True

    # -- delete and rollback ----------------------------------------------------------------

    async def _delete(self, state: StackState, model: StackModel, projector: Projector) -> None:
        failed = await self._delete_resources(state, model, projector)
        if failed:
            self._set_stack(
                state, projector, "DELETE", "FAILED", self._failure_reason(state, failed)
            )
            return
        state.deletion_time = workflow.now()
        self._set_stack(
            state, projector, "DELETE", "COMPLETE", "Stack DELETE completed successfully"
        )

    async def _rollback(self, state: StackState, model: StackModel, projector: Projector) -> None:
        self._stop_reason = None
        self._set_stack(state, projector, "ROLLBACK", "IN_PROGRESS", "Stack ROLLBACK started")
        failed = await self._delete_resources(state, model, projector)
        if failed:
            self._set_stack(
                state, projector, "ROLLBACK", "FAILED", self._failure_reason(state, failed)
            )
            return
        self._set_stack(
            state, projector, "ROLLBACK", "COMPLETE", "Stack ROLLBACK completed successfully"
        )

    async def _delete_resources(
        self, state: StackState, model: StackModel, projector: Projector
    ) -> list[str]:
        # Only what was touched needs deleting; the rest is removed from the listings at once.
        touched = {
            n
            for n, r in state.resources.items()
            if r.action != "INIT" and not (r.action == "DELETE" and r.status == "COMPLETE")
        }
        for name, resource in state.resources.items():
            if name not in touched and resource.action == "INIT":
                projector.resource_changed(resource, removed=True)
        graph = {
            n: deps & touched for n, deps in reverse(model.dependencies()).items() if n in touched
        }
        result = await walk(
            graph,
            lambda name: self._delete_resource(state, projector, name),
            self._max_concurrency,
            lambda: False,
        )
        return result.failed

    async def _delete_resource(self, state: StackState, projector: Projector, name: str) -> bool:
        resource = state.resources[name]
        resource.action = "DELETE"
        self._record(projector, resource, "IN_PROGRESS", "state changed")
        if resource.physical_id or resource.data:
            request = ResourceActionRequest(
                stack_id=state.stack_id,
                stack_name=state.stack_name,
                project_id=state.project_id,
                resource_name=name,
                resource_type=resource.type,
                step="delete",
                physical_id=resource.physical_id,
                properties=resource.properties,
                data=resource.data,
            )
            try:
                outcome = await self._action(request, resource)
                while outcome.poll_after is not None:
                    await workflow.sleep(timedelta(seconds=outcome.poll_after))
                    outcome = await self._action(
                        request.model_copy(update={"step": "check_delete", "data": resource.data}),
                        resource,
                    )
            except ActivityError as error:
                self._record(projector, resource, "FAILED", _cause_message(error))
                return False
        resource.updated_time = workflow.now()
        self._record(projector, resource, "COMPLETE", "state changed")
        projector.resource_changed(resource, removed=True)
        return True

    # -- helpers ----------------------------------------------------------------------------

    async def _action(
        self, request: ResourceActionRequest, resource: ResourceState
    ) -> ActionResult:
        step: ActionStep = request.step
        request = request.model_copy(
            update={
                "physical_id": resource.physical_id or request.physical_id,
                "data": resource.data,
            }
        )
        if is_in_engine(request.resource_type):
            outcome = await workflow.execute_local_activity(
                RESOURCE_ACTION,
                request,
                result_type=ActionResult,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=_LOCAL_RETRY,
            )
        else:
            outcome = await workflow.execute_activity(
                RESOURCE_ACTION,
                request,
                result_type=ActionResult,
                start_to_close_timeout=timedelta(minutes=5),
                heartbeat_timeout=timedelta(seconds=10),
                retry_policy=_REMOTE_RETRY,
                summary=f"{step} {request.resource_name} ({request.resource_type})",
            )
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
    async def _attribute_delay(state: StackState, names: AbstractSet[str]) -> None:
        """Reading a TestResource's attributes takes its `attr_wait_secs`, as upstream."""
        delay = max(
            (
                float(state.resources[n].data.get("attr_wait_secs") or 0)
                for n in names
                if n in state.resources
            ),
            default=0.0,
        )
        if delay > 0:
            await workflow.sleep(timedelta(seconds=delay))

    async def _wait(self, seconds: float) -> None:
        """A durable wait that a stop request cuts short."""
        try:
            await workflow.wait_condition(
                lambda: self._stop_reason is not None, timeout=timedelta(seconds=seconds)
            )
        except TimeoutError:
            return
        raise _Aborted()

    def _physical_name(self, state: StackState, name: str) -> str:
        rnd = workflow.random()
        short_id = "".join(rnd.choice(_SHORT_ID_ALPHABET) for _ in range(12))
        return f"{state.stack_name}-{name}-{short_id}"

    @staticmethod
    def _record(projector: Projector, resource: ResourceState, status: str, reason: str) -> None:
        resource.status, resource.status_reason = status, reason
        projector.resource_changed(resource)
        projector.resource_event(resource)

    @staticmethod
    def _set_stack(
        state: StackState, projector: Projector, action: str, status: str, reason: str
    ) -> None:
        state.action, state.status, state.status_reason = action, status, reason
        projector.stack_changed()
        projector.stack_event(action, status, reason)
        workflow.upsert_search_attributes(
            [ids.STACK_ACTION.value_set(action), ids.STACK_STATUS.value_set(status)]
        )


_DELETE_REQUESTED = "Stack CREATE cancelled"


def _cause_message(error: ActivityError) -> str:
    cause: Any = error.cause
    while cause is not None and not isinstance(cause, ApplicationError) and cause.cause:
        cause = cause.cause
    if isinstance(cause, ApplicationError):
        return cause.message
    return str(cause or error)
