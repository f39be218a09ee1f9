"""The API's door to the engine: starts stack entities and sends them operations over Temporal."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.errors import HeatError, not_found
from workflows import ids
from workflows.stack import StackWorkflow
from workflows.types import (
    CancelRequest,
    MarkRequest,
    OperationKind,
    OperationRequest,
    ResourceSignal,
    StackStart,
    StackState,
    UpdateArgs,
)


def _heat_error(error: WorkflowUpdateFailedError) -> HeatError:
    """The entity refuses with ApplicationError(message, http_status, type=Heat's error type)."""
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.details and isinstance(cause.details[0], int):
        return HeatError(cause.details[0], cause.message, cause.type or "HTTPBadRequest")
    raise RuntimeError(f"the engine refused the operation: {cause!r}") from error


def _unavailable(error: RPCError) -> HeatError:
    return HeatError(
        503, f"The orchestration engine is unavailable: {error.message}", "HTTPServiceUnavailable"
    )


class Engine:
    def __init__(self, client: Client, task_queue: str, max_concurrency: int) -> None:
        self._client = client
        self._task_queue = task_queue
        self._max_concurrency = max_concurrency

    @property
    def client(self) -> Client:
        return self._client

    async def create(self, state: StackState, kind: OperationKind = "create") -> None:
        """Start the stack's entity and its create operation; returns once CREATE_IN_PROGRESS
        is in the listings. A live stack of the same name in the project answers 409."""
        start = WithStartWorkflowOperation(
            StackWorkflow.run,
            StackStart(state=state, max_concurrency=self._max_concurrency),
            id=ids.entity_workflow_id(state.project_id, state.stack_name),
            task_queue=self._task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            search_attributes=ids.stack_search_attributes(
                state.stack_id,
                state.stack_name,
                state.project_id,
                "ADOPT" if kind == "adopt" else "CREATE",
                "IN_PROGRESS",
                state.parent_id,
            ),
        )
        request = OperationRequest(kind=kind, request_id=str(uuid.uuid4()), stack_id=state.stack_id)
        try:
            await self._client.execute_update_with_start_workflow(
                StackWorkflow.accept, request, start_workflow_operation=start
            )
        except WorkflowUpdateFailedError as error:
            raise _heat_error(error) from error
        except RPCError as error:
            raise _unavailable(error) from error

    async def operate(
        self,
        project_id: str,
        stack_name: str,
        stack_id: str,
        kind: OperationKind,
        update: UpdateArgs | None = None,
        abandon: bool = False,
        snapshot_id: str | None = None,
        snapshot_name: str | None = None,
    ) -> None:
        request = OperationRequest(
            kind=kind,
            request_id=str(uuid.uuid4()),
            stack_id=stack_id,
            update=update,
            abandon=abandon,
            snapshot_id=snapshot_id,
            snapshot_name=snapshot_name,
        )
        await self._send(project_id, stack_name, StackWorkflow.accept, request)

    async def cancel(self, project_id: str, stack_name: str, stack_id: str, rollback: bool) -> None:
        request = CancelRequest(stack_id=stack_id, rollback=rollback)
        await self._send(project_id, stack_name, StackWorkflow.cancel, request)

    async def signal_resource(
        self,
        project_id: str,
        stack_name: str,
        stack_id: str,
        resource: str,
        details: Any,
        token: str | None = None,
    ) -> None:
        signal = ResourceSignal(
            stack_id=stack_id, resource_name=resource, details=details, token=token
        )
        await self._send(project_id, stack_name, StackWorkflow.signal_resource, signal)

    async def mark_resource(
        self,
        project_id: str,
        stack_name: str,
        stack_id: str,
        resource: str,
        unhealthy: bool,
        reason: str,
    ) -> None:
        request = MarkRequest(
            stack_id=stack_id, resource_name=resource, unhealthy=unhealthy, reason=reason
        )
        await self._send(project_id, stack_name, StackWorkflow.mark_resource, request)

    async def delete_snapshot(self, project_id: str, stack_name: str, snapshot_id: str) -> None:
        await self._send(project_id, stack_name, StackWorkflow.delete_snapshot, snapshot_id)

    async def wait_closed(self, project_id: str, stack_name: str, timeout_secs: float) -> None:
        """Wait until the stack's entity has ended (its name is free again)."""
        handle = self._client.get_workflow_handle(ids.entity_workflow_id(project_id, stack_name))
        await asyncio.wait_for(handle.result(), timeout_secs)

    async def state(self, project_id: str, stack_name: str) -> StackState:
        """The entity's authoritative state (for previews)."""
        handle = self._client.get_workflow_handle(ids.entity_workflow_id(project_id, stack_name))
        try:
            return await handle.query(StackWorkflow.state)
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise not_found(f"The Stack ({stack_name}) could not be found.") from error
            raise _unavailable(error) from error

    async def _send(self, project_id: str, stack_name: str, update: Any, request: Any) -> None:
        handle = self._client.get_workflow_handle(ids.entity_workflow_id(project_id, stack_name))
        try:
            await handle.execute_update(update, request)
        except WorkflowUpdateFailedError as error:
            raise _heat_error(error) from error
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise not_found(f"The Stack ({stack_name}) could not be found.") from error
            raise _unavailable(error) from error
