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
        # Keyed by the network's name and again by its id, as upstream's.
        assert set(shown["attributes"]["networks"]) == {net_b_name, resources["net_b"]}
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


def _subnet_template(stack: str, networks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "net_a": {"type": "OS::Neutron::Net"},
            "subnet_a1": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net_a"}, "cidr": "10.86.0.0/24"},
            },
            "subnet_a2": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net_a"}, "cidr": "10.86.1.0/24"},
            },
            "net_b": {"type": "OS::Neutron::Net", "properties": {"name": f"{stack}-netb"}},
            "subnet_b": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net_b"}, "cidr": "10.87.0.0/24"},
            },
            "user_port": {
                "type": "OS::Neutron::Port",
                "depends_on": ["subnet_b"],
                "properties": {"network": {"get_resource": "net_b"}},
            },
            "server": {
                "type": "OS::Nova::Server",
                "depends_on": ["subnet_a1", "subnet_a2", "subnet_b"],
                "properties": {"image": "fake-img", "flavor": "m1.fake", "networks": networks},
            },
        },
    }


def test_subnet_entries_boot_on_a_port_of_their_own_and_networks_update_in_place(
    cloud_service: Service,
) -> None:
    """Upstream's `networks: [{subnet: X}]`: a port made on that subnet (not just any subnet
    of its network), deleted with its entry; `network` by name with `fixed_ip`, `port`;
    unchanged entries are not touched; `addresses` entries carry their port and both
    `addresses` and `networks` are keyed by network name and id."""
    tag = uuid.uuid4().hex[:6]
    heat = HeatClient(cloud_service.endpoint(f"snet{tag}"))
    name = f"snet{tag}"
    subnet_a2 = {"subnet": {"get_resource": "subnet_a2"}}
    stack = heat.create(name, _subnet_template(name, [subnet_a2]))
    path = f"/stacks/{name}/{stack['id']}"
    conn = sdk_connection()

    def update(networks: list[dict[str, Any]]) -> dict[str, Any]:
        response = heat.http.put(
            heat.endpoint + path,
            json={"template": _subnet_template(name, networks)},
            timeout=60,
        )
        assert response.status_code == 202, response.text
        shown = heat.wait_status(name, stack["id"], "UPDATE_COMPLETE", deadline=180)
        assert shown["stack_status"] == "UPDATE_COMPLETE", shown.get("stack_status_reason")
        return dict(heat.get(path + "/resources/server").json()["resource"])

    try:
        created = heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        assert created["stack_status"] == "CREATE_COMPLETE", created.get("stack_status_reason")
        ids = {
            r["resource_name"]: r["physical_resource_id"]
            for r in heat.get(path + "/resources").json()["resources"]
        }
        server = ids["server"]
        (internal,) = list(conn.network.ports(device_id=server))
        assert internal.name == f"{name}-server-port-0"
        assert [ip["subnet_id"] for ip in internal.fixed_ips] == [ids["subnet_a2"]]
        address = internal.fixed_ips[0]["ip_address"]
        assert address.startswith("10.86.1.")

        shown = heat.get(path + "/resources/server").json()["resource"]["attributes"]
        net_a_name = conn.network.get_network(ids["net_a"]).name
        (entry,) = shown["addresses"][net_a_name]
        assert entry["addr"] == address
        assert entry["port"] == internal.id
        assert entry["version"] == 4
        assert entry["OS-EXT-IPS-MAC:mac_addr"] == internal.mac_address
        assert entry["OS-EXT-IPS:type"] == "fixed"
        assert shown["addresses"][ids["net_a"]] == shown["addresses"][net_a_name]
        assert shown["networks"] == {net_a_name: [address], ids["net_a"]: [address]}

        # Two entries more: the user's port, and net_b by name with a fixed IP.
        by_name = {"network": f"{name}-netb", "fixed_ip": "10.87.0.20"}
        user_port = {"port": {"get_resource": "user_port"}}
        resource = update([subnet_a2, user_port, by_name])
        assert resource["physical_resource_id"] == server
        ports = {p.id: p for p in conn.network.ports(device_id=server)}
        assert internal.id in ports  # untouched
        assert ids["user_port"] in ports
        assert "10.87.0.20" in {ip["ip_address"] for p in ports.values() for ip in p.fixed_ips}
        networks = resource["attributes"]["networks"]
        assert "10.87.0.20" in networks[f"{name}-netb"]
        assert networks[ids["net_b"]] == networks[f"{name}-netb"]

        # The subnet entry goes: its port is detached and deleted; the user's port stays.
        resource = update([user_port, by_name])
        assert resource["physical_resource_id"] == server
        attached = {i.port_id for i in conn.compute.server_interfaces(server)}
        assert internal.id not in attached
        assert ids["user_port"] in attached
        assert conn.network.find_port(internal.id) is None
        assert conn.network.get_port(ids["user_port"]).id == ids["user_port"]
        events = heat.get(path + "/events?resource_name=server").json()["events"]
        assert not [e for e in events if e["resource_status"].startswith("DELETE")]
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}
