"""A large group's members run in batch child workflows, so no single history grows with them."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus

from tests.conftest import HeatClient, make_service, wait_until
from workflows.batches import BATCH_SIZE, BATCH_THRESHOLD

MEMBERS = BATCH_THRESHOLD + 150
OPENSTACK = str(Path(sys.executable).parent / "openstack")


def group_template(
    count: int, value: str, fail: bool = False, wait_secs: float = 0
) -> dict[str, Any]:
    # TestResource: one activity per step, as a cloud resource (in-engine members are not
    # batched: they already cost one local activity per wave).
    properties: dict[str, Any] = {"value": f"%index%-{value}", "fail": fail}
    if wait_secs:
        # Only the create waits (wait_secs would make the delete wait too).
        properties["action_wait_secs"] = {"create": wait_secs}
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "group": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {
                    "count": count,
                    "resource_def": {"type": "OS::Heat::TestResource", "properties": properties},
                },
            }
        },
        "outputs": {
            "refs": {"value": {"get_attr": ["group", "refs"]}},
            "values": {"value": {"get_attr": ["group", "output"]}},
        },
    }


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in stack["outputs"]}


def nested_of(heat: HeatClient, parent_id: str) -> dict[str, Any]:
    listed = heat.get("/stacks?show_nested=true").json()["stacks"]
    [nested] = [s for s in listed if s.get("parent") == parent_id]
    return dict(nested)


def project_of(heat: HeatClient) -> str:
    return heat.endpoint.rsplit("/", 1)[-1]


async def _histories(target: str, workflow_ids: list[str]) -> dict[str, tuple[Any, int]]:
    client = await Client.connect(target)
    found: dict[str, tuple[Any, int]] = {}
    for workflow_id in workflow_ids:
        handle = client.get_workflow_handle(workflow_id)
        described = await handle.describe()
        history = await handle.fetch_history()
        found[workflow_id] = (described.status, len(history.events))
    return found


def test_a_large_group_runs_its_members_in_batch_workflows(
    heat: HeatClient, temporal_target: str
) -> None:
    stack = f"b{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(stack, group_template(MEMBERS, "a"))["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=300)
    assert outputs(shown)["values"] == [f"{i}-a" for i in range(MEMBERS)]
    nested = nested_of(heat, stack_id)
    members_path = f"/stacks/{nested['stack_name']}/{nested['id']}"
    listed = heat.get(f"{members_path}/resources").json()["resources"]
    assert len(listed) == MEMBERS
    assert {r["resource_status"] for r in listed} == {"CREATE_COMPLETE"}

    # The CLI lists the members through the group, as a user would see them.
    cli = [OPENSTACK, "--os-auth-type", "none", "--os-endpoint", heat.endpoint]
    done = subprocess.run(
        [*cli, "stack", "resource", "list", "--nested-depth", "1", "-f", "json", stack],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = [r for r in json.loads(done.stdout) if r["resource_type"] == "OS::Heat::TestResource"]
    assert len(rows) == MEMBERS
    assert {r["resource_status"] for r in rows} == {"CREATE_COMPLETE"}

    # Every member's events are there once, in order, with no sequence number shared.
    events = heat.get(f"{members_path}/events?limit=5000&sort_dir=asc").json()["events"]
    member_events = [e for e in events if e["resource_name"] != nested["stack_name"]]
    assert len(member_events) == 2 * MEMBERS
    by_member: dict[str, list[str]] = {}
    for event in member_events:
        by_member.setdefault(event["resource_name"], []).append(event["resource_status"])
    assert all(s == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"] for s in by_member.values()), next(
        iter(by_member.items())
    )

    # The nested stack's create ran as an operation whose members went to batch workflows:
    # each batch completed, and the operation's own history stays short.
    operation = f"stack/{project_of(heat)}/{nested['stack_name']}/{nested['id']}/create-1"
    batches = (MEMBERS + BATCH_SIZE - 1) // BATCH_SIZE
    ids = [operation] + [f"{operation}/batch-1-{i}" for i in range(batches)]
    found = asyncio.run(_histories(temporal_target, ids))
    assert all(status == WorkflowExecutionStatus.COMPLETED for status, _ in found.values())
    assert found[operation][1] < 250, found[operation]

    # An update changes every member in place and adds members, in batches too.
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}",
        json={"template": group_template(MEMBERS + 50, "b")},
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=300)
    assert outputs(shown)["values"] == [f"{i}-b" for i in range(MEMBERS + 50)]
    listed = heat.get(f"{members_path}/resources").json()["resources"]
    statuses = {r["resource_name"]: r["resource_status"] for r in listed}
    assert statuses[str(MEMBERS)] == "CREATE_COMPLETE"
    assert {statuses[str(i)] for i in range(MEMBERS)} == {"UPDATE_COMPLETE"}

    # Shrinking deletes the dropped members (a batched clean-up), then suspend and resume.
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}", json={"template": group_template(10, "b")}
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=300)
    assert len(outputs(shown)["refs"]) == 10
    listed = heat.get(f"{members_path}/resources").json()["resources"]
    assert sorted(int(r["resource_name"]) for r in listed) == list(range(10))

    response = heat.http.delete(f"{heat.endpoint}/stacks/{stack}/{stack_id}")
    assert response.status_code == 204, response.text
    assert heat.get(f"/stacks/{stack}/{stack_id}").status_code in (200, 404)


def test_suspend_resume_and_delete_of_a_large_group_go_through_batches(heat: HeatClient) -> None:
    stack = f"b{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(stack, group_template(MEMBERS, "a"))["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=300)
    nested = nested_of(heat, stack_id)
    members_path = f"/stacks/{nested['stack_name']}/{nested['id']}"
    for action, status in (("suspend", "SUSPEND_COMPLETE"), ("resume", "RESUME_COMPLETE")):
        response = heat.post(f"/stacks/{stack}/{stack_id}/actions", {action: None})
        assert response.status_code == 200, response.text
        heat.wait_status(stack, stack_id, status, deadline=300)
        listed = heat.get(f"{members_path}/resources").json()["resources"]
        assert {r["resource_status"] for r in listed} == {status}
    response = heat.delete(f"/stacks/{stack}/{stack_id}")
    assert response.status_code == 204, response.text

    def gone() -> bool:
        return heat.get(f"/stacks/{stack}/{stack_id}").status_code == 404 or (
            heat.stack(stack, stack_id)["stack_status"] == "DELETE_COMPLETE"
        )

    wait_until(gone, 300, "the group's stack to be deleted")
    assert heat.get(f"{members_path}").status_code == 404 or (
        heat.get(members_path).json()["stack"]["stack_status"] == "DELETE_COMPLETE"
    )


def test_a_failing_member_stops_further_batches_and_fails_the_group(heat: HeatClient) -> None:
    stack = f"b{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(stack, group_template(MEMBERS, "x", fail=True))["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_FAILED", deadline=300)
    assert "Test Resource failed" in shown["stack_status_reason"], shown["stack_status_reason"]
    assert shown["stack_status_reason"].startswith(
        "Resource CREATE failed: ValueError: resources.group.resources."
    )
    nested = nested_of(heat, stack_id)
    listed = heat.get(f"/stacks/{nested['stack_name']}/{nested['id']}/resources").json()
    statuses = [r["resource_status"] for r in listed["resources"]]
    # The first batches ran (two at once) and failed; no later batch was started.
    assert statuses.count("CREATE_FAILED") <= 2 * BATCH_SIZE
    assert statuses.count("INIT_COMPLETE") >= MEMBERS - 2 * BATCH_SIZE


def test_a_delete_during_a_batched_create_stops_the_batches_and_removes_everything(
    heat: HeatClient,
) -> None:
    stack = f"b{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(stack, group_template(MEMBERS, "slow", wait_secs=20))["id"]

    def members_started() -> dict[str, Any] | None:
        listed = heat.get("/stacks?show_nested=true").json()["stacks"]
        nested = [s for s in listed if s.get("parent") == stack_id]
        if not nested:
            return None
        path = f"/stacks/{nested[0]['stack_name']}/{nested[0]['id']}/resources"
        statuses = [r["resource_status"] for r in heat.get(path).json()["resources"]]
        return nested[0] if "CREATE_IN_PROGRESS" in statuses else None

    nested = wait_until(members_started, 120, "members to be in progress")
    deleting = time.monotonic()
    response = heat.delete(f"/stacks/{stack}/{stack_id}")
    assert response.status_code == 204, response.text

    def gone(name: str, ident: str) -> bool:
        response = heat.get(f"/stacks/{name}/{ident}")
        return response.status_code == 404 or (
            response.json()["stack"]["stack_status"] == "DELETE_COMPLETE"
        )

    wait_until(lambda: gone(stack, stack_id), 120, "the stack to be deleted")
    assert gone(nested["stack_name"], nested["id"])
    # Sooner than the members' 20 s waits would have ended had the stop not reached them.
    assert time.monotonic() - deleting < 20


def test_killing_the_worker_mid_batch_finishes_every_member_once(
    temporal_target: str, tmp_path: Path
) -> None:
    # A service of its own: its worker is killed with -9 while batches run.
    service = make_service(temporal_target, tmp_path / "batches")
    try:
        heat = HeatClient(service.endpoint("batches"))
        stack = f"b{uuid.uuid4().hex[:10]}"
        stack_id = heat.create(stack, group_template(MEMBERS, "k", wait_secs=3))["id"]

        def in_progress() -> dict[str, Any] | None:
            listed = heat.get("/stacks?show_nested=true").json()["stacks"]
            nested = [s for s in listed if s.get("parent") == stack_id]
            if not nested:
                return None
            path = f"/stacks/{nested[0]['stack_name']}/{nested[0]['id']}/resources"
            statuses = [r["resource_status"] for r in heat.get(path).json()["resources"]]
            return nested[0] if "CREATE_IN_PROGRESS" in statuses else None

        nested = wait_until(in_progress, 120, "members to be in progress")
        service.kill_worker()
        service.start_worker()
        shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=300)
        assert outputs(shown)["values"] == [f"{i}-k" for i in range(MEMBERS)]
        events = heat.get(
            f"/stacks/{nested['stack_name']}/{nested['id']}/events?limit=5000&sort_dir=asc"
        ).json()["events"]
        counted = Counter(
            (e["resource_name"], e["resource_status"])
            for e in events
            if e["resource_name"] != nested["stack_name"]
        )
        # Every member started and finished exactly once, across the kill.
        assert set(counted.values()) == {1}
        assert len(counted) == 2 * MEMBERS
    finally:
        service.stop()
