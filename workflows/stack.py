"""The stack entity: one long-lived workflow per stack holding its state and running operations."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows import ids
    from workflows.operation import _DELETE_REQUESTED, StackOperationWorkflow
    from workflows.projector import Projector
    from workflows.types import (
        Accepted,
        OperationInput,
        OperationRequest,
        StackStart,
        StackState,
    )

_STARTED_REASON = {"create": "Stack CREATE started", "delete": "Stack DELETE started"}
_ACTION = {"create": "CREATE", "delete": "DELETE"}


@workflow.defn(name="Stack")
class StackWorkflow:
    """Holds the authoritative state of one stack; each operation runs as a child workflow.

    Operations arrive as Workflow Updates (`accept`), whose validator rejects what Heat rejects,
    so a rejected request leaves no trace in history. The update returns once the operation has
    started and its IN_PROGRESS state is in the listings, so a client that reads right after
    its request sees it. After each operation the workflow continues as new, so its history
    stays short however long the stack lives.
    """

    @workflow.init
    def __init__(self, start: StackStart) -> None:
        # State is set here, not in run(): with update-with-start the first update's
        # validator runs before run() begins.
        self._state: StackState = start.state
        self._pending: list[OperationRequest] = list(start.pending)
        self._running: OperationRequest | None = None
        self._started: set[str] = set()
        self._interrupt = False
        self._max_concurrency = start.max_concurrency

    @workflow.run
    async def run(self, start: StackStart) -> StackState:
        while True:
            await workflow.wait_condition(lambda: bool(self._pending))
            request = self._pending.pop(0)
            await self._run_operation(request)
            state = self._state
            if state.action == "DELETE" and state.status == "COMPLETE":
                await workflow.wait_condition(workflow.all_handlers_finished)
                return state
            if not self._pending:
                await workflow.wait_condition(workflow.all_handlers_finished)
                if not self._pending:
                    workflow.continue_as_new(
                        StackStart(state=state, max_concurrency=self._max_concurrency)
                    )

    @workflow.query
    def state(self) -> StackState:
        return self._state

    @workflow.update
    async def accept(self, request: OperationRequest) -> Accepted:
        running = self._running
        if request.kind == "delete" and running is not None and running.kind != "delete":
            # Heat lets a delete interrupt whatever is in progress; _run_operation passes
            # the stop on to the operation's workflow (which may not have started yet).
            self._interrupt = True
        if not any(p.request_id == request.request_id for p in self._pending) and (
            self._running is None or self._running.request_id != request.request_id
        ):
            self._pending.append(request)
        await workflow.wait_condition(lambda: request.request_id in self._started)
        return Accepted(stack_id=self._state.stack_id, kind=request.kind)

    @accept.validator
    def _validate(self, request: OperationRequest) -> None:
        state = self._state
        if request.kind == "create":
            if request.stack_id != state.stack_id or state.action != "INIT" or self._running:
                raise ApplicationError(
                    f"The Stack ({state.stack_name}) already exists.", type="StackExists"
                )
            return
        if request.stack_id != state.stack_id or (
            state.action == "DELETE" and state.status == "COMPLETE"
        ):
            # The name now belongs to another stack, or this one is gone.
            raise ApplicationError(
                f"The Stack ({request.stack_id}) could not be found.", type="EntityNotFound"
            )

    async def _run_operation(self, request: OperationRequest) -> None:
        state = self._state
        if request.kind == "delete" and state.action == "DELETE" and state.status == "IN_PROGRESS":
            self._started.add(request.request_id)
            return
        self._running = request
        state.operations += 1
        action = _ACTION[request.kind]
        state.action, state.status = action, "IN_PROGRESS"
        state.status_reason = _STARTED_REASON[request.kind]
        now = workflow.now()
        if request.kind == "create":
            state.creation_time = state.creation_time or now
        # The entity writes the operation's start itself, so the update can answer only once a
        # reader would see it.
        projector = Projector(state, workflow.info().workflow_id)
        projector.start()
        projector.stack_changed(with_definition=request.kind == "create")
        if request.kind == "create":
            # Upstream lists every resource from the start, as INIT_COMPLETE.
            for resource in state.resources.values():
                projector.resource_changed(resource)
        projector.stack_event(action, "IN_PROGRESS", state.status_reason)
        await projector.close()
        workflow.upsert_search_attributes(
            [ids.STACK_ACTION.value_set(action), ids.STACK_STATUS.value_set("IN_PROGRESS")]
        )
        self._started.add(request.request_id)
        child = await workflow.start_child_workflow(
            StackOperationWorkflow.run,
            OperationInput(kind=request.kind, state=state, max_concurrency=self._max_concurrency),
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
        while not child.done():
            await workflow.wait_condition(lambda: child.done() or self._interrupt)
            if self._interrupt and not child.done():
                self._interrupt = False
                try:
                    await child.signal(StackOperationWorkflow.stop, _DELETE_REQUESTED)
                except Exception:
                    workflow.logger.info("operation ended before it could be stopped")
        output = await child
        self._state = output.state
        self._running = None
        self._interrupt = False
        workflow.upsert_search_attributes(
            [
                ids.STACK_ACTION.value_set(self._state.action),
                ids.STACK_STATUS.value_set(self._state.status),
            ]
        )
