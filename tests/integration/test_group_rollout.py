"""update_policy pause_time: a group's members change in waves with a durable pause between."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.conftest import HeatClient

OPENSTACK = str(Path(sys.executable).parent / "openstack")
PAUSE = 4


def resource_group(value: str, policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "group": {
                "type": "OS::Heat::ResourceGroup",
                "update_policy": policy,
                "properties": {
                    "count": 4,
                    "resource_def": {
                        "type": "OS::Heat::Value",
                        "properties": {"value": f"%index%-{value}"},
                    },
                },
            }
        },
        "outputs": {"values": {"value": {"get_attr": ["group", "value"]}}},
    }


def autoscaling_group(value: str) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "asg": {
                "type": "OS::Heat::AutoScalingGroup",
                "properties": {
                    "min_size": 4,
                    "max_size": 4,
                    "rolling_updates": {"max_batch_size": 2, "pause_time": PAUSE},
                    "resource": {"type": "OS::Heat::Value", "properties": {"value": value}},
                },
            }
        },
        "outputs": {"values": {"value": {"get_attr": ["asg", "outputs_list", "value"]}}},
    }


def member_events(heat: HeatClient, parent_id: str, action: str) -> dict[str, list[datetime]]:
    """When each member of the parent's one nested stack started and ended `action`."""
    listed = heat.get("/stacks?show_nested=true").json()["stacks"]
    [nested] = [s for s in listed if s.get("parent") == parent_id]
    events = heat.get(
        f"/stacks/{nested['stack_name']}/{nested['id']}/events?sort_dir=asc&limit=1000"
    ).json()["events"]
    times: dict[str, list[datetime]] = {}
    for event in events:
        if event["resource_name"] == nested["stack_name"]:
            continue
        if event["resource_status"] in (f"{action}_IN_PROGRESS", f"{action}_COMPLETE"):
            stamp = datetime.fromisoformat(event["event_time"].replace("Z", "+00:00"))
            times.setdefault(event["resource_name"], []).append(stamp)
    return times


def assert_two_waves(times: dict[str, list[datetime]], names: list[str]) -> None:
    """Members change two at a time, the second pair at least the pause after the first."""
    first_done = max(times[n][-1] for n in names[:2])
    second_start = min(times[n][0] for n in names[2:])
    gap = (second_start - first_done).total_seconds()
    assert gap >= PAUSE - 1, (gap, times)


def test_batch_create_and_rolling_update_pause_between_waves(heat: HeatClient) -> None:
    policy = {
        "batch_create": {"max_batch_size": 2, "pause_time": PAUSE},
        "rolling_update": {"max_batch_size": 2, "pause_time": PAUSE},
    }
    stack = f"r{uuid.uuid4().hex[:10]}"
    # Created through the CLI, as a user would.
    path = Path(f"/tmp/{stack}.json")
    path.write_text(json.dumps(resource_group("a", policy)))
    try:
        done = subprocess.run(
            [
                OPENSTACK,
                "--os-auth-type",
                "none",
                "--os-endpoint",
                heat.endpoint,
                "stack",
                "create",
                "--wait",
                "-t",
                str(path),
                "-f",
                "json",
                stack,
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        path.unlink()
    assert done.returncode == 0, done.stderr
    # --wait prints the stack's events first, then the stack as JSON.
    created = json.loads(done.stdout[done.stdout.index("\n{") :])
    assert created["stack_status"] == "CREATE_COMPLETE"
    stack_id = created["id"]
    assert_two_waves(member_events(heat, stack_id, "CREATE"), ["0", "1", "2", "3"])

    response = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}",
        json={"template": resource_group("b", policy)},
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    assert shown["outputs"][0]["output_value"] == ["0-b", "1-b", "2-b", "3-b"]
    assert_two_waves(member_events(heat, stack_id, "UPDATE"), ["0", "1", "2", "3"])

    # A change that leaves every member as it is pauses nowhere.
    response = heat.http.patch(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}", json={"existing": True}
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204


def test_an_autoscaling_groups_rolling_updates_pause_between_waves(heat: HeatClient) -> None:
    stack = f"r{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(stack, autoscaling_group("a"))["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=120)
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}", json={"template": autoscaling_group("b")}
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    assert shown["outputs"][0]["output_value"] == ["b"] * 4
    times = member_events(heat, stack_id, "UPDATE")
    assert_two_waves(times, sorted(times))
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
