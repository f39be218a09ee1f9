"""Large operations over independent resources (a group's members) run in batch child workflows.

A group of thousands is one nested stack whose resources need nothing of each other. Walking them
all in the operation workflow made its history grow with the member count (megabytes of local
activity markers and events); here each batch of members is a `StackBatch` child workflow with a
short history of its own, and the operation keeps only one start and one result per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes

with workflow.unsafe.imports_passed_through():
    from activities.resources.registry import is_in_engine, runs_in_workflow
    from workflows import ids
    from workflows.deployments import DEPLOYMENT_TYPES
    from workflows.hooks import Hooks
    from workflows.nested import NestedStacks
    from workflows.projector import Projector
    from workflows.rendering import StackModel
    from workflows.resource_runner import ResourceRunner
    from workflows.scheduler import WalkResult, walk
    from workflows.types import (
        BatchInput,
        BatchJournalEntry,
        BatchOutput,
        BatchStep,
        ResourceState,
        StackState,
        StopRequest,
    )
    from workflows.update_run import UpdateRun
    from workflows.waits import WAIT_TYPES

# Operations recorded before batches walked every resource in the operation's own history.
BATCH_PATCH = "member-batches-2026-12"
BATCH_WORKFLOW = "StackBatch"
# A walk over fewer resources than this stays in the operation: a child costs a workflow run.
BATCH_THRESHOLD = 300
BATCH_SIZE = 100
MAX_PARALLEL_BATCHES = 4
# Events one resource may write in one batch (an action writes two); the operation reserves
# each batch a block of event sequence numbers, so batches running at once never collide.
EVENTS_PER_RESOURCE = 4
# Projection revisions a batch starts ahead of the operation's (see run_chunk).
REVISION_GAP = 1000


def batchable(
    state: StackState, graph: Mapping[str, Collection[str]], implementations: Iterable[str]
) -> bool:
    """Whether a walk over `graph` can run in batches: many resources, none needing another, each
    a step per activity (cloud types, TestResource), none taking a signal from outside (waits,
    deployments, nested stacks), no hooks."""
    if len(graph) < BATCH_THRESHOLD or any(graph.values()):
        return False
    if not isinstance(state.template.get("resources"), Mapping):
        return False  # HOT templates only (groups' member templates are HOT)
    registry = state.environment.get("resource_registry") or {}
    if isinstance(registry, Mapping) and registry.get("resources"):
        return False  # hooks, which are cleared by a signal to the operation
    for implementation in set(implementations):
        if (
            runs_in_workflow(implementation)
            or implementation in WAIT_TYPES
            or implementation in DEPLOYMENT_TYPES
        ):
            return False
        if is_in_engine(implementation):
            # In-engine members (None, Value, ...) already cost one local activity per wave
            # however many there are; a child per batch would cost more than it saves.
            return False
    return True


def sliced_state(state: StackState, names: list[str], extra: Iterable[str] = ()) -> StackState:
    """The stack's state cut down to `names`: their definitions and their resources."""
    definitions = state.template.get("resources") or {}
    wanted = [*names, *extra]
    template = {key: value for key, value in state.template.items() if key != "outputs"}
    template["resources"] = {n: definitions[n] for n in wanted if n in definitions}
    return state.model_copy(
        update={
            "template": template,
            "resources": {n: state.resources[n] for n in wanted if n in state.resources},
            "outputs": [],
            "adopt_data": {},
            "snapshots": {},
        }
    )


def _member_order(name: str) -> tuple[int, str]:
    return (int(name), name) if name.isdigit() else (1 << 62, name)


class Batches:
    """Starts the batch workflows of one operation and folds their results into its state."""

    def __init__(
        self,
        state: StackState,
        max_concurrency: int,
        stop_request: Callable[[], StopRequest | None],
    ) -> None:
        self._state = state
        self._max_concurrency = max_concurrency
        self._stop_request = stop_request
        self._walks = 0

    def fits(self, graph: Mapping[str, Collection[str]], implementations: Iterable[str]) -> bool:
        # The patch marker is recorded only where a batch would run, so the histories of
        # small stacks are unchanged.
        return batchable(self._state, graph, implementations) and workflow.patched(BATCH_PATCH)

    async def walk(
        self,
        step: BatchStep,
        names: Iterable[str],
        interruptible: bool = True,
        before: Mapping[str, ResourceState] | None = None,
        replaced: Mapping[str, ResourceState] | None = None,
        converge: bool = False,
    ) -> tuple[WalkResult, list[BatchOutput]]:
        """Run `step` on every name, a batch per child workflow, as `scheduler.walk` would:
        a failure or a stop starts no further batch (nor resource within one)."""
        state = self._state
        ordered = sorted(names, key=_member_order)
        size = max(1, min(BATCH_SIZE, self._max_concurrency))
        chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        parallel = max(1, min(MAX_PARALLEL_BATCHES, self._max_concurrency // size))
        self._walks += 1
        walk_number = self._walks
        block = size * EVENTS_PER_RESOURCE + 8
        first_seq = state.event_seq
        state.event_seq += block * len(chunks)
        outputs: dict[int, BatchOutput] = {}
        operation_id = workflow.info().workflow_id

        def stopped() -> bool:
            return interruptible and self._stop_request() is not None

        async def run_chunk(key: str) -> bool:
            index = int(key)
            chunk = chunks[index]
            sliced = sliced_state(state, chunk)
            sliced.event_seq = first_seq + index * block
            # Ahead of any write the operation's own projector makes meanwhile (an INIT row
            # still in its buffer must not overwrite what the batch wrote).
            sliced.revision = state.revision + REVISION_GAP
            handle = await workflow.start_child_workflow(
                BATCH_WORKFLOW,
                BatchInput(
                    step=step,
                    state=sliced,
                    names=chunk,
                    max_concurrency=min(size, self._max_concurrency),
                    operation_id=operation_id,
                    before={n: before[n] for n in chunk if before and n in before},
                    replaced={n: replaced[n] for n in chunk if replaced and n in replaced},
                    converge=converge,
                ),
                id=f"{operation_id}/batch-{walk_number}-{index}",
                result_type=BatchOutput,
                # Found with the stack's other workflows (no action or status: a batch is
                # not a stack operation, and visibility counts those by these).
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(ids.STACK_ID, state.stack_id),
                        SearchAttributePair(ids.STACK_NAME, state.stack_name),
                        SearchAttributePair(ids.PROJECT_ID, state.project_id),
                        SearchAttributePair(ids.PARENT_STACK_ID, state.parent_id or ""),
                    ]
                ),
                static_summary=f"{step} {chunk[0]}..{chunk[-1]}",
            )
            # A stop of the operation is passed on once; the batch then ends early.
            passed_on: list[bool] = []

            def to_pass_on() -> bool:
                return stopped() and not passed_on

            while not handle.done():
                await workflow.wait_condition(lambda: handle.done() or to_pass_on())
                request = self._stop_request()
                if not handle.done() and to_pass_on() and request is not None:
                    passed_on.append(True)
                    await handle.signal("stop", request)
            output: BatchOutput = await handle
            state.resources.update(output.resources)
            state.revision = max(state.revision, output.revision)
            outputs[index] = output
            return not output.failed

        await walk({f"{i:06d}": set() for i in range(len(chunks))}, run_chunk, parallel, stopped)
        result = WalkResult()
        ordered_outputs = [outputs[i] for i in sorted(outputs)]
        for output in ordered_outputs:
            result.succeeded.extend(output.succeeded)
            result.failed.extend(output.failed)
        done = set(result.succeeded) | set(result.failed)
        result.not_started = sorted(n for n in ordered if n not in done)
        return result, ordered_outputs


@workflow.defn(name=BATCH_WORKFLOW)
class StackBatchWorkflow:
    """Runs one step over one batch of a stack's independent resources and returns their state.

    Its projector writes the resources and events to the listings as the operation's would,
    with event sequence numbers from the block the operation reserved for it.
    """

    def __init__(self) -> None:
        self._stop: StopRequest | None = None

    @workflow.signal
    def stop(self, request: StopRequest) -> None:
        if self._stop is None:
            self._stop = request

    def _stopped(self) -> bool:
        return self._stop is not None

    @workflow.run
    async def run(self, batch: BatchInput) -> BatchOutput:
        state = batch.state
        projector = Projector(state, batch.operation_id)
        projector.use_required_by({})
        projector.start()
        hooks = Hooks(state, projector, self._stopped)
        nested = NestedStacks(state, {}, batch.max_concurrency, self._stopped)
        runner = ResourceRunner(state, projector, self._stopped, nested, hooks)
        graph: dict[str, set[str]] = {name: set() for name in batch.names}
        output = BatchOutput()
        step = batch.step
        if step == "create":
            model = StackModel(state)
            result = await walk(
                graph, lambda n: runner.create(n, model), batch.max_concurrency, self._stopped
            )
        elif step == "delete":

            async def delete(name: str) -> bool:
                if name in batch.replaced:
                    return await runner.delete(batch.replaced[name], listed=False)
                return await runner.delete(state.resources[name])

            result = await walk(graph, delete, batch.max_concurrency, lambda: False)
            output.replaced = dict(batch.replaced)
        elif step == "update":
            run = UpdateRun(
                state,
                projector,
                runner,
                batch.max_concurrency,
                self._stopped,
                converge=batch.converge,
            )
            run.use_before(batch.before)
            result = await run.update_walk(graph, StackModel(state))
            output.journal = [
                BatchJournalEntry(kind=e.kind, name=e.name, before=e.before) for e in run.journal
            ]
            output.replaced = run.replaced
        else:
            result = await walk(
                graph,
                lambda n: runner.simple(state.resources[n], step),
                batch.max_concurrency,
                self._stopped,
            )
        await projector.close()
        output.resources = {n: state.resources[n] for n in batch.names if n in state.resources}
        output.failed = result.failed
        output.succeeded = result.succeeded
        output.revision = state.revision
        return output
