"""OS::Neutron::Subnet updates as upstream's: the update_allowed properties change the same
subnet (pools and routes in place, an empty gateway_ip removes the gateway), a new cidr
replaces it."""

from __future__ import annotations

import uuid
from typing import Any

from tests.cloud.conftest import leftovers, sdk_connection
from tests.conftest import HeatClient, Service


def _template(subnet: dict[str, Any]) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "net": {"type": "OS::Neutron::Net"},
            "subnet": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net"}, **subnet},
            },
        },
    }


def _update(heat: HeatClient, name: str, stack_id: str, subnet: dict[str, Any]) -> str:
    """Update the stack; the subnet's physical id after it."""
    path = f"/stacks/{name}/{stack_id}"
    response = heat.http.put(heat.endpoint + path, json={"template": _template(subnet)}, timeout=60)
    assert response.status_code == 202, response.text
    shown = heat.wait_status(name, stack_id, "UPDATE_COMPLETE", deadline=180)
    assert shown["stack_status"] == "UPDATE_COMPLETE", shown.get("stack_status_reason")
    resource = heat.get(path + "/resources/subnet").json()["resource"]
    return str(resource["physical_resource_id"])


def test_subnet_updates_in_place_and_is_replaced_when_its_cidr_changes(
    cloud_service: Service,
) -> None:
    tag = uuid.uuid4().hex[:6]
    heat = HeatClient(cloud_service.endpoint(f"subn{tag}"))
    name = f"subn{tag}"
    first = {
        "cidr": "10.91.0.0/24",
        "name": f"{name}-first",
        "gateway_ip": "10.91.0.1",
        "allocation_pools": [{"start": "10.91.0.10", "end": "10.91.0.50"}],
        "dns_nameservers": ["192.0.2.53"],
    }
    stack = heat.create(name, _template(first))
    path = f"/stacks/{name}/{stack['id']}"
    conn = sdk_connection()
    try:
        heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        subnet_id = heat.get(path + "/resources/subnet").json()["resource"]["physical_resource_id"]

        changed = {
            "cidr": "10.91.0.0/24",
            "name": f"{name}-second",
            "gateway_ip": "",  # no gateway
            "allocation_pools": [
                {"start": "10.91.0.100", "end": "10.91.0.120"},
                {"start": "10.91.0.200", "end": "10.91.0.210"},
            ],
            "host_routes": [{"destination": "198.51.100.0/24", "nexthop": "10.91.0.5"}],
            "dns_nameservers": ["192.0.2.54", "192.0.2.55"],
            "enable_dhcp": False,
        }
        assert _update(heat, name, stack["id"], changed) == subnet_id
        live = conn.network.get_subnet(subnet_id)
        assert live.name == f"{name}-second"
        assert live.gateway_ip is None
        assert sorted((p["start"], p["end"]) for p in live.allocation_pools) == [
            ("10.91.0.100", "10.91.0.120"),
            ("10.91.0.200", "10.91.0.210"),
        ]
        assert [(r["destination"], r["nexthop"]) for r in live.host_routes] == [
            ("198.51.100.0/24", "10.91.0.5")
        ]
        assert live.dns_nameservers == ["192.0.2.54", "192.0.2.55"]
        assert live.is_dhcp_enabled is False
        events = heat.get(path + "/events?resource_name=subnet").json()["events"]
        assert "UPDATE_COMPLETE" in [e["resource_status"] for e in events]

        # The name and the routes taken out: the create's name comes back, routes go.
        without = {k: v for k, v in changed.items() if k not in ("name", "host_routes")}
        assert _update(heat, name, stack["id"], without) == subnet_id
        live = conn.network.get_subnet(subnet_id)
        assert live.name.startswith(f"{name}-subnet-")
        assert live.host_routes == []

        # A new cidr cannot be applied in place: a new subnet, and the old one is gone.
        moved = {k: v for k, v in without.items() if k != "allocation_pools"}
        moved["cidr"] = "10.92.0.0/24"
        replacement = _update(heat, name, stack["id"], moved)
        assert replacement != subnet_id
        assert conn.network.get_subnet(replacement).cidr == "10.92.0.0/24"
        assert conn.network.find_subnet(subnet_id) is None
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}
