"""Recorded histories still replay on today's workflow code: a change that would break an
in-flight stack (a command added, removed or reordered without `workflow.patched`) fails here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from service.temporal import data_converter
from tests.replay.changed_workflow import OperationThatNowWaitsFirst
from worker import SANDBOX_RESTRICTIONS
from workflows.batches import StackBatchWorkflow
from workflows.operation import StackOperationWorkflow
from workflows.stack import StackWorkflow

HISTORIES = Path(__file__).resolve().parent / "histories"
# Large histories are kept gzipped (a batched group's runs are ~10 MB of JSON).
FIXTURES = sorted([*HISTORIES.glob("*.json"), *HISTORIES.glob("*.json.gz")])


def scenario(path: Path) -> str:
    return path.name.split(".", 1)[0]


# What each recorded scenario must contain, so a fixture cannot silently lose its point.
EXPECTED_OPERATIONS = {
    "create_with_rollback": {"create", "delete"},
    "update_with_replace": {"create", "update", "delete"},
    "delete_during_create": {"create", "delete"},
    "suspend_and_resume": {"create", "suspend", "resume", "check", "delete"},
    "snapshot_and_restore": {"create", "snapshot", "update", "restore", "delete"},
    "cancel_update": {"create", "update", "delete"},
    # A nested group's members in StackBatch workflows, and waves with a pause between.
    "group_in_batches": {"create", "update", "delete"},
    "rolling_pause": {"create", "update", "delete"},
    # `converge` reading each resource's live state (converge-live-state-2026-12).
    "update_with_converge": {"create", "update", "delete"},
    # A deployment failed 'Deployment cancelled.' when a delete stops its create.
    "deployment_cancelled": {"create", "delete"},
    # A provider template whose inner resource its parent reads (`resource.<inner>`).
    "nested_inner_resources": {"create", "update", "delete"},
    # An update taking over from a create and from an update in progress, and an update's
    # rollback told to the entity (update-preempts-update-2026-12).
    "update_preempts_update": {"create", "update", "delete"},
    # The same two nested stacks deep: a nested stack's update taken over in turn.
    "nested_update_preempted": {"create", "update", "delete"},
    # A port replaced (prepare-for-replace-2026-12), then a replacement rolled back (restore).
    "port_replace_rollback": {"create", "update", "delete"},
    # A retired port deleted after its namesake, the server on it gone first
    # (retired-with-namesake-2026-12).
    "retired_port_delete": {"create", "update", "delete"},
    # Nested stacks made anew by adopting their resources (adopt-nested-stacks-2026-12).
    "adopt_nested": {"create", "delete", "adopt"},
    # A failed nested stack updated in place (failed-nested-stack-in-place-2026-12).
    "failed_nested_update": {"create", "update", "delete"},
}


def load(path: Path) -> list[WorkflowHistory]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    recorded = json.loads(raw)
    return [
        WorkflowHistory.from_json(run["workflow_id"], {"events": run["events"]})
        for run in recorded["histories"]
    ]


def replayer() -> Replayer:
    """The worker's workflows, sandbox passthrough and data converter (see worker.py)."""
    return Replayer(
        workflows=[StackWorkflow, StackOperationWorkflow, StackBatchWorkflow],
        workflow_runner=SandboxedWorkflowRunner(restrictions=SANDBOX_RESTRICTIONS),
        data_converter=data_converter(),
    )


def test_every_representative_operation_has_a_recorded_history() -> None:
    recorded = {scenario(path) for path in FIXTURES}
    assert recorded == set(EXPECTED_OPERATIONS)
    for path in FIXTURES:
        children = {
            h.workflow_id.rsplit("/", 1)[-1].split("-")[0]
            for h in load(path)
            if h.workflow_id.count("/") == 4
        }
        assert children == EXPECTED_OPERATIONS[scenario(path)], scenario(path)


@pytest.mark.parametrize("path", FIXTURES, ids=[scenario(p) for p in FIXTURES])
async def test_recorded_history_replays_without_nondeterminism(path: Path) -> None:
    histories = load(path)
    assert histories, f"{path} holds no history"
    failures = await replay_failures(replayer(), histories)
    assert not failures, failures


async def replay_failures(replayer: Replayer, histories: list[WorkflowHistory]) -> dict[str, str]:
    failures = {}
    for history in histories:
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        if result.replay_failure is not None:
            error = result.replay_failure
            failures[history.workflow_id] = f"{type(error).__name__}: {error}"
    return failures


async def test_an_unpatched_workflow_change_fails_replay() -> None:
    """The guard itself: the same histories on a changed operation workflow must not replay."""
    changed = Replayer(
        workflows=[StackWorkflow, OperationThatNowWaitsFirst],
        workflow_runner=SandboxedWorkflowRunner(restrictions=SANDBOX_RESTRICTIONS),
        data_converter=data_converter(),
    )
    histories = load(HISTORIES / "update_with_replace.json")
    failures = await replay_failures(changed, histories)
    operations = {h.workflow_id for h in histories if h.workflow_id.count("/") == 4}
    assert set(failures) == operations
    assert all("Nondeterminism" in message for message in failures.values()), failures
