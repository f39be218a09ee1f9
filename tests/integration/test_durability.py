"""A worker killed with -9 mid-create: a new worker finishes the stack and nothing runs twice."""

from __future__ import annotations

import asyncio
import json
import shlex
import subprocess
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType

from service.temporal import connect
from tests.conftest import HeatClient, make_service, wait_until

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {
        **{
            f"wait{i}": {
                "type": "OS::Heat::TestResource",
                "properties": {"value": f"v{i}", "wait_secs": 6},
            }
            for i in range(5)
        },
        "after": {
            "type": "OS::Heat::TestResource",
            "depends_on": [f"wait{i}" for i in range(5)],
            "properties": {"value": "last"},
        },
    },
    "outputs": {"last": {"value": {"get_attr": ["after", "output"]}}},
}


async def completed_activity_steps(target: str, workflow_id: str) -> Counter[str]:
    """How many times each resource-action step completed, read from the workflow's history."""
    client = await connect(target, "default")
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    scheduled: dict[int, str] = {}
    completed: Counter[str] = Counter()
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled_attrs = event.activity_task_scheduled_event_attributes
            scheduled[event.event_id] = scheduled_attrs.input.payloads[0].data.decode()
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            completed_attrs = event.activity_task_completed_event_attributes
            completed[scheduled[completed_attrs.scheduled_event_id]] += 1
    return completed


def test_killing_the_worker_mid_create_loses_nothing_and_repeats_nothing(
    temporal_target: str, tmp_path: Path
) -> None:
    service = make_service(temporal_target, tmp_path / "durable")
    try:
        heat = HeatClient(service.endpoint("durable"))
        stack_name = f"durable{uuid.uuid4().hex[:6]}"
        stack_id = heat.create(stack_name, TEMPLATE)["id"]
        base = f"/stacks/{stack_name}/{stack_id}"
        wait_until(
            lambda: (
                sum(
                    r["resource_status"] == "CREATE_IN_PROGRESS"
                    for r in heat.get(base + "/resources").json()["resources"]
                )
                == 5
            ),
            30,
            "the five waits to be in flight",
        )
        service.kill_worker()
        service.start_worker()
        stack = heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE", deadline=90)
        assert stack["outputs"][0]["output_value"] == "last"

        events = heat.get(base + "/events?sort_dir=asc").json()["events"]
        per_resource = Counter(
            (e["resource_name"], e["resource_status"])
            for e in events
            if e["resource_name"] != stack_name
        )
        for i in range(5):
            assert per_resource[(f"wait{i}", "CREATE_IN_PROGRESS")] == 1
            assert per_resource[(f"wait{i}", "CREATE_COMPLETE")] == 1

        op_id = f"stack/durable/{stack_name}/{stack_id}/create-1"
        steps = asyncio.run(completed_activity_steps(temporal_target, op_id))
        creates = [p for p, n in steps.items() if '"step":"create"' in p]
        assert len(creates) == 6
        assert all(steps[p] == 1 for p in creates), "a create step completed twice"
    finally:
        service.stop()


def _template(value: str, broken: bool = False) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            **{
                f"t{i}": {
                    "type": "OS::Heat::TestResource",
                    "properties": {
                        "value": f"{value}{i}",
                        "fail": broken and i == 0,
                        "action_wait_secs": {"update": 5 if i else 3},
                    },
                }
                for i in range(3)
            },
        },
        "outputs": {"first": {"value": {"get_attr": ["t1", "output"]}}},
    }


def test_killing_the_worker_mid_update_and_mid_rollback_finishes_both(
    temporal_target: str, tmp_path: Path
) -> None:
    service = make_service(temporal_target, tmp_path / "durable-update")
    try:
        heat = HeatClient(service.endpoint("durable"))
        stack_name = f"upd{uuid.uuid4().hex[:6]}"
        stack_id = heat.create(stack_name, _template("a"), disable_rollback=False)["id"]
        heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
        base = f"/stacks/{stack_name}/{stack_id}"

        def in_progress(status: str, at_least: int) -> bool:
            body = heat.get(base + "/resources").json()["resources"]
            return sum(r["resource_status"] == status for r in body) >= at_least

        # An update killed half-way completes on the new worker.
        put = heat.http.put(heat.endpoint + base, json={"template": _template("b")}, timeout=30)
        assert put.status_code == 202
        wait_until(lambda: in_progress("UPDATE_IN_PROGRESS", 2), 30, "the updates in flight")
        service.kill_worker()
        service.start_worker()
        stack = heat.wait_status(stack_name, stack_id, "UPDATE_COMPLETE", deadline=90)
        assert stack["outputs"][0]["output_value"] == "b1"

        # An update that fails rolls back; killed during the rollback, it still rolls back.
        put = heat.http.put(
            heat.endpoint + base, json={"template": _template("c", broken=True)}, timeout=30
        )
        assert put.status_code == 202
        wait_until(
            lambda: heat.stack(stack_name, stack_id)["stack_status"] == "ROLLBACK_IN_PROGRESS",
            60,
            "the rollback to start",
        )
        # Compensation runs one action at a time: wait for an update back to be in flight.
        wait_until(lambda: in_progress("UPDATE_IN_PROGRESS", 1), 30, "an update back in flight")
        service.kill_worker()
        service.start_worker()
        stack = heat.wait_status(stack_name, stack_id, "ROLLBACK_COMPLETE", deadline=120)
        assert stack["outputs"][0]["output_value"] == "b1"
        events = heat.get(base + "/events?sort_dir=asc").json()["events"]
        rollback = [
            e
            for e in events[[e["resource_status"] for e in events].index("ROLLBACK_IN_PROGRESS") :]
            if e["resource_name"] != stack_name
        ]
        # Each resource is updated back exactly once, despite the kill.
        done = Counter(
            e["resource_name"] for e in rollback if e["resource_status"] == "UPDATE_COMPLETE"
        )
        assert all(count == 1 for count in done.values()), done
    finally:
        service.stop()


NESTED_WAIT = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "inner": {
            "type": "OS::Heat::Stack",
            "properties": {
                "template": {
                    "str_replace": {
                        "template": (
                            "heat_template_version: 2018-08-31\n"
                            "resources:\n"
                            "  handle: {type: OS::Heat::WaitConditionHandle}\n"
                            "  wait:\n"
                            "    type: OS::Heat::WaitCondition\n"
                            "    properties: {handle: {get_resource: handle}, timeout: 21600}\n"
                            "outputs:\n"
                            "  curl: {value: {get_attr: [handle, curl_cli]}}\n"
                            "  data: {value: {get_attr: [wait, data]}}\n"
                        ),
                        "params": {},
                    }
                }
            },
        }
    },
    "outputs": {"inner": {"value": {"get_attr": ["inner", "outputs"]}}},
}


def test_a_six_hour_wait_in_a_nested_stack_survives_a_worker_kill(
    temporal_target: str, tmp_path: Path
) -> None:
    """The wait is a durable timer: the worker dies and comes back, and the signal sent with
    the handle's own curl_cli still completes the nested stack and then its parent."""
    service = make_service(temporal_target, tmp_path / "wait")
    try:
        heat = HeatClient(service.endpoint("durable"))
        stack_name = f"wait{uuid.uuid4().hex[:6]}"
        stack_id = heat.create(stack_name, NESTED_WAIT)["id"]

        def nested_handle() -> tuple[str, str, str] | None:
            listed = heat.get("/stacks?show_nested=true").json()["stacks"]
            for stack in listed:
                if stack.get("parent") == stack_id:
                    path = f"/stacks/{stack['stack_name']}/{stack['id']}/resources/handle"
                    handle = heat.get(path).json().get("resource") or {}
                    if handle.get("resource_status") == "CREATE_COMPLETE":
                        return stack["stack_name"], stack["id"], handle["attributes"]["curl_cli"]
            return None

        _, _, curl_cli = wait_until(nested_handle, 60, "the nested handle to be made")
        service.kill_worker()
        service.start_worker()
        assert heat.stack(stack_name, stack_id)["stack_status"] == "CREATE_IN_PROGRESS"
        command = [*shlex.split(curl_cli), "--silent", "--fail"]
        command += ["--data-binary", json.dumps({"data": "booted"})]
        subprocess.run(command, check=True, capture_output=True, timeout=30)
        shown = heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE", deadline=90)
        inner = {o["output_key"]: o["output_value"] for o in shown["outputs"]}["inner"]
        assert json.loads(inner["data"]) == {"1": "booted"}
    finally:
        service.stop()
