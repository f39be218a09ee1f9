"""Upstream's implicit dependencies among Neutron resources (their add_dependencies): what
must exist before a port, a router, a gateway or a floating IP though the template does not
say so, found by comparing the properties as they resolve before anything is made."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from templates.errors import TemplateError
from templates.function import UNKNOWN, resolve
from templates.stack_definition import StackDefinition

NET, SUBNET, PORT = "OS::Neutron::Net", "OS::Neutron::Subnet", "OS::Neutron::Port"
ROUTER, INTERFACE = "OS::Neutron::Router", "OS::Neutron::RouterInterface"
GATEWAY, FLOATING_IP = "OS::Neutron::RouterGateway", "OS::Neutron::FloatingIP"
ASSOCIATION = "OS::Neutron::FloatingIPAssociation"


class _NamesAsIds:
    """Before a resource is made, upstream's get_resource gives its name; attributes are
    unknown (and so match nothing)."""

    def physical_id(self, name: str) -> str | None:
        return name

    def attribute(self, name: str, attr: str) -> Any:
        return UNKNOWN

    def attributes(self, name: str) -> dict[str, Any]:
        return {}


def _property(definition: StackDefinition, name: str, *keys: str) -> Any:
    """The first of `keys` the resource sets, resolved; None when unknown or invalid (errors
    are validation's to report)."""
    props = definition.resources[name].properties
    if not isinstance(props, Mapping):
        return None
    ctx = definition.context(_NamesAsIds())
    for key in keys:
        if props.get(key) is None:
            continue
        try:
            value = resolve(props[key], ctx)
        except (TemplateError, ValueError, TypeError, KeyError):  # validation reports these
            return None
        return None if value is UNKNOWN else value
    return None


def implicit_requirements(
    definition: StackDefinition, explicit: Mapping[str, Set[str]]
) -> dict[str, set[str]]:
    """What each resource requires implicitly, as upstream's add_dependencies would add."""
    by_type: dict[str, list[str]] = {}
    for name in definition.resources:
        try:
            by_type.setdefault(definition.resource_type(name), []).append(name)
        except TemplateError:  # an unknown type: validation reports it
            continue
    if not by_type.keys() & {PORT, ROUTER, GATEWAY, FLOATING_IP, ASSOCIATION}:
        return {}

    def prop(name: str, *keys: str) -> Any:
        return _property(definition, name, *keys)

    def same(a: Any, b: Any) -> bool:
        return a is not None and a == b

    subnets = {s: prop(s, "network", "network_id") for s in by_type.get(SUBNET, [])}
    interfaces = by_type.get(INTERFACE, [])
    out: dict[str, set[str]] = {}

    def add(name: str, required: str) -> None:
        out.setdefault(name, set()).add(required)

    # A port waits for every subnet of its network: which one it lands on is unknown.
    for port in by_type.get(PORT, []):
        network = prop(port, "network", "network_id")
        for subnet, subnet_network in subnets.items():
            if same(subnet_network, network):
                add(port, subnet)
    # A router with a gateway waits for the subnets of the gateway's network.
    for router in by_type.get(ROUTER, []):
        gateway = prop(router, "external_gateway_info")
        if isinstance(gateway, Mapping):
            for subnet, subnet_network in subnets.items():
                if same(subnet_network, gateway.get("network")):
                    add(router, subnet)
    # A gateway waits for its router's interfaces and the subnets of its network.
    for gateway in by_type.get(GATEWAY, []):
        router, network = prop(gateway, "router", "router_id"), prop(gateway, "network")
        for interface in interfaces:
            if same(prop(interface, "router", "router_id"), router):
                add(gateway, interface)
        for subnet, subnet_network in subnets.items():
            if same(subnet_network, network):
                add(gateway, subnet)

    def port_on_subnet(port: str, subnet: Any) -> bool:
        fixed_ips = prop(port, "fixed_ips")
        if isinstance(fixed_ips, list) and fixed_ips:
            return any(
                isinstance(ip, Mapping) and same(ip.get("subnet") or ip.get("subnet_id"), subnet)
                for ip in fixed_ips
            )
        if subnet is None:
            return True
        # Upstream asks Neutron for the network's subnets; within the template, the
        # subnet's network property says the same.
        network = prop(port, "network", "network_id")
        return isinstance(subnet, str) and same(subnets.get(subnet), network)

    def after_interfaces_of_its_ports(name: str) -> None:
        ports = [r for r in explicit.get(name, ()) if r in by_type.get(PORT, [])]
        for interface in interfaces:
            subnet = prop(interface, "subnet", "subnet_id")
            if any(port_on_subnet(port, subnet) for port in ports):
                add(name, interface)

    # A floating IP waits for the gateway (or the router with one) to its network, and for
    # the router interface on its port's subnet: Neutron refuses it before the route exists.
    for floating_ip in by_type.get(FLOATING_IP, []):
        network = prop(floating_ip, "floating_network", "floating_network_id")
        for gateway in by_type.get(GATEWAY, []):
            if same(prop(gateway, "network"), network):
                add(floating_ip, gateway)
        for router in by_type.get(ROUTER, []):
            info = prop(router, "external_gateway_info")
            if isinstance(info, Mapping) and same(info.get("network"), network):
                add(floating_ip, router)
        after_interfaces_of_its_ports(floating_ip)
    for association in by_type.get(ASSOCIATION, []):
        after_interfaces_of_its_ports(association)
    return out


def with_implicit(
    definition: StackDefinition, explicit: Mapping[str, Set[str]]
) -> dict[str, frozenset[str]]:
    """The explicit requirements plus the implicit ones that close no cycle (upstream would
    refuse such a template; here the template's own order is kept)."""
    requires = {name: set(deps) for name, deps in explicit.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(requires.get(node, ()))
        return False

    for name, extra in sorted(implicit_requirements(definition, explicit).items()):
        for required in sorted(extra):
            if required != name and required in requires and not reaches(required, name):
                requires.setdefault(name, set()).add(required)
    return {name: frozenset(deps) for name, deps in requires.items()}
