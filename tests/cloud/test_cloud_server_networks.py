"""A server's networks change in place, as upstream's update does: interfaces are attached
and detached, the server stays."""

from __future__ import annotations

import uuid
from typing import Any

from tests.cloud.conftest import leftovers, sdk_connection
from tests.conftest import HeatClient, Service


def _template(networks: list[str]) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "net_a": {"type": "OS::Neutron::Net"},
            "subnet_a": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net_a"}, "cidr": "10.84.0.0/24"},
            },
            "net_b": {"type": "OS::Neutron::Net"},
            "subnet_b": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net_b"}, "cidr": "10.85.0.0/24"},
            },
            "server": {
                "type": "OS::Nova::Server",
                "depends_on": ["subnet_a", "subnet_b"],
                "properties": {
                    "image": "fake-img",
                    "flavor": "m1.fake",
                    "networks": [{"network": {"get_resource": net}} for net in networks],
                },
            },
        },
    }


def _update(heat: HeatClient, name: str, stack_id: str, networks: list[str]) -> None:
    path = f"/stacks/{name}/{stack_id}"
    response = heat.http.put(
        heat.endpoint + path, json={"template": _template(networks)}, timeout=60
    )
    assert response.status_code == 202, response.text
    heat.wait_status(name, stack_id, "UPDATE_COMPLETE", deadline=180)


def test_a_servers_networks_change_by_attaching_and_detaching_interfaces(
    cloud_service: Service,
) -> None:
    heat = HeatClient(cloud_service.endpoint(f"nets{uuid.uuid4().hex[:6]}"))
    name = f"nets{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template(["net_a"]))
    path = f"/stacks/{name}/{stack['id']}"
    conn = sdk_connection()
    try:
        heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        resources = {
            r["resource_name"]: r["physical_resource_id"]
            for r in heat.get(path + "/resources").json()["resources"]
        }
        server = resources["server"]

        def attached() -> set[str]:
            return {i.net_id for i in conn.compute.server_interfaces(server)}

        assert attached() == {resources["net_a"]}
        _update(heat, name, stack["id"], ["net_a", "net_b"])
        assert attached() == {resources["net_a"], resources["net_b"]}
        _update(heat, name, stack["id"], ["net_b"])
        assert attached() == {resources["net_b"]}
        # The same server throughout, its attributes read anew, and no port left on net_a.
        shown = heat.get(path + "/resources/server").json()["resource"]
        assert shown["physical_resource_id"] == server
        net_b_name = conn.network.get_network(resources["net_b"]).name
        assert set(shown["attributes"]["networks"]) == {net_b_name}
        assert list(conn.network.ports(network_id=resources["net_a"], device_id=server)) == []
        events = heat.get(path + "/events?resource_name=server").json()["events"]
        statuses = [e["resource_status"] for e in events]
        assert "UPDATE_COMPLETE" in statuses
        assert not [s for s in statuses if s.startswith("DELETE")], statuses
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}
