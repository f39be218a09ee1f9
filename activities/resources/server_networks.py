"""What an update of a server's `networks` detaches and attaches: upstream's
calculate_networks, pure (the cloud lookups come in as functions), so it is unit-tested."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The keys of one `networks` entry (the property's schema), compared with '' read as unset.
NETWORK_KEYS = (
    "uuid",
    "network",
    "allocate_network",
    "fixed_ip",
    "port",
    "port_extra_properties",
    "subnet",
    "floating_ip",
    "tag",
)


@dataclass(frozen=True)
class Interface:
    """One interface the server has now (Nova's os-interface), by its first fixed IP."""

    port_id: str
    net_id: str
    ip: str | None = None


@dataclass
class NetworkChanges:
    """The interfaces to detach (with what goes with them) and the entries to attach."""

    detach_ports: list[str] = field(default_factory=list)
    # Ports the server's create or update made for `subnet` entries: deleted once detached.
    delete_ports: list[str] = field(default_factory=list)
    disassociate_floating_ips: list[str] = field(default_factory=list)
    attach: list[dict[str, Any]] = field(default_factory=list)
    # The entries that stayed, with the port matched to each (`port`), for the record.
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    # New entries an interface already stands for (an earlier attempt of the same update
    # attached it), with that interface's port: not attached again.
    attached_before: list[dict[str, Any]] = field(default_factory=list)


def normalised(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with every key present, unset ones (None or '') as None, so that entries
    that differ only in how they leave a key out compare equal (as upstream's)."""
    return {key: entry.get(key) or None for key in NETWORK_KEYS}


def calculate_networks(
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    interfaces: Sequence[Interface],
    network_id: Callable[[Mapping[str, Any]], str | None],
    port_id: Callable[[str], str],
    internal_ports: Sequence[str] = (),
) -> NetworkChanges:
    """Upstream's calculate_networks for explicit lists (`old` and `new`):

    1. entries in both lists are unchanged and are not touched;
    2. the server's interfaces are matched to the old entries (unchanged ones first): by
       port, or by network and fixed IP, or else to an entry naming only its network;
    3. the interface matched to each old entry that went is detached (a port made for a
       `subnet` entry is deleted too, a `floating_ip` is disassociated);
    4. each new entry is attached, in order, unless an interface no old entry accounts for
       matches it (an earlier attempt of this update attached it).

    `network_id` resolves an entry's network (by name, id or subnet), `port_id` a port's
    name or id; `internal_ports` are the ports the server made itself."""
    remaining_old = [normalised(entry) for entry in old]
    remaining_new = [normalised(entry) for entry in new]
    unchanged: list[dict[str, Any]] = []
    for entry in list(remaining_old):
        if entry in remaining_new:
            remaining_old.remove(entry)
            remaining_new.remove(entry)
            unchanged.append(entry)

    candidates = unchanged + remaining_old
    matched = _match_interfaces(candidates, interfaces, network_id, port_id)
    taken = set(matched.values())
    extra = [interface for interface in interfaces if interface.port_id not in taken]
    there = _match_interfaces(remaining_new, extra, network_id, port_id)
    changes = NetworkChanges(attach=[e for e in remaining_new if id(e) not in there])
    changes.attached_before = [
        {**entry, "port": there[id(entry)]} for entry in remaining_new if id(entry) in there
    ]
    changes.unchanged = [{**entry, "port": matched.get(id(entry))} for entry in unchanged]
    for entry in remaining_old:
        port = matched.get(id(entry))
        if port is not None:
            changes.detach_ports.append(port)
            if port in internal_ports:
                changes.delete_ports.append(port)
        if entry["floating_ip"]:
            changes.disassociate_floating_ips.append(entry["floating_ip"])
    return changes


def _match_interfaces(
    entries: list[dict[str, Any]],
    interfaces: Sequence[Interface],
    network_id: Callable[[Mapping[str, Any]], str | None],
    port_id: Callable[[str], str],
) -> dict[int, str]:
    """Which interface's port each entry stands for (keyed by the entry's id()): upstream's
    update_networks_matching_iface_port, where an entry takes one interface only."""
    ports = {id(e): port_id(e["port"]) if e["port"] else None for e in entries}
    nets = {id(e): network_id(e) for e in entries}
    found: dict[int, str] = {}

    def free(entry: dict[str, Any]) -> bool:
        return id(entry) not in found

    for interface in interfaces:
        equal = next(
            (
                e
                for e in entries
                if free(e)
                and (
                    ports[id(e)] == interface.port_id
                    or (
                        e["fixed_ip"] is not None
                        and e["fixed_ip"] == interface.ip
                        and nets[id(e)] == interface.net_id
                    )
                )
            ),
            None,
        )
        if equal is None:
            # An entry naming only its network takes any interface on that network.
            equal = next(
                (
                    e
                    for e in entries
                    if free(e)
                    and not e["port"]
                    and not e["fixed_ip"]
                    and nets[id(e)] == interface.net_id
                ),
                None,
            )
        if equal is not None:
            found[id(equal)] = interface.port_id
    return found
