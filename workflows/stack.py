"""The stack entity: one long-lived workflow per stack holding its state and running operations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.types import DELETE_TRUST
    from templates import TemplateError, api_error_type
    from workflows import ids
    from workflows.nested import DONE_SIGNAL, INTERRUPT_SIGNAL, OPERATE_SIGNAL
    from workflows.operation import (
        PREEMPT_PATCH,
        ROLLING_BACK_SIGNAL,
        SUPERSEDE_ANSWER_SIGNAL,
        StackOperationWorkflow,
    )
    from workflows.projector import Projector
    from workflows.resource_runner import (
        CLOUD_SNAPSHOTS_PATCH,
        cloud_snapshot_requests,
        delete_cloud_snapshot,
    )
    from workflows.scaling import POLICY_TYPES
    from workflows.signals import SIGNAL_RESOURCE, SignalRefused, apply_signal, check_signal
    from workflows.types import (
        Accepted,
        CancelRequest,
        Definition,
        MarkRequest,
        Member,
        NestedOutcome,
        OperationInput,
        OperationRequest,
        ResourceSignal,
        ResourceState,
        Snapshot,
        StackStart,
        StackState,
        StopRequest,
        Supersede,
        SupersedeAnswer,
        implementation_of,
    )
    from workflows.update_plan import (
        current_definition,
        new_definition,
        snapshot_definition,
        validate_definition,
        with_definition,
    )

_ACTION = {
    "create": "CREATE",
    "adopt": "ADOPT",
    "delete": "DELETE",
    "update": "UPDATE",
    "suspend": "SUSPEND",
    "resume": "RESUME",
    "check": "CHECK",
    "snapshot": "SNAPSHOT",
    "restore": "RESTORE",
    "scale": "SIGNAL",
}


# The patch id of the new entity that ends when its create never arrives (the create's
# update lost after the start was recorded, e.g. the Temporal server restarted in between).
_LOST_CREATE_ENDS = "entity-lost-create-ends-2026-12"


def _refuse(status: int, message: str, error_type: str) -> ApplicationError:
    """A rejection the API turns into Heat's error body with this HTTP status."""
    return ApplicationError(message, status, type=error_type, non_retryable=True)


@workflow.defn(name="Stack")
class StackWorkflow:
    """Holds the authoritative state of one stack; each operation runs as a child workflow.

    Operations arrive as Workflow Updates (`accept`), whose validator rejects what Heat rejects,
    so a rejected request leaves no trace in history. The update returns once the operation has
    started and its IN_PROGRESS state is in the listings, so a client that reads right after
    its request sees it. Between operations the workflow continues as new once its history
    grows long, so it stays short however long the stack lives.
    """

    @workflow.init
    def __init__(self, start: StackStart) -> None:
        # State is set here, not in run(): with update-with-start the first update's
        # validator runs before run() begins.
        self._state: StackState = start.state
        self._pending: list[OperationRequest] = list(start.pending)
        self._running: OperationRequest | None = None
        self._started: set[str] = set()
        self._interrupt: StopRequest | None = None
        self._max_concurrency = start.max_concurrency
        # The running operation's workflow, which resource signals are passed on to, and the
        # signals that reached it too late (applied to the state it returns).
        self._child: workflow.ChildWorkflowHandle[Any, Any] | None = None
        self._late_signals: list[ResourceSignal] = []
        # An update that takes over from the running create or update (see _can_preempt):
        # the Supersede still to send to the operation, the one sent, and, once the operation
        # has returned superseded, the one whose start it already wrote to the listings.
        self._supersede: Supersede | None = None
        self._sent: Supersede | None = None
        self._handover: Supersede | None = None
        # A cancel that arrived during the hand-over: it stops the update that takes over.
        self._deferred_stop: StopRequest | None = None
        # The running operation is rolling back, or has been told to stop.
        self._rolling_back = False
        self._stopping = False

    @workflow.run
    async def run(self, start: StackStart) -> StackState:
        if (
            self._state.action == "INIT"
            and not self._pending
            and workflow.patched(_LOST_CREATE_ENDS)
            and not await self._create_arrives(start.create_grace_secs)
        ):
            # Nothing came: end, so the name is free again (ALLOW_DUPLICATE starts a new run).
            workflow.upsert_search_attributes([ids.STACK_STATUS.value_set("FAILED")])
            workflow.logger.warning("stack %s: its create never arrived", self._state.stack_name)
            return self._state
        while True:
            await workflow.wait_condition(lambda: bool(self._pending))
            request = self._pending.pop(0)
            await self._run_operation(request)
            await self._notify(request)
            state = self._state
            if state.action == "DELETE" and state.status == "COMPLETE":
                # Whoever else asked for an operation learns that the stack is gone.
                for waiting in self._pending:
                    await self._notify(waiting)
                # Nested stacks act through their root's trust; the root deletes it.
                if state.trust_id and state.parent_id is None:
                    await self._delete_trust(state.trust_id)
                await workflow.wait_condition(workflow.all_handlers_finished)
                return state
            if not self._pending and self._history_is_long():
                await workflow.wait_condition(workflow.all_handlers_finished)
                if not self._pending:
                    workflow.continue_as_new(
                        StackStart(state=state, max_concurrency=self._max_concurrency)
                    )

    async def _create_arrives(self, grace_secs: float) -> bool:
        """Wait for the create this entity was started with; False if it never comes."""
        try:
            await workflow.wait_condition(
                lambda: bool(self._pending), timeout=timedelta(seconds=grace_secs)
            )
        except TimeoutError:
            return bool(self._pending) or self._running is not None
        return True

    @staticmethod
    async def _delete_trust(trust_id: str) -> None:
        """The stack is gone: so is the service's power to act for its user (as upstream)."""
        try:
            await workflow.execute_activity(
                DELETE_TRUST,
                trust_id,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=30)),
                schedule_to_close_timeout=timedelta(hours=1),
            )
        except ActivityError:
            workflow.logger.warning("the stack's trust %s could not be deleted", trust_id)

    @staticmethod
    def _history_is_long() -> bool:
        # Continuing as new costs a new run (and sandbox) per operation; an operation adds
        # only a few dozen events here (its resources' work is in its child), so the entity
        # continues as new once its history passes a few thousand events, long before
        # Temporal's limits.
        info = workflow.info()
        return info.is_continue_as_new_suggested() or info.get_current_history_length() > 2000

    @workflow.query
    def state(self) -> StackState:
        return self._state

    # -- operations -------------------------------------------------------------------------

    @workflow.update
    async def accept(self, request: OperationRequest) -> Accepted:
        self._take_over(request)
        self._enqueue(request)
        await workflow.wait_condition(lambda: request.request_id in self._started)
        return Accepted(stack_id=self._state.stack_id, kind=request.kind)

    def _take_over(self, request: OperationRequest) -> None:
        """As upstream's convergence engine: an update takes over from the running create or
        update (_run_operation hands this to the operation, which answers once the new
        update's start is in the listings)."""
        if request.kind != "update" or self._running is None or not self._can_preempt(request):
            return
        assert request.update is not None
        self._supersede = Supersede(
            request_id=request.request_id,
            definition=new_definition(self._state, request.update),
            updated_time=workflow.now(),
        )

    def _can_preempt(self, request: OperationRequest) -> bool:
        """Whether an update now takes over from the running operation: a create or update
        asked by the same side (a client, or the parent stack's operation) still walking its
        resources, nothing queued, not stopped or rolling back."""
        running, state = self._running, self._state
        return (
            request.kind == "update"
            and running is not None
            and running.kind in ("create", "update")
            and bool(running.notify) == bool(request.notify)
            and not self._pending
            and self._interrupt is None
            and not (self._rolling_back or self._stopping)
            and state.status == "IN_PROGRESS"
            and state.action in ("CREATE", "UPDATE")
        )

    def _handing_over(self) -> bool:
        """An update is taking over from the running operation."""
        return self._supersede is not None or self._sent is not None

    def _enqueue(self, request: OperationRequest) -> None:
        running = self._running
        if request.kind == "delete" and running is not None and running.kind != "delete":
            # Heat lets a delete interrupt whatever is in progress; _run_operation passes
            # the stop on to the operation's workflow (which may not have started yet).
            self._interrupt = StopRequest(
                reason=f"Stack {_ACTION[running.kind]} cancelled", rollback=False
            )
            if self._handing_over():
                # The delete supersedes the update that was taking over (its request has
                # been answered; it never runs), as upstream's delete supersedes a traversal.
                taking_over = self._sent or self._supersede
                assert taking_over is not None
                self._pending = [p for p in self._pending if p.request_id != taking_over.request_id]
                self._started.add(taking_over.request_id)
                self._supersede = None
                self._deferred_stop = None
        if not any(p.request_id == request.request_id for p in self._pending) and (
            running is None or running.request_id != request.request_id
        ):
            self._pending.append(request)

    # -- resource signals and health -------------------------------------------------------

    @workflow.update
    async def signal_resource(self, signal: ResourceSignal) -> None:
        """POST .../resources/{name}/signal: to the running operation, or to the state.

        A scaling policy's signal becomes a `scale` operation, run in its turn."""
        resource = self._state.resources.get(signal.resource_name)
        if resource is not None and implementation_of(resource) in POLICY_TYPES:
            self._pending.append(
                OperationRequest(
                    kind="scale",
                    request_id=str(workflow.uuid4()),
                    stack_id=self._state.stack_id,
                    policy=signal.resource_name,
                    signal_details=signal.details,
                )
            )
            return
        child = self._child
        if child is not None:
            try:
                await child.signal(SIGNAL_RESOURCE, signal)
                return
            except Exception:  # it has just ended: apply it to the state it returns
                self._late_signals.append(signal)
                return
        projector = Projector(self._state, workflow.info().workflow_id)
        projector.start()
        apply_signal(self._state, signal, projector, None)
        await projector.close()

    @signal_resource.validator
    def _validate_signal(self, signal: ResourceSignal) -> None:
        self._check_stack(signal.stack_id)
        try:
            check_signal(self._state, signal)
        except SignalRefused as refused:
            raise _refuse(refused.status, refused.message, refused.error_type) from refused

    @workflow.update
    async def mark_resource(self, request: MarkRequest) -> None:
        """PATCH .../resources/{name}: CHECK_FAILED with the reason (or back to healthy)."""
        resource = self._resource_named(request.resource_name)
        assert resource is not None
        if request.unhealthy:
            resource.action, resource.status = "CHECK", "FAILED"
        elif (resource.action, resource.status) == ("CHECK", "FAILED"):
            resource.action, resource.status = "CHECK", "COMPLETE"
        else:
            return
        resource.status_reason = request.reason
        resource.updated_time = workflow.now()
        projector = Projector(self._state, workflow.info().workflow_id)
        projector.start()
        projector.resource_changed(resource)
        projector.resource_event(resource)
        await projector.close()

    @mark_resource.validator
    def _validate_mark(self, request: MarkRequest) -> None:
        self._check_stack(request.stack_id)
        if self._resource_named(request.resource_name) is None:
            raise _refuse(
                404,
                f"The Resource ({request.resource_name}) could not be found in Stack "
                f"{self._state.stack_name}.",
                "ResourceNotFound",
            )
        if self._running is not None or self._pending:
            state = self._state
            raise _refuse(
                409,
                f"Stack {state.stack_name} already has an action ({state.action}) in progress.",
                "ActionInProgress",
            )

    def _resource_named(self, name_or_physical_id: str) -> ResourceState | None:
        resources = self._state.resources
        if name_or_physical_id in resources:
            return resources[name_or_physical_id]
        for resource in resources.values():
            if resource.physical_id and resource.physical_id == name_or_physical_id:
                return resource
        return None

    def _check_stack(self, stack_id: str) -> None:
        state = self._state
        if stack_id != state.stack_id or (state.action == "DELETE" and state.status == "COMPLETE"):
            raise _refuse(404, f"The Stack ({stack_id}) could not be found.", "EntityNotFound")

    async def _run_scale(self, request: OperationRequest) -> None:
        """Resize a group for its policy's signal; the stack's own status does not change,
        as upstream's adjust leaves it."""
        state = self._state
        self._running = request
        state.operations += 1
        child = await workflow.start_child_workflow(
            StackOperationWorkflow.run,
            OperationInput(
                kind="scale",
                state=state,
                max_concurrency=self._max_concurrency,
                policy=request.policy,
            ),
            id=ids.operation_workflow_id(
                state.project_id, state.stack_name, state.stack_id, "scale", state.operations
            ),
            task_timeout=timedelta(seconds=30),
        )
        self._child = child
        output = await child
        self._state = output.state
        self._child = None
        self._running = None
        projector = Projector(self._state, workflow.info().workflow_id)
        projector.start()
        projector.stack_changed()
        await projector.close()

    # -- a nested stack's operations, from its parent's operation workflow -----------------

    @workflow.signal(name=OPERATE_SIGNAL)
    async def operate(self, request: OperationRequest) -> None:
        """An operation the parent stack's operation asks of this nested stack.

        Workflows cannot send Workflow Updates, so this is a signal; the answer goes back as
        a signal when the operation ends. A request that cannot run is answered at once.
        Unlike a client's request it waits its turn rather than being refused as in progress.
        """
        state = self._state
        gone = request.stack_id != state.stack_id or (
            state.action == "DELETE" and state.status == "COMPLETE"
        )
        if gone and request.kind == "delete":
            await self._notify(request, deleted=True)
            return
        if gone:
            await self._notify(
                request, refusal=f"The Stack ({request.stack_id}) could not be found."
            )
            return
        if request.kind == "update":
            try:
                # The parent validated the definition it sends (as the group's sample).
                self._validate_update(request, check_definition=False)
            except ApplicationError as error:
                await self._notify(request, refusal=error.message)
                return
            # The parent's new update took over from the one that asked for ours: so does
            # this stack's.
            self._take_over(request)
        self._enqueue(request)

    @workflow.signal(name=SUPERSEDE_ANSWER_SIGNAL)
    def supersede_answer(self, answer: SupersedeAnswer) -> None:
        """The running operation took over the update's start (or declined: it then runs in
        its turn, and its request is answered when it starts)."""
        if answer.taken:
            self._started.add(answer.request_id)

    @workflow.signal(name=ROLLING_BACK_SIGNAL)
    def operation_rolling_back(self, stack_id: str) -> None:
        """The running operation started its rollback: an update is now refused (409)."""
        if self._running is not None and stack_id == self._state.stack_id:
            self._rolling_back = True

    @workflow.signal(name=INTERRUPT_SIGNAL)
    def interrupt(self, request: StopRequest) -> None:
        """The parent's operation was stopped: stop this stack's operation too."""
        if self._running is not None and self._running.kind != "delete":
            self._interrupt = request

    async def _notify(
        self, request: OperationRequest, refusal: str | None = None, deleted: bool = False
    ) -> None:
        """Tell the parent's operation how the operation it asked for ended."""
        if not request.notify:
            return
        state = self._state
        outcome = NestedOutcome(
            request_id=request.request_id,
            stack_id=request.stack_id,
            action=state.action,
            status=state.status,
            status_reason=state.status_reason,
            outputs=state.outputs,
        )
        if request.want_members:
            outcome.members = {
                name: Member(
                    reference=resource.reference_id or resource.physical_id or None,
                    attributes=resource.attributes,
                )
                for name, resource in state.resources.items()
                if resource.action not in ("INIT", "DELETE")
            }
        for name in request.inner_resources:
            inner = state.resources.get(name)
            if inner is not None and inner.action not in ("INIT", "DELETE"):
                outcome.inner_resources[name] = Member(
                    reference=inner.reference_id or inner.physical_id or None,
                    attributes=inner.attributes,
                )
        if refusal is not None:
            outcome.action, outcome.status, outcome.status_reason = (
                _ACTION[request.kind],
                "FAILED",
                refusal,
            )
        elif deleted:
            outcome.action, outcome.status = "DELETE", "COMPLETE"
            outcome.status_reason = "Stack DELETE completed successfully"
        try:
            await workflow.get_external_workflow_handle(request.notify).signal(DONE_SIGNAL, outcome)
        except Exception:  # the parent's operation has ended: nobody is waiting
            workflow.logger.info("nested stack outcome not delivered to %s", request.notify)

    @accept.validator
    def _validate(self, request: OperationRequest) -> None:
        state = self._state
        if request.kind in ("create", "adopt"):
            if request.stack_id != state.stack_id or state.action != "INIT" or self._running:
                raise _refuse(409, f"The Stack ({state.stack_name}) already exists.", "StackExists")
            return
        if request.stack_id != state.stack_id or (
            state.action == "DELETE" and state.status == "COMPLETE"
        ):
            # The name now belongs to another stack, or this one is gone.
            raise _refuse(
                404, f"The Stack ({request.stack_id}) could not be found.", "EntityNotFound"
            )
        if request.kind == "delete":
            return
        busy = self._running is not None or self._pending
        if busy and not self._can_preempt(request):
            # As upstream: an update takes over from a create or update in progress, but not
            # from a rollback, a delete or another action.
            if self._rolling_back:
                action = "ROLLBACK"
            elif self._handing_over():
                action = "UPDATE"
            else:
                action = state.action
            raise _refuse(
                409,
                f"Stack {state.stack_name} already has an action ({action}) in progress.",
                "ActionInProgress",
            )
        if request.kind == "update":
            self._validate_update(request)
        if request.kind == "restore":
            self._snapshot_to_restore(request.snapshot_id)

    def _snapshot_to_restore(self, snapshot_id: str | None) -> Snapshot:
        snapshot = self._state.snapshots.get(snapshot_id or "")
        if snapshot is None:
            raise _refuse(
                404, f"The Snapshot ({snapshot_id}) could not be found.", "EntityNotFound"
            )
        if snapshot.status != "COMPLETE" or snapshot.data is None:
            raise _refuse(
                400, f"Restoring a snapshot in {snapshot.status} is not supported.", "NotSupported"
            )
        return snapshot

    @workflow.update
    async def delete_snapshot(self, snapshot_id: str) -> None:
        snapshot = self._state.snapshots.pop(snapshot_id)
        if workflow.patched(CLOUD_SNAPSHOTS_PATCH):
            # The cloud snapshots it took go with it (upstream's handle_delete_snapshot).
            for request in cloud_snapshot_requests(self._state, snapshot.data or {}):
                await delete_cloud_snapshot(request)
        projector = Projector(self._state, workflow.info().workflow_id)
        projector.start()
        projector.snapshot_changed(snapshot, deleted=True)
        await projector.close()

    @delete_snapshot.validator
    def _validate_delete_snapshot(self, snapshot_id: str) -> None:
        if snapshot_id not in self._state.snapshots:
            raise _refuse(
                404, f"The Snapshot ({snapshot_id}) could not be found.", "EntityNotFound"
            )

    def _validate_update(self, request: OperationRequest, check_definition: bool = True) -> None:
        state = self._state
        if state.action == "SUSPEND":
            raise _refuse(
                400, "Updating a stack when it is suspended is not supported.", "NotSupported"
            )
        if state.action == "DELETE":
            raise _refuse(
                400, "Updating a stack when it is deleting is not supported.", "NotSupported"
            )
        assert request.update is not None
        if not check_definition:
            return
        try:
            validate_definition(state, new_definition(state, request.update))
        except TemplateError as error:
            raise _refuse(400, error.message, api_error_type(error, "create")) from error

    @workflow.update
    async def cancel(self, request: CancelRequest) -> Accepted:
        running = self._running
        assert running is not None
        if self._handing_over():
            # The operation is ending for the update that takes over: the cancel is that
            # update's, and stops it once it runs.
            self._deferred_stop = StopRequest(
                reason="Stack UPDATE cancelled",
                rollback=request.rollback,
                finish_running=request.rollback is False,
            )
            return Accepted(stack_id=self._state.stack_id, kind="update")
        action = _ACTION[running.kind]
        self._interrupt = StopRequest(
            reason=f"Stack {action} cancelled",
            rollback=request.rollback,
            finish_running=request.rollback is False,
        )
        return Accepted(stack_id=self._state.stack_id, kind=running.kind)

    @cancel.validator
    def _validate_cancel(self, request: CancelRequest) -> None:
        state = self._state
        if request.stack_id != state.stack_id:
            raise _refuse(
                404, f"The Stack ({request.stack_id}) could not be found.", "EntityNotFound"
            )
        # Upstream cancels updates (and creates, without rollback) only; here any operation
        # in progress can be stopped, and those that can be undone (create, update) can be
        # rolled back. A delete is never cancelled.
        undoable = ("CREATE", "UPDATE")
        running = self._running is not None and state.status == "IN_PROGRESS"
        if (
            not running
            or state.action == "DELETE"
            or (request.rollback and state.action not in undoable)
        ):
            raise _refuse(
                400,
                f"Cancelling update when stack is {state.action}_{state.status} is not supported.",
                "NotSupported",
            )

    # -- running one operation ---------------------------------------------------------------

    async def _run_operation(self, request: OperationRequest) -> None:
        if request.kind == "scale":
            await self._run_scale(request)
            return
        state = self._state
        if request.kind == "delete" and state.action == "DELETE" and state.status == "IN_PROGRESS":
            self._started.add(request.request_id)
            return
        self._running = request
        # The update that took over from the operation before: its start is in the listings.
        handover, self._handover = self._handover, None
        if handover is not None and handover.request_id != request.request_id:
            handover = None
        previous: Definition | None = None
        if request.kind == "update":
            assert request.update is not None
            previous = current_definition(state)
            state = self._state = with_definition(state, new_definition(state, request.update))
        elif request.kind == "restore":
            previous = current_definition(state)
            snapshot = self._snapshot_to_restore(request.snapshot_id)
            state = self._state = with_definition(state, snapshot_definition(state, snapshot))
        state.operations += 1
        action = _ACTION[request.kind]
        state.action, state.status = action, "IN_PROGRESS"
        state.status_reason = f"Stack {action} started"
        now = workflow.now()
        if request.kind in ("create", "adopt"):
            state.creation_time = state.creation_time or now
        elif request.kind in ("update", "restore"):
            state.updated_time = handover.updated_time if handover else now
        elif request.kind == "snapshot":
            assert request.snapshot_id is not None
            state.snapshots[request.snapshot_id] = Snapshot(
                id=request.snapshot_id, name=request.snapshot_name, creation_time=now
            )
        if handover is None:
            # The entity writes the operation's start itself, so the update can answer only
            # once a reader would see it.
            await self._project_start(request, state, action)
        workflow.upsert_search_attributes(
            [ids.STACK_ACTION.value_set(action), ids.STACK_STATUS.value_set("IN_PROGRESS")]
        )
        self._started.add(request.request_id)
        child = await workflow.start_child_workflow(
            StackOperationWorkflow.run,
            OperationInput(
                kind=request.kind,
                state=state,
                max_concurrency=request.max_concurrency or self._max_concurrency,
                pause_secs=request.pause_secs,
                previous=previous,
                abandon=request.abandon,
                snapshot_id=request.snapshot_id,
                converge=bool(request.update and request.update.converge),
            ),
            id=ids.operation_workflow_id(
                state.project_id, state.stack_name, state.stack_id, request.kind, state.operations
            ),
            search_attributes=ids.stack_search_attributes(
                state.stack_id,
                state.stack_name,
                state.project_id,
                action,
                "IN_PROGRESS",
                state.parent_id,
            ),
            task_timeout=timedelta(seconds=30),
        )
        self._child = child
        if self._deferred_stop is not None:
            # A cancel that came while this update was taking over.
            self._interrupt, self._deferred_stop = self._deferred_stop, None
        while not child.done():
            await workflow.wait_condition(
                lambda: child.done() or self._interrupt is not None or self._supersede is not None
            )
            interrupt, self._interrupt = self._interrupt, None
            if interrupt is not None and not child.done():
                self._stopping = True
                try:
                    await child.signal(StackOperationWorkflow.stop, interrupt)
                except Exception:  # it finished meanwhile: nothing is left to stop
                    workflow.logger.info("operation ended before it could be stopped")
            supersede, self._supersede = self._supersede, None
            if supersede is not None and not child.done() and workflow.patched(PREEMPT_PATCH):
                self._sent = supersede
                try:
                    await child.signal(StackOperationWorkflow.supersede, supersede)
                except Exception:  # it finished meanwhile: the update runs in its turn
                    workflow.logger.info("operation ended before a new update took over")
        output = await child
        state = self._state = output.state
        self._child = None
        self._running = None
        self._interrupt = None
        self._stopping = self._rolling_back = False
        self._handover = self._sent if output.superseded else None
        self._sent = self._supersede = None
        # The operation's final status is written here, once the entity is ready for the next
        # request: a client that sees it and acts at once is not refused as "in progress".
        # A superseded operation has none: the listings already show the new update's start.
        projector = Projector(state, workflow.info().workflow_id)
        projector.start()
        if not output.superseded:
            projector.stack_changed(with_definition=request.kind in ("update", "restore"))
            projector.stack_event(state.action, state.status, state.status_reason)
        for late in self._late_signals:
            apply_signal(state, late, projector, None)
        self._late_signals.clear()
        await projector.close()
        if not output.superseded:
            workflow.upsert_search_attributes(
                [
                    ids.STACK_ACTION.value_set(state.action),
                    ids.STACK_STATUS.value_set(state.status),
                ]
            )

    async def _project_start(
        self, request: OperationRequest, state: StackState, action: str
    ) -> None:
        projector = Projector(state, workflow.info().workflow_id)
        projector.start()
        projector.stack_changed(
            with_definition=request.kind in ("create", "adopt", "update", "restore")
        )
        if request.kind == "snapshot":
            assert request.snapshot_id is not None
            projector.snapshot_changed(state.snapshots[request.snapshot_id])
        if request.kind in ("create", "adopt"):
            # Upstream lists every resource from the start, as INIT_COMPLETE.
            for resource in state.resources.values():
                projector.resource_changed(resource)
        projector.stack_event(action, "IN_PROGRESS", state.status_reason)
        await projector.close()
