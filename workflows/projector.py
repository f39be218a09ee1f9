"""Buffers listing changes inside a workflow and writes them in batches, one wave at a time."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.projection import PROJECT
    from activities.types import (
        EventRow,
        ProjectionBatch,
        ResourceRow,
        SnapshotRow,
        StackDefinitionRow,
        StackRow,
    )
    from workflows.rendering import outputs_in_progress, parameters_for_display, required_by
    from workflows.types import ResourceState, Snapshot, StackState

# SQL may be down for a while: keep retrying (the operation itself goes on), never give up.
_RETRY_ON_TIMERS = "projection-retries-on-timers"
_PROJECTION_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
)


class Projector:
    """Collects stack, resource and event changes; a background loop flushes them.

    While one batch is being written the next accumulates, so a wave of N resource changes
    costs one write, not N. Event ids and sequence numbers come from the workflow (deterministic),
    so a retried write inserts nothing twice.
    """

    def __init__(self, state: StackState, workflow_id: str) -> None:
        self._state = state
        self._workflow_id = workflow_id
        self._stack_dirty = False
        self._definition_dirty = False
        self._resources: dict[str, ResourceRow] = {}
        self._events: list[EventRow] = []
        self._snapshots: dict[str, SnapshotRow] = {}
        self._closing = False
        self._busy = False
        self._task: asyncio.Task[None] | None = None
        self._required_by: dict[str, list[str]] | None = None
        # What the stack's row shows when it is not this state (an operation superseded by a
        # new update shows the new update's definition and status; the counters stay ours).
        self._shown: StackState | None = None

    def use_state(self, state: StackState) -> None:
        self._state = state

    def use_required_by(self, required_by: dict[str, list[str]]) -> None:
        """The graph's reverse edges from a model the caller already built: parsing a large
        template again costs a second inside the workflow sandbox."""
        self._required_by = required_by

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    def stack_changed(self, with_definition: bool = False, shown: StackState | None = None) -> None:
        if shown is not None:
            self._shown = shown
        self._stack_dirty = True
        self._definition_dirty = self._definition_dirty or with_definition

    def resource_changed(self, resource: ResourceState, removed: bool = False) -> None:
        self._resources[resource.name] = self._resource_row(resource, removed)

    def snapshot_changed(self, snapshot: Snapshot, deleted: bool = False) -> None:
        state = self._state
        self._snapshots[snapshot.id] = SnapshotRow(
            id=snapshot.id,
            stack_id=state.stack_id,
            project_id=state.project_id,
            name=snapshot.name,
            status=snapshot.status,
            status_reason=snapshot.status_reason,
            creation_time=snapshot.creation_time,
            data=snapshot.data,
            deleted=deleted,
        )

    def stack_event(self, action: str, status: str, reason: str) -> None:
        self._add_event(
            self._state.stack_name,
            "OS::Heat::Stack",
            self._state.stack_id,
            action,
            status,
            reason,
            {},
        )

    def resource_event(self, resource: ResourceState) -> None:
        self._add_event(
            resource.name,
            resource.type,
            resource.physical_id,
            resource.action,
            resource.status,
            resource.status_reason,
            resource.properties,
        )

    def resource_note(self, resource: ResourceState, action: str, status: str, reason: str) -> None:
        """An event about a resource that does not change its state (a hook, a signal)."""
        self._add_event(
            resource.name,
            resource.type,
            resource.physical_id,
            action,
            status,
            reason,
            resource.properties,
        )

    async def flush(self) -> None:
        """Write everything buffered so far (waits for a flush already in flight)."""
        await workflow.wait_condition(lambda: not self._pending() and not self._busy)

    async def close(self) -> None:
        self._closing = True
        await self.flush()

    # -- internals --------------------------------------------------------------------------

    def _pending(self) -> bool:
        return (
            self._stack_dirty
            or bool(self._resources)
            or bool(self._events)
            or bool(self._snapshots)
        )

    async def _loop(self) -> None:
        while True:
            await workflow.wait_condition(lambda: self._pending() or self._closing)
            if not self._pending():
                return
            self._busy = True
            try:
                await self._write_one_batch()
            finally:
                self._busy = False

    async def _write_one_batch(self) -> None:
        state = self._state
        state.revision += 1
        batch = ProjectionBatch(stack_id=state.stack_id, revision=state.revision)
        if self._stack_dirty:
            shown = self._shown or state
            batch.stack = self._stack_row(shown)
            if self._definition_dirty:
                batch.definition = StackDefinitionRow(
                    template=shown.template, environment=shown.environment, files=shown.files
                )
        batch.resources = list(self._resources.values())
        batch.events = self._events
        batch.snapshots = list(self._snapshots.values())
        self._snapshots = {}
        self._stack_dirty = False
        self._definition_dirty = False
        self._resources = {}
        self._events = []
        await workflow.execute_local_activity(
            PROJECT,
            batch,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=_PROJECTION_RETRY,
            # While the listings database is down, retries after the first seconds wait on
            # durable timers between workflow tasks rather than inside one task, so the
            # operation and its queries are not held up to the task timeout at every write.
            # Patched: histories recorded before it retried inside the task.
            local_retry_threshold=(
                timedelta(seconds=2) if workflow.patched(_RETRY_ON_TIMERS) else None
            ),
        )

    def _add_event(
        self,
        name: str,
        type_name: str,
        physical_id: str,
        action: str,
        status: str,
        reason: str,
        properties: dict[str, Any],
    ) -> None:
        state = self._state
        state.event_seq += 1
        self._events.append(
            EventRow(
                id=str(workflow.uuid4()),
                stack_id=state.stack_id,
                project_id=state.project_id,
                seq=state.event_seq,
                resource_name=name,
                resource_type=type_name,
                physical_resource_id=physical_id,
                action=action,
                status=status,
                status_reason=reason,
                resource_properties=properties,
                event_time=workflow.now(),
            )
        )

    def _stack_row(self, state: StackState) -> StackRow:
        # Before the outputs are resolved, Heat lists them with null values.
        outputs = state.outputs or outputs_in_progress(state.template)
        return StackRow(
            id=state.stack_id,
            project_id=state.project_id,
            name=state.stack_name,
            action=state.action,
            status=state.status,
            status_reason=state.status_reason,
            description=str(state.template.get("description") or ""),
            creation_time=state.creation_time or workflow.now(),
            updated_time=state.updated_time,
            deletion_time=state.deletion_time,
            disable_rollback=state.disable_rollback,
            timeout_mins=state.timeout_mins,
            tags=state.tags,
            parameters=parameters_for_display(state),
            outputs=outputs,
            parent_id=state.parent_id,
            owner=state.owner,
            workflow_id=self._workflow_id,
        )

    def _resource_row(self, resource: ResourceState, removed: bool) -> ResourceRow:
        if self._required_by is None:
            self._required_by = required_by(self._state)
        state = self._state
        return ResourceRow(
            stack_id=state.stack_id,
            project_id=state.project_id,
            name=resource.name,
            type=resource.type,
            physical_id=resource.physical_id,
            action=resource.action,
            status=resource.status,
            status_reason=resource.status_reason,
            description=resource.description,
            creation_time=resource.creation_time,
            updated_time=resource.updated_time,
            required_by=self._required_by.get(resource.name, []),
            attributes=resource.attributes,
            properties=resource.properties,
            metadata=resource.metadata,
            removed=removed,
        )
