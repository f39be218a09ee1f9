"""A worker killed with -9 mid-create: a new worker finishes the stack and nothing runs twice."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path

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
