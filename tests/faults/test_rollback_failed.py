"""A rollback that fails leaves ROLLBACK_FAILED with its reason; a later delete still works."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.conftest import HeatClient, make_service

# Deletes of TestResources fail for good while the faults are on: the rollback's undo fails.
FAULTY_DELETES = {
    "HEAT_TEMPORAL_FAULT_RATE": "1.0",
    "HEAT_TEMPORAL_FAULT_KIND": "permanent",
    "HEAT_TEMPORAL_FAULT_TYPES": json.dumps(["OS::Heat::TestResource"]),
    "HEAT_TEMPORAL_FAULT_STEPS": json.dumps(["delete"]),
}

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "made": {"type": "OS::Heat::TestResource", "properties": {"value": "kept"}},
        "broken": {
            "type": "OS::Heat::TestResource",
            "depends_on": "made",
            "properties": {"value": "x", "fail": True},
        },
    },
}


def test_a_failed_rollback_is_reported_and_a_later_delete_cleans_up(
    temporal_target: str, tmp_path: Path
) -> None:
    service = make_service(temporal_target, tmp_path / "rollback", extra_env=FAULTY_DELETES)
    try:
        heat = HeatClient(service.endpoint("rollback"))
        stack = f"rb{uuid.uuid4().hex[:8]}"
        stack_id = heat.create(stack, TEMPLATE, disable_rollback=False)["id"]
        shown = heat.wait_status(stack, stack_id, "ROLLBACK_FAILED", deadline=120)
        reason = shown["stack_status_reason"]
        assert reason.startswith("Resource DELETE failed: "), reason
        assert "made" in reason or "InjectedFault" in reason
        resources = heat.get(f"/stacks/{stack}/{stack_id}/resources").json()["resources"]
        states = {r["resource_name"]: r["resource_status"] for r in resources}
        assert states["made"] == "DELETE_FAILED"

        # The faults end (a new worker without them); the stack can still be deleted.
        service.kill_worker()
        for name in FAULTY_DELETES:
            service.env.pop(name, None)
        service.start_worker()
        assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
        heat.wait_status(stack, stack_id, "DELETE_COMPLETE", deadline=120)
    finally:
        service.stop()
