"""Upstream's implicit dependencies among Neutron resources, as the engine's graph has them."""

from __future__ import annotations

from typing import Any

from workflows.rendering import StackModel
from workflows.types import StackState


def _implicit(resources: dict[str, Any]) -> dict[str, set[str]]:
    """What the graph requires beyond what the template says."""
    template = {
        "heat_template_version": "2018-08-31",
        "parameters": {"public": {"type": "string", "default": "ext"}},
        "resources": resources,
    }
    state = StackState(
        stack_id="s", stack_name="s", project_id="p", template=template, implicit_dependencies=True
    )
    with_implicit = StackModel(state).dependencies()
    explicit = StackModel(state.model_copy(update={"implicit_dependencies": False})).dependencies()
    return {
        n: set(with_implicit[n] - explicit[n])
        for n in with_implicit
        if with_implicit[n] - explicit[n]
    }


NET = {"type": "OS::Neutron::Net"}
SUBNET = {
    "type": "OS::Neutron::Subnet",
    "properties": {"network": {"get_resource": "net"}, "cidr": "10.0.0.0/24"},
}
ROUTER = {
    "type": "OS::Neutron::Router",
    "properties": {"external_gateway_info": {"network": {"get_param": "public"}}},
}
INTERFACE = {
    "type": "OS::Neutron::RouterInterface",
    "properties": {"router": {"get_resource": "router"}, "subnet": {"get_resource": "subnet"}},
}


def test_a_port_waits_for_the_subnets_of_its_network() -> None:
    port = {"type": "OS::Neutron::Port", "properties": {"network": {"get_resource": "net"}}}
    assert _implicit({"net": NET, "subnet": SUBNET, "port": port}) == {"port": {"subnet"}}


def test_a_floating_ip_waits_for_the_router_and_the_interface_on_its_ports_subnet() -> None:
    port = {
        "type": "OS::Neutron::Port",
        "properties": {
            "network": {"get_resource": "net"},
            "fixed_ips": [{"subnet": {"get_resource": "subnet"}}],
        },
    }
    fip = {
        "type": "OS::Neutron::FloatingIP",
        "properties": {
            "floating_network": {"get_param": "public"},
            "port_id": {"get_resource": "port"},
        },
    }
    found = _implicit(
        {"net": NET, "subnet": SUBNET, "router": ROUTER, "ri": INTERFACE, "port": port, "fip": fip}
    )
    # (the port requires the subnet explicitly, through fixed_ips)
    assert found == {"fip": {"router", "ri"}}


def test_a_gateway_waits_for_its_routers_interfaces_and_its_networks_subnets() -> None:
    router = {"type": "OS::Neutron::Router"}
    gateway = {
        "type": "OS::Neutron::RouterGateway",
        "properties": {"router": {"get_resource": "router"}, "network": {"get_resource": "net"}},
    }
    found = _implicit(
        {"net": NET, "subnet": SUBNET, "router": router, "ri": INTERFACE, "gw": gateway}
    )
    assert found == {"gw": {"ri", "subnet"}}


def test_an_implicit_dependency_that_would_close_a_cycle_is_left_out() -> None:
    # The subnet explicitly requires the port; the port's implicit need of the subnet would
    # close a cycle, so the template's own order stands.
    port = {"type": "OS::Neutron::Port", "properties": {"network": {"get_resource": "net"}}}
    subnet = {**SUBNET, "depends_on": "port"}
    assert _implicit({"net": NET, "subnet": subnet, "port": port}) == {}


def test_stacks_from_before_keep_their_graph() -> None:
    port = {"type": "OS::Neutron::Port", "properties": {"network": {"get_resource": "net"}}}
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {"net": NET, "subnet": SUBNET, "port": port},
    }
    state = StackState(stack_id="s", stack_name="s", project_id="p", template=template)
    assert StackModel(state).dependencies()["port"] == {"net"}
