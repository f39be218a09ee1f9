"""A nested stack whose state is larger than Temporal's 2 MB payload limit still creates,
updates and deletes: large payloads are compressed (service/codec.py). Without that, the
workflow task carrying the state never completes and the stack stays IN_PROGRESS."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import HeatClient, wait_until

MEMBERS = 900
VALUE = "v" * 2_000  # 900 members x 2,000 characters: about 2.2 MB of nested state


def group_template(count: int) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "group": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {
                    "count": count,
                    "resource_def": {
                        "type": "OS::Heat::Value",
                        "properties": {"value": VALUE},
                    },
                },
            }
        },
        "outputs": {"first": {"value": {"get_attr": ["group", "resource.0.value"]}}},
    }


def test_a_nested_state_over_two_megabytes_creates_updates_and_deletes(heat: HeatClient) -> None:
    name = f"bigstate{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, group_template(MEMBERS))["id"]
    created = heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=300)
    first = {o["output_key"]: o["output_value"] for o in created["outputs"]}["first"]
    assert first == VALUE

    group = heat.get(f"/stacks/{name}/{stack_id}/resources/group").json()["resource"]
    nested_id = group["physical_resource_id"]
    nested = heat.get(f"/stacks/{nested_id}/resources").json()["resources"]
    assert len(nested) == MEMBERS

    shrink = heat.http.put(
        f"{heat.endpoint}/stacks/{name}/{stack_id}",
        json={"template": group_template(MEMBERS // 2)},
        timeout=60,
    )
    assert shrink.status_code == 202, shrink.text
    heat.wait_status(name, stack_id, "UPDATE_COMPLETE", deadline=300)
    nested = heat.get(f"/stacks/{nested_id}/resources").json()["resources"]
    assert len(nested) == MEMBERS // 2

    assert heat.delete(f"/stacks/{name}/{stack_id}").status_code == 204

    def gone() -> bool:
        response = heat.get(f"/stacks/{name}/{stack_id}")
        return response.status_code == 404 or (
            response.json()["stack"]["stack_status"] == "DELETE_COMPLETE"
        )

    wait_until(gone, 300, f"{name} to be deleted")
