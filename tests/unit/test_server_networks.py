"""Upstream's calculate_networks, pure: which interfaces a `networks` update of a server
detaches and which entries it attaches, leaving unchanged entries alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from activities.resources.nova import NETWORKS_IN_PLACE, Server
from activities.resources.server_networks import Interface, NetworkChanges, calculate_networks

NETS = {"net-a": "A", "net-b": "B", "A": "A", "B": "B"}
SUBNETS = {"sub-a": "A", "sub-b": "B"}
PORTS = {"my-port": "p-mine"}


def network_id(entry: Mapping[str, Any]) -> str | None:
    if entry.get("network"):
        return NETS[entry["network"]]
    if entry.get("subnet"):
        return SUBNETS[entry["subnet"]]
    return None


def port_id(name: str) -> str:
    return PORTS.get(name, name)


def calculate(
    old: list[dict[str, Any]], new: list[dict[str, Any]], *interfaces: Interface, **kw: Any
) -> NetworkChanges:
    return calculate_networks(old, new, list(interfaces), network_id, port_id, **kw)


def test_unchanged_entries_are_not_touched_and_new_ones_are_attached() -> None:
    changes = calculate(
        [{"network": "net-a"}],
        [{"network": "net-a", "fixed_ip": ""}, {"network": "net-b"}],
        Interface("p1", "A", "10.0.0.5"),
    )
    assert changes.detach_ports == []
    assert [(e["network"], e["port"]) for e in changes.unchanged] == [("net-a", "p1")]
    assert [e["network"] for e in changes.attach] == ["net-b"]


def test_a_removed_network_detaches_its_interface_only() -> None:
    changes = calculate(
        [{"network": "net-a"}, {"network": "net-b"}],
        [{"network": "net-b"}],
        Interface("p1", "A", "10.0.0.5"),
        Interface("p2", "B", "10.1.0.5"),
    )
    assert changes.detach_ports == ["p1"]
    assert changes.attach == []


def test_interfaces_match_by_port_then_by_fixed_ip_then_by_network() -> None:
    old = [
        {"network": "net-a"},
        {"network": "net-a", "fixed_ip": "10.0.0.9"},
        {"port": "my-port"},
    ]
    changes = calculate(
        old,
        [],
        # Listed before the one with the fixed IP: the entry naming only the network must
        # not take the interface the fixed-IP entry stands for.
        Interface("p-fixed", "A", "10.0.0.9"),
        Interface("p-any", "A", "10.0.0.3"),
        Interface("p-mine", "A", "10.0.0.4"),
    )
    assert sorted(changes.detach_ports) == ["p-any", "p-fixed", "p-mine"]


def test_two_entries_on_one_network_take_one_interface_each() -> None:
    changes = calculate(
        [{"network": "net-a"}, {"network": "net-a"}],
        [{"network": "net-a"}],
        Interface("p1", "A", "10.0.0.5"),
        Interface("p2", "A", "10.0.0.6"),
    )
    assert changes.detach_ports == ["p1"] or changes.detach_ports == ["p2"]
    assert len(changes.unchanged) == 1


def test_a_removed_subnet_entry_deletes_the_port_the_server_made_for_it() -> None:
    changes = calculate(
        [{"subnet": "sub-a", "floating_ip": "fip-1"}, {"network": "net-b"}],
        [{"network": "net-b"}],
        Interface("internal-1", "A", "10.0.0.5"),
        Interface("p2", "B", "10.1.0.5"),
        internal_ports=["internal-1"],
    )
    assert changes.detach_ports == ["internal-1"]
    assert changes.delete_ports == ["internal-1"]
    assert changes.disassociate_floating_ips == ["fip-1"]


def test_a_users_port_is_detached_not_deleted() -> None:
    changes = calculate(
        [{"port": "my-port"}],
        [{"network": "net-b"}],
        Interface("p-mine", "A", "10.0.0.4"),
        internal_ports=["other"],
    )
    assert changes.detach_ports == ["p-mine"]
    assert changes.delete_ports == []
    assert [e["network"] for e in changes.attach] == ["net-b"]


def test_an_interface_a_retried_update_already_attached_is_not_attached_again() -> None:
    changes = calculate(
        [{"network": "net-a"}],
        [{"network": "net-a"}, {"subnet": "sub-b"}],
        Interface("p1", "A", "10.0.0.5"),
        Interface("p-new", "B", "10.1.0.7"),
    )
    assert changes.attach == []
    assert [(e["subnet"], e["port"]) for e in changes.attached_before] == [("sub-b", "p-new")]


def test_floating_ip_entries_update_in_place_only_on_servers_made_since() -> None:
    old = [{"network": "net-a"}]
    new = [{"port": "my-port", "floating_ip": "fip"}]
    assert Server.replacement_required({"networks": old}, {"networks": new}, {"x": 1})
    assert Server.replacement_required(
        {"networks": old}, {"networks": new}, {NETWORKS_IN_PLACE: True}
    )
    assert not Server.replacement_required(
        {"networks": old}, {"networks": new}, {NETWORKS_IN_PLACE: 2}
    )
    # Nova's automatic allocation is never changed in place.
    auto = [{"allocate_network": "auto"}]
    assert Server.replacement_required(
        {"networks": old}, {"networks": auto}, {NETWORKS_IN_PLACE: 2}
    )


def test_addresses_carry_their_port_and_both_attributes_are_keyed_by_name_and_id() -> None:
    address = {
        "addr": "10.0.0.5",
        "version": 4,
        "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01",
        "OS-EXT-IPS:type": "fixed",
    }
    found = {
        "id": "server-1",
        "name": "vm",
        "addresses": {"private": [address]},
        "heat:interfaces": [
            {
                "port_id": "port-1",
                "net_id": "net-id-1",
                "mac_addr": "fa:16:3e:00:00:01",
                "fixed_ips": [{"ip_address": "10.0.0.5", "subnet_id": "s"}],
            }
        ],
    }
    attributes = Server().attributes_of(found)
    assert attributes["addresses"]["private"] == [{**address, "port": "port-1"}]
    assert attributes["addresses"]["net-id-1"] == attributes["addresses"]["private"]
    assert attributes["networks"] == {"private": ["10.0.0.5"], "net-id-1": ["10.0.0.5"]}
    assert "heat:interfaces" not in attributes["show"]
    assert attributes["first_address"] == "10.0.0.5"
