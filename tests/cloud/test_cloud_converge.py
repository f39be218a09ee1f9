"""`openstack stack update --converge`: what was deleted behind the stack's back is made again."""

from __future__ import annotations

import uuid
from typing import Any

from tests.cloud.conftest import heat_cli, leftovers, sdk_connection
from tests.conftest import HeatClient, Service


def _template() -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "net": {"type": "OS::Neutron::Net"},
            "volume": {"type": "OS::Cinder::Volume", "properties": {"size": 1}},
            "kept": {"type": "OS::Neutron::Net"},
        },
    }


def _physical_ids(heat: HeatClient, name: str, stack_id: str) -> dict[str, str]:
    listed = heat.get(f"/stacks/{name}/{stack_id}/resources").json()["resources"]
    return {r["resource_name"]: r["physical_resource_id"] for r in listed}


def test_update_with_converge_replaces_what_the_cloud_lost_and_keeps_the_rest(
    cloud_service: Service,
) -> None:
    project = f"conv{uuid.uuid4().hex[:6]}"
    heat = HeatClient(cloud_service.endpoint(project))
    name = f"conv{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, _template())["id"]
    try:
        heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=180)
        before = _physical_ids(heat, name, stack_id)

        # Someone deletes two of the stack's resources in the cloud, not through the stack.
        conn = sdk_connection()
        conn.network.delete_network(before["net"])
        conn.block_storage.delete_volume(before["volume"])
        conn.block_storage.wait_for_delete(conn.block_storage.get_volume(before["volume"]))

        # A plain update changes nothing: the template did not change.
        heat_cli(cloud_service, project, "stack", "update", "--existing", "--wait", name)
        assert _physical_ids(heat, name, stack_id) == before

        heat_cli(
            cloud_service, project, "stack", "update", "--existing", "--converge", "--wait", name
        )
        shown = heat.stack(name, stack_id)
        assert shown["stack_status"] == "UPDATE_COMPLETE", shown["stack_status_reason"]
        after = _physical_ids(heat, name, stack_id)
        assert after["kept"] == before["kept"]
        assert after["net"] != before["net"]
        assert after["volume"] != before["volume"]
        assert conn.network.get_network(after["net"]).id == after["net"]
        assert conn.block_storage.get_volume(after["volume"]).status in ("available", "creating")

        heat_cli(cloud_service, project, "stack", "delete", "--yes", "--wait", name)
        assert leftovers(name) == {}
    finally:
        # A failed run must not leave networks in the shared demo project (servers that name
        # no network are refused when the project has several).
        heat.http.delete(f"{heat.endpoint}/stacks/{name}/{stack_id}", timeout=30)
        heat.wait_status(name, stack_id, "DELETE_COMPLETE", deadline=180)


def test_update_with_converge_sets_back_what_was_changed_outside_the_stack(
    cloud_service: Service,
) -> None:
    project = f"drift{uuid.uuid4().hex[:6]}"
    heat = HeatClient(cloud_service.endpoint(project))
    name = f"drift{uuid.uuid4().hex[:6]}"
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "named": {
                "type": "OS::Neutron::Net",
                "properties": {"name": f"{name}-net", "admin_state_up": True},
            },
            # No name in the template: the engine's physical name stands in, so a rename
            # outside is not drift (upstream's parse_live_resource_data).
            "unnamed": {"type": "OS::Neutron::Net"},
        },
    }
    stack_id = heat.create(name, template)["id"]
    try:
        heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=180)
        before = _physical_ids(heat, name, stack_id)
        conn = sdk_connection()
        conn.network.update_network(before["named"], name="renamed", is_admin_state_up=False)
        conn.network.update_network(before["unnamed"], name=f"{name}-mine")

        heat_cli(cloud_service, project, "stack", "update", "--existing", "--wait", name)
        assert conn.network.get_network(before["named"]).name == "renamed"

        heat_cli(
            cloud_service, project, "stack", "update", "--existing", "--converge", "--wait", name
        )
        shown = heat.stack(name, stack_id)
        assert shown["stack_status"] == "UPDATE_COMPLETE", shown["stack_status_reason"]
        # Set back in place: same networks, the template's name and state again.
        assert _physical_ids(heat, name, stack_id) == before
        named = conn.network.get_network(before["named"])
        assert (named.name, named.is_admin_state_up) == (f"{name}-net", True)
        assert conn.network.get_network(before["unnamed"]).name == f"{name}-mine"
        events = heat.get(f"/stacks/{name}/{stack_id}/events?resource_name=named").json()
        statuses = [e["resource_status"] for e in events["events"]]
        # Updated by the converge only: the plain update found nothing to do.
        assert statuses.count("UPDATE_COMPLETE") == 1, statuses
    finally:
        heat.http.delete(f"{heat.endpoint}/stacks/{name}/{stack_id}", timeout=30)
        heat.wait_status(name, stack_id, "DELETE_COMPLETE", deadline=180)
        assert leftovers(name) == {}
