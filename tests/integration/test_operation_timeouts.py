"""`timeout_mins` on an update: a workflow timer stops it with upstream's reason and compensates."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import HeatClient


def slow_template(update_wait_secs: int, value: str) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "slow": {
                "type": "OS::Heat::TestResource",
                "properties": {
                    "value": value,
                    "action_wait_secs": {"create": 0, "update": update_wait_secs, "delete": 0},
                },
            },
        },
        "outputs": {"value": {"value": {"get_attr": ["slow", "output"]}}},
    }


def test_an_update_that_outlives_its_timeout_fails_timed_out_and_rolls_back(
    heat: HeatClient,
) -> None:
    stack = f"to{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(stack, slow_template(0, "before"), disable_rollback=False)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")

    body: dict[str, Any] = {
        "template": slow_template(3600, "after"),
        "timeout_mins": 1,
        "disable_rollback": False,
    }
    response = heat.http.put(f"{heat.endpoint}/stacks/{stack}/{stack_id}", json=body, timeout=60)
    assert response.status_code == 202, response.text

    shown = heat.wait_status(stack, stack_id, "ROLLBACK_COMPLETE", deadline=150)
    assert shown["stack_status_reason"] == "Stack ROLLBACK completed successfully"
    # The resource is back to what it was before the update.
    outputs = {o["output_key"]: o["output_value"] for o in shown["outputs"]}
    assert outputs == {"value": "before"}
    listed = heat.get(f"/stacks/{stack}/{stack_id}/events?sort_dir=asc").json()["events"]
    seen = [(e["resource_name"], e["resource_status"], e["resource_status_reason"]) for e in listed]
    assert (stack, "UPDATE_FAILED", "Timed out") in seen
    assert ("slow", "UPDATE_FAILED", "UPDATE aborted") in seen
    # The template on record is the one from before the update.
    template = heat.get(f"/stacks/{stack}/{stack_id}/template").json()
    assert template["resources"]["slow"]["properties"]["value"] == "before"
