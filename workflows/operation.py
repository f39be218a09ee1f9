"""One stack operation as its own workflow: walk the graph, and compensate when it fails."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.resources.registry import plugin_for, type_schema
    from workflows import ids
    from workflows.batches import Batches
    from workflows.groups import SCALING_GROUP_TYPES
    from workflows.hooks import Hooks
    from workflows.nested import DONE_SIGNAL, NestedStacks
    from workflows.projector import Projector
    from workflows.rendering import StackModel
    from workflows.resource_runner import (
        CLOUD_SNAPSHOTS_PATCH,
        ResourceRunner,
        cloud_snapshot_requests,
        delete_cloud_snapshot,
    )
    from workflows.scaling import group_sizes, new_capacity, policy_properties
    from workflows.scheduler import reverse, walk, walk_in_waves
    from workflows.signals import SIGNAL_RESOURCE, apply_signal
    from workflows.stack_data import stack_data
    from workflows.types import (
        BatchStep,
        Definition,
        NestedOutcome,
        OperationInput,
        OperationOutput,
        ResourceSignal,
        StackState,
        StopRequest,
        Supersede,
        SupersedeAnswer,
        implementation_of,
    )
    from workflows.update_plan import with_definition
    from workflows.update_run import UpdateRun, delete_retired

PAUSE_PATCH = "rolling-pause-2026-12"
# An update accepted while a create or update runs takes over from it (Supersede), and the
# operation tells its entity when it starts rolling back (then an update is refused, 409).
PREEMPT_PATCH = "update-preempts-update-2026-12"
# A stack delete takes a retired resource (left behind by a failed replacement) down with its
# current namesake, in dependency order, instead of before everything else.
RETIRED_WITH_NAMESAKE_PATCH = "retired-with-namesake-2026-12"
# Signals from an operation to its entity (names, so workflows/stack.py imports no cycle).
SUPERSEDE_ANSWER_SIGNAL = "supersede_answer"
ROLLING_BACK_SIGNAL = "operation_rolling_back"
_SIMPLE_ACTIONS = {"suspend": "SUSPEND", "resume": "RESUME", "check": "CHECK"}


@workflow.defn(name="StackOperation")
class StackOperationWorkflow:
    """Runs one operation over a snapshot of the stack and returns the new state.

    Progress goes to the listings through the projector as it happens; the returned state
    becomes the entity's authoritative state.
    """

    def __init__(self) -> None:
        self._stop: StopRequest | None = None
        self._state: StackState | None = None
        self._last_status: tuple[str, str, str] | None = None
        # Answers of nested stacks' entities, by request id (see workflows/nested.py).
        self._nested_outcomes: dict[str, NestedOutcome] = {}
        # Resource signals that arrived before run() set up the state they apply to.
        self._early_signals: list[ResourceSignal] = []
        self._hooks: Hooks | None = None
        self._projector: Projector | None = None
        # While a create's or update's walk runs, a new update may take over (Supersede).
        self._supersedable = False
        self._superseded: Supersede | None = None
        # Supersede requests being answered (run() lets the answers go out before it ends).
        self._answering = 0

    @workflow.signal
    def stop(self, request: StopRequest) -> None:
        """Stop starting work (a delete or a cancel arrived, or the timeout fired)."""
        if self._stop is None or (self._stop.finish_running and not request.finish_running):
            # A delete after a cancel_without_rollback no longer waits for running steps.
            self._stop = request

    @workflow.signal
    async def supersede(self, request: Supersede) -> None:
        """A new update takes over: start nothing new, let what runs finish and be recorded,
        and show the stack as the new update's UPDATE_IN_PROGRESS (as upstream's convergence
        engine moves to a new traversal). Declined once the walk is over (the operation is
        completing or rolling back): the update then runs after it."""
        if not workflow.patched(PREEMPT_PATCH):
            return
        self._answering += 1
        try:
            await self._answer(request)
        finally:
            self._answering -= 1

    async def _answer(self, request: Supersede) -> None:
        # A signal can come before run() has set the operation up (it is sent once the
        # operation has started): decide only then.
        await workflow.wait_condition(lambda: self._projector is not None)
        state, projector = self._state, self._projector
        taken = (
            self._supersedable
            and self._stop is None
            and state is not None
            and projector is not None
        )
        if taken:
            assert state is not None and projector is not None
            self._superseded = request
            self._stop = StopRequest(
                reason="Stack UPDATE started", rollback=False, finish_running=True
            )
            shown = with_definition(state, request.definition).model_copy(
                update={
                    "action": "UPDATE",
                    "status": "IN_PROGRESS",
                    "status_reason": "Stack UPDATE started",
                    "updated_time": request.updated_time,
                    "outputs": [],
                }
            )
            # Written with this operation's counters, which the listings follow until it ends.
            projector.stack_changed(with_definition=True, shown=shown)
            projector.stack_event("UPDATE", "IN_PROGRESS", "Stack UPDATE started")
            await projector.flush()
        await self._tell_entity(
            SUPERSEDE_ANSWER_SIGNAL, SupersedeAnswer(request_id=request.request_id, taken=taken)
        )

    @staticmethod
    async def _tell_entity(signal: str, arg: object) -> None:
        parent = workflow.info().parent
        if parent is None:
            return
        try:
            await workflow.get_external_workflow_handle(parent.workflow_id).signal(signal, arg)
        except Exception:  # the entity always outlives its operation; nothing else to do
            workflow.logger.info("signal %s not delivered to %s", signal, parent.workflow_id)

    @workflow.signal(name=DONE_SIGNAL)
    def nested_done(self, outcome: NestedOutcome) -> None:
        """A nested stack's operation that this one asked for has ended."""
        self._nested_outcomes[outcome.request_id] = outcome

    @workflow.signal(name=SIGNAL_RESOURCE)
    def resource_signal(self, signal: ResourceSignal) -> None:
        """A resource signal (a wait handle's, or a hook cleared) passed on by the entity."""
        if self._state is None or self._hooks is None or self._projector is None:
            self._early_signals.append(signal)
            return
        apply_signal(self._state, signal, self._projector, self._hooks)

    @workflow.query
    def state(self) -> StackState | None:
        return self._state

    def _stopped(self) -> bool:
        return self._stop is not None

    def _interrupted(self) -> bool:
        """A running step's wait is cut short: stopped, unless running steps may finish."""
        return self._stop is not None and not self._stop.finish_running

    @workflow.run
    async def run(self, op: OperationInput) -> OperationOutput:
        self._state = state = op.state
        self._max_concurrency = op.max_concurrency
        # Waves with a pause between them (a group's pause_time); recorded operations had none.
        self._pause_secs = (
            op.pause_secs if op.pause_secs and workflow.patched(PAUSE_PATCH) else None
        )
        self._converge = op.converge
        projector = Projector(state, workflow.info().workflow_id)
        projector.start()
        nested = NestedStacks(
            state,
            self._nested_outcomes,
            op.max_concurrency,
            self._stopped,
            projector.resource_changed,
            superseded=lambda: self._superseded is not None,
        )
        self._hooks = Hooks(state, projector, self._stopped)
        self._projector = projector
        runner = ResourceRunner(state, projector, self._interrupted, nested, self._hooks)
        self._batches = Batches(state, op.max_concurrency, lambda: self._stop)
        for early in self._early_signals:
            apply_signal(state, early, projector, self._hooks)
        self._early_signals.clear()
        timer = None
        if state.timeout_mins and op.kind not in ("delete", "snapshot", "scale"):
            timer = asyncio.create_task(self._timeout(state.timeout_mins))
        self._supersedable = op.kind in ("create", "update")
        if op.kind == "create":
            await self._create(state, projector, runner)
        elif op.kind == "adopt":
            await self._adopt(state, projector, runner)
        elif op.kind == "update":
            assert op.previous is not None
            await self._update(state, projector, runner, op.previous)
        elif op.kind == "delete":
            await self._delete(state, projector, runner, abandon=op.abandon)
        elif op.kind == "snapshot":
            assert op.snapshot_id is not None
            await self._snapshot(state, projector, runner, op.snapshot_id)
        elif op.kind == "restore":
            assert op.previous is not None and op.snapshot_id is not None
            await self._restore(state, projector, runner, op.previous, op.snapshot_id)
        elif op.kind == "scale":
            assert op.policy is not None
            await self._scale(state, projector, runner, op.policy)
        else:
            await self._simple(state, projector, runner, _SIMPLE_ACTIONS[op.kind])
        if timer is not None:
            timer.cancel()
        self._supersedable = False
        if self._answering:
            # The answer to the entity goes out before this run ends.
            await workflow.wait_condition(lambda: not self._answering)
        await projector.close()
        # The final status is the entity's to write to the listings; the search attributes
        # of this workflow are ours to set.
        workflow.upsert_search_attributes(
            [ids.STACK_ACTION.value_set(state.action), ids.STACK_STATUS.value_set(state.status)]
        )
        return OperationOutput(state=state, superseded=self._superseded is not None)

    async def _timeout(self, minutes: int) -> None:
        await workflow.sleep(timedelta(minutes=minutes))
        if self._superseded is None:  # the new update has a timeout of its own
            self.stop(StopRequest(reason="Timed out", rollback=None))

    def _set_stack(
        self, state: StackState, projector: Projector, action: str, status: str, reason: str
    ) -> None:
        """Move the stack to a new status. An IN_PROGRESS status is written at once; an end
        status (COMPLETE, FAILED) when the next status is set, so the operation's last one is
        left to the entity, which writes it after it has taken the result: a client that sees
        the operation end can start the next one at once."""
        if self._last_status is not None:
            self._write_status(projector, *self._last_status)
            self._last_status = None
        state.action, state.status, state.status_reason = action, status, reason
        if status == "IN_PROGRESS":
            self._write_status(projector, action, status, reason)
        else:
            self._last_status = (action, status, reason)

    @staticmethod
    def _write_status(projector: Projector, action: str, status: str, reason: str) -> None:
        projector.stack_changed()
        projector.stack_event(action, status, reason)
        workflow.upsert_search_attributes(
            [ids.STACK_ACTION.value_set(action), ids.STACK_STATUS.value_set(status)]
        )

    async def _rolling_back(self, state: StackState, projector: Projector) -> None:
        """ROLLBACK_IN_PROGRESS. The entity is told first, so that an update is refused (409)
        by the time a reader sees the rollback."""
        if workflow.patched(PREEMPT_PATCH):
            await self._tell_entity(ROLLING_BACK_SIGNAL, state.stack_id)
        self._set_stack(state, projector, "ROLLBACK", "IN_PROGRESS", "Stack ROLLBACK started")

    def _should_roll_back(self, state: StackState) -> bool:
        if self._stop is not None and self._stop.rollback is not None:
            return self._stop.rollback
        return not state.disable_rollback

    # -- create -----------------------------------------------------------------------------

    async def _create(
        self, state: StackState, projector: Projector, runner: ResourceRunner
    ) -> None:
        model = StackModel(state)
        projector.use_required_by(model.required_by())
        graph = model.dependencies()
        if self._pause_secs and not any(graph.values()):
            result = await walk_in_waves(
                graph,
                lambda name: runner.create(name, model),
                self._max_concurrency,
                self._pause_secs,
                self._stopped,
            )
        elif self._batches.fits(graph, [model.implementation(n) for n in graph]):
            result, _ = await self._batches.walk("create", graph)
        else:
            result = await walk(
                graph,
                lambda name: runner.create(name, model),
                self._max_concurrency,
                self._stopped,
            )
        self._supersedable = False
        if self._superseded is not None:
            return  # what was made is where the new update starts; nothing is undone
        if not result.failed and self._stop is None:
            await runner.attribute_delay(model.output_references())
            state.outputs = model.resolve_outputs()
            self._set_stack(
                state, projector, "CREATE", "COMPLETE", "Stack CREATE completed successfully"
            )
            return
        reason = self._stop.reason if self._stop else failure_reason(state, result.failed)
        self._set_stack(state, projector, "CREATE", "FAILED", reason)
        if self._should_roll_back(state):
            self._stop = None
            await self._rollback_create(state, projector, runner, model)

    async def _rollback_create(
        self, state: StackState, projector: Projector, runner: ResourceRunner, model: StackModel
    ) -> None:
        await self._rolling_back(state, projector)
        failed = await delete_resources(
            state, projector, runner, model, self._max_concurrency, self._batches
        )
        if failed:
            self._set_stack(state, projector, "ROLLBACK", "FAILED", failure_reason(state, failed))
            return
        self._set_stack(
            state, projector, "ROLLBACK", "COMPLETE", "Stack ROLLBACK completed successfully"
        )

    # -- adopt ------------------------------------------------------------------------------

    async def _adopt(self, state: StackState, projector: Projector, runner: ResourceRunner) -> None:
        """Take over the resources adopt_stack_data names instead of creating them."""
        model = StackModel(state)
        projector.use_required_by(model.required_by())
        result = await walk(
            model.dependencies(),
            lambda name: runner.adopt(name, model, state.adopt_data.get(name)),
            self._max_concurrency,
            self._stopped,
        )
        state.adopt_data = {}
        if result.failed or self._stop is not None:
            reason = self._stop.reason if self._stop else failure_reason(state, result.failed)
            self._set_stack(state, projector, "ADOPT", "FAILED", reason)
            return
        state.outputs = model.resolve_outputs()
        self._set_stack(state, projector, "ADOPT", "COMPLETE", "Stack ADOPT completed successfully")

    # -- update -----------------------------------------------------------------------------

    async def _update(
        self,
        state: StackState,
        projector: Projector,
        runner: ResourceRunner,
        previous: Definition,
    ) -> None:
        run = UpdateRun(
            state,
            projector,
            runner,
            self._max_concurrency,
            self._stopped,
            converge=self._converge,
            batches=self._batches,
            pause_secs=self._pause_secs,
        )
        failure = await run.apply(previous)
        self._supersedable = False
        if self._superseded is not None:
            # No rollback: the new update starts from here (and deletes what this one retired).
            run.retire_leftovers()
            return
        if failure is None and self._stop is None:
            self._set_stack(
                state, projector, "UPDATE", "COMPLETE", "Stack UPDATE completed successfully"
            )
            return
        cancelled_with_rollback = self._stop is not None and self._stop.rollback is True
        if not cancelled_with_rollback:
            # cancel_update goes straight to ROLLBACK, as upstream's stack.rollback() does.
            reason = self._stop.reason if self._stop else failure or "Stack UPDATE failed"
            self._set_stack(state, projector, "UPDATE", "FAILED", reason)
        if not self._should_roll_back(state):
            run.retire_leftovers()
            return
        self._stop = None
        await self._rolling_back(state, projector)
        rollback_failure = await run.compensate(previous)
        run.retire_leftovers()
        if rollback_failure is not None:
            self._set_stack(state, projector, "ROLLBACK", "FAILED", rollback_failure)
            return
        self._set_stack(
            state, projector, "ROLLBACK", "COMPLETE", "Stack ROLLBACK completed successfully"
        )

    # -- snapshot and restore ---------------------------------------------------------------

    async def _snapshot(
        self, state: StackState, projector: Projector, runner: ResourceRunner, snapshot_id: str
    ) -> None:
        """Record the stack's definition and its resources' ids and data. The built-in types
        keep their data there; volumes and servers first take a cloud snapshot (a Cinder
        snapshot, a Nova image) whose id their data then carries, as upstream's."""
        snapshot = state.snapshots[snapshot_id]
        if workflow.patched(CLOUD_SNAPSHOTS_PATCH):
            names = [
                name
                for name, resource in state.resources.items()
                if resource.physical_id
                and (plugin := plugin_for(implementation_of(resource))) is not None
                and plugin.supports_snapshot
            ]
            results = await asyncio.gather(
                *(runner.snapshot(state.resources[name], snapshot_id) for name in names)
            )
            failed = [name for name, ok in zip(names, results, strict=True) if not ok]
            if failed:
                reason = f"Resource SNAPSHOT failed: {state.resources[failed[0]].status_reason}"
                snapshot.data = stack_data(state) | {"action": "SNAPSHOT", "status": "FAILED"}
                snapshot.status, snapshot.status_reason = "FAILED", reason
                projector.snapshot_changed(snapshot)
                self._set_stack(state, projector, "SNAPSHOT", "FAILED", reason)
                return
        snapshot.data = stack_data(state) | {"action": "SNAPSHOT", "status": "COMPLETE"}
        snapshot.status = "COMPLETE"
        snapshot.status_reason = "Stack SNAPSHOT completed successfully"
        projector.snapshot_changed(snapshot)
        self._set_stack(
            state, projector, "SNAPSHOT", "COMPLETE", "Stack SNAPSHOT completed successfully"
        )

    async def _restore(
        self,
        state: StackState,
        projector: Projector,
        runner: ResourceRunner,
        previous: Definition,
        snapshot_id: str,
    ) -> None:
        """Return to a snapshot: update to its definition, then give the resources it knew
        (the same physical resource) their recorded data back."""
        run = UpdateRun(state, projector, runner, self._max_concurrency, self._stopped)
        failure = await run.apply(previous)
        if failure is None:
            recorded = (state.snapshots[snapshot_id].data or {}).get("resources", {})
            for name, entry in recorded.items():
                resource = state.resources.get(name)
                if resource is None or resource.physical_id != entry.get("resource_id"):
                    continue
                if entry.get("resource_data") and not await runner.restore_data(
                    resource, dict(entry["resource_data"])
                ):
                    failure = f"Resource RESTORE failed: {resource.status_reason}"
                    break
        if failure is not None or self._stop is not None:
            reason = self._stop.reason if self._stop else failure or "Stack RESTORE failed"
            self._set_stack(state, projector, "RESTORE", "FAILED", reason)
            return
        state.outputs = StackModel(state).resolve_outputs()
        self._set_stack(
            state, projector, "RESTORE", "COMPLETE", "Stack RESTORE completed successfully"
        )

    # -- delete -----------------------------------------------------------------------------

    async def _delete(
        self, state: StackState, projector: Projector, runner: ResourceRunner, abandon: bool
    ) -> None:
        if abandon:
            # Abandon: the stack goes, what it made stays in the cloud.
            for resource in state.resources.values():
                projector.resource_changed(resource, removed=True)
            state.resources = {}
            state.deletion_time = workflow.now()
            self._set_stack(
                state, projector, "DELETE", "COMPLETE", "Stack DELETE completed successfully"
            )
            return
        if state.snapshots and workflow.patched(CLOUD_SNAPSHOTS_PATCH):
            # Upstream deletes the stack's snapshots first; a volume with Cinder snapshots
            # could not be deleted anyway.
            for snapshot in state.snapshots.values():
                for request in cloud_snapshot_requests(state, snapshot.data or {}):
                    await delete_cloud_snapshot(request)
        # What failed updates replaced but left behind: a retired resource whose namesake is
        # still in the stack goes right after it (what required the name is gone by then,
        # what the name requires is not yet: a server may still sit on a retired port);
        # the others go first, as all of them did before the patch.
        with_namesake = bool(state.retired) and workflow.patched(RETIRED_WITH_NAMESAKE_PATCH)
        retired_failure = await delete_retired(
            state, runner, keep=touched_names(state) if with_namesake else set()
        )
        if retired_failure is not None:
            reason = f"Resource DELETE failed: {retired_failure.status_reason}"
            self._set_stack(state, projector, "DELETE", "FAILED", reason)
            return
        model = StackModel(state)
        projector.use_required_by(model.required_by())
        failed = await delete_resources(
            state, projector, runner, model, self._max_concurrency, self._batches, with_namesake
        )
        if not failed and state.retired:
            # A batched walk (thousands of resources) leaves the retired ones to the end.
            retired_failure = await delete_retired(state, runner)
            if retired_failure is not None:
                reason = f"Resource DELETE failed: {retired_failure.status_reason}"
                self._set_stack(state, projector, "DELETE", "FAILED", reason)
                return
        if failed:
            self._set_stack(state, projector, "DELETE", "FAILED", failure_reason(state, failed))
            return
        state.deletion_time = workflow.now()
        self._set_stack(
            state, projector, "DELETE", "COMPLETE", "Stack DELETE completed successfully"
        )

    # -- scale --------------------------------------------------------------------------------

    async def _scale(
        self, state: StackState, projector: Projector, runner: ResourceRunner, policy_name: str
    ) -> None:
        """A scaling policy was signalled: resize its group as upstream's adjust() does,
        unless the group is in its cooldown or already at the size."""
        policy = state.resources.get(policy_name)
        if policy is None:
            return
        model = StackModel(state)
        props = policy_properties(
            implementation_of(policy),
            model.validated_properties(
                policy_name, policy.properties, type_schema(implementation_of(policy))
            ),
        )
        target = str(props.get("auto_scaling_group_id") or "")
        group = next(
            (
                r
                for r in state.resources.values()
                if target in (r.reference_id, r.physical_id, r.name) and r.action != "INIT"
            ),
            None,
        )
        if group is None or implementation_of(group) not in SCALING_GROUP_TYPES:
            projector.resource_note(
                policy,
                "SIGNAL",
                "FAILED",
                f'Alarm {policy_name} could not find scaling group named "{target}"',
            )
            return
        group_props = group_sizes(
            implementation_of(group),
            model.validated_properties(
                group.name, group.properties, type_schema(implementation_of(group))
            ),
        )
        now = workflow.now()
        cooldown = props.get("cooldown")
        if cooldown is None:
            cooldown = group_props.get("cooldown") or 0
        last = group.data.get("last_scaled")
        if last and (now - datetime.fromisoformat(last)).total_seconds() < float(cooldown):
            projector.resource_note(
                policy, "SIGNAL", policy.status, f"{policy_name} is in cooldown, no action"
            )
            return
        current = int(group.data.get("current_size") or 0)
        size = new_capacity(
            current,
            float(props["scaling_adjustment"]),
            str(props["adjustment_type"]),
            props.get("min_adjustment_step"),
            int(group_props.get("min_size") or 0),
            int(group_props.get("max_size") or 0),
        )
        projector.resource_note(
            policy,
            "SIGNAL",
            policy.status,
            f"Signal: alarm state changed; adjusting {group.name} from {current} to {size}",
        )
        if size == current:
            return
        group.data = {**group.data, "scale_to": size, "last_scaled": now.isoformat()}
        if await runner.update(group, dict(group.properties), [], model):
            state.outputs = StackModel(state).resolve_outputs()

    # -- suspend, resume, check ---------------------------------------------------------------

    async def _simple(
        self, state: StackState, projector: Projector, runner: ResourceRunner, action: str
    ) -> None:
        model = StackModel(state)
        projector.use_required_by(model.required_by())
        created = {n for n, r in state.resources.items() if r.action != "INIT"}
        requires = model.dependencies()
        graph = {n: set(requires.get(n, ())) & created for n in created}
        if action == "SUSPEND":
            # Suspend walks the graph backwards: dependents first.
            graph = reverse(graph)
        step: BatchStep = action  # type: ignore[assignment]
        if self._batches.fits(graph, [implementation_of(state.resources[n]) for n in graph]):
            result, _ = await self._batches.walk(step, graph)
        else:
            result = await walk(
                graph,
                lambda name: runner.simple(state.resources[name], action),
                self._max_concurrency,
                self._stopped,
            )
        if result.failed or self._stop is not None:
            reason = self._stop.reason if self._stop else failure_reason(state, result.failed)
            self._set_stack(state, projector, action, "FAILED", reason)
            return
        self._set_stack(
            state, projector, action, "COMPLETE", f"Stack {action} completed successfully"
        )


def touched_names(state: StackState) -> set[str]:
    """The resources a delete has to act on: made (or tried), and not already deleted."""
    return {
        n
        for n, r in state.resources.items()
        if r.action != "INIT" and not (r.action == "DELETE" and r.status == "COMPLETE")
    }


async def delete_resources(
    state: StackState,
    projector: Projector,
    runner: ResourceRunner,
    model: StackModel,
    max_concurrency: int,
    batches: Batches | None = None,
    with_retired: bool = False,
) -> list[str]:
    """Delete every resource that was touched, in reverse dependency order (a group's
    thousands of members in batch workflows); `with_retired`: each with the retired
    resources of its name right after it."""
    touched = touched_names(state)
    for name, resource in list(state.resources.items()):
        if name not in touched:
            # Never created (or already gone): nothing to do but drop it from the listing.
            projector.resource_changed(resource, removed=True)
    requires = model.dependencies()
    graph = reverse({n: set(requires.get(n, ())) & touched for n in touched})
    if batches is not None and batches.fits(
        graph, [implementation_of(state.resources[n]) for n in graph]
    ):
        batched, _ = await batches.walk("delete", graph, interruptible=False)
        return batched.failed

    async def delete_with_retired(name: str) -> bool:
        if not await runner.delete(state.resources[name]):
            return False
        if not with_retired:
            return True
        failure = await delete_retired(state, runner, only=name)
        if failure is not None:
            # The name's listing row carries the retired resource's failure.
            current = state.resources[name]
            current.action, current.status = "DELETE", "FAILED"
            current.status_reason = failure.status_reason
            projector.resource_changed(current)
            return False
        return True

    result = await walk(graph, delete_with_retired, max_concurrency, lambda: False)
    return result.failed


def failure_reason(state: StackState, failed: list[str]) -> str:
    first = state.resources[failed[0]]
    return f"Resource {first.action} failed: {first.status_reason}"
