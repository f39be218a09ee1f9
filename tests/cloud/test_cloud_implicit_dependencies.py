"""Upstream's implicit dependencies in the minicloud: a floating IP on a port waits for the
router interface on the port's subnet (Neutron refuses it before the route exists)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.cloud.conftest import ExternalNetwork, leftovers
from tests.conftest import HeatClient, Service


def _template(external_network: str) -> dict[str, Any]:
    # Nothing says the floating IP needs the router interface: only the implicit
    # dependency orders them.
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "net": {"type": "OS::Neutron::Net"},
            "subnet": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net"}, "cidr": "10.83.0.0/24"},
            },
            "router": {
                "type": "OS::Neutron::Router",
                "properties": {"external_gateway_info": {"network": external_network}},
            },
            "interface": {
                "type": "OS::Neutron::RouterInterface",
                "properties": {
                    "router": {"get_resource": "router"},
                    "subnet": {"get_resource": "subnet"},
                },
            },
            "port": {
                "type": "OS::Neutron::Port",
                "properties": {
                    "network": {"get_resource": "net"},
                    "fixed_ips": [{"subnet": {"get_resource": "subnet"}}],
                },
            },
            "fip": {
                "type": "OS::Neutron::FloatingIP",
                "properties": {
                    "floating_network": external_network,
                    "port_id": {"get_resource": "port"},
                },
            },
        },
    }


def test_a_floating_ip_waits_for_the_router_interface_of_its_ports_subnet(
    cloud_service: Service, external_network: ExternalNetwork
) -> None:
    heat = HeatClient(cloud_service.endpoint(f"imp{uuid.uuid4().hex[:6]}"))
    name = f"imp{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template(external_network.name))
    try:
        heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=120)
        path = f"/stacks/{name}/{stack['id']}"
        events = heat.get(path + "/events?sort_dir=asc").json()["events"]
        order = [(e["resource_name"], e["resource_status"]) for e in events]
        assert order.index(("interface", "CREATE_COMPLETE")) < order.index(
            ("fip", "CREATE_IN_PROGRESS")
        )
        assert order.index(("router", "CREATE_COMPLETE")) < order.index(
            ("fip", "CREATE_IN_PROGRESS")
        )
        fip = heat.get(path + "/resources/fip").json()["resource"]
        assert fip["required_by"] == []
        interface = heat.get(path + "/resources/interface").json()["resource"]
        assert "fip" in interface["required_by"]
    finally:
        response = heat.delete(f"/stacks/{name}/{stack['id']}")
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=120)
    assert leftovers(name, external_network.id) == {}
