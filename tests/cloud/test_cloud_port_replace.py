"""A port replaced in an update keeps its fixed IP, as upstream's prepare_for_replace does
(the old port gives its IPs up first), so the server on it keeps its address; a rollback
gives the old port its IPs back (restore_prev_rsrc)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.cloud.conftest import leftovers, sdk_connection
from tests.conftest import HeatClient, Service


def _template(
    cidr_prefix: str,
    mac: str,
    server: bool = False,
    failing: bool = False,
    ip_address: str | None = None,
) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": f"{cidr_prefix}.0/24"},
        },
        "port": {
            "type": "OS::Neutron::Port",
            "properties": {
                "network": {"get_resource": "net"},
                # mac_address is not update_allowed: changing it replaces the port.
                "mac_address": mac,
                "fixed_ips": [
                    {
                        "subnet": {"get_resource": "subnet"},
                        "ip_address": ip_address or f"{cidr_prefix}.50",
                    }
                ],
            },
        },
    }
    if server:
        resources["server"] = {
            "type": "OS::Nova::Server",
            "properties": {
                "image": "fake-img",
                "flavor": "m1.fake",
                "networks": [{"port": {"get_resource": "port"}}],
            },
        }
    if failing:
        resources["after"] = {
            "type": "OS::Heat::TestResource",
            "depends_on": ["port"],
            "properties": {"fail": True},
        }
    return {"heat_template_version": "2018-08-31", "resources": resources}


def _ids(heat: HeatClient, path: str) -> dict[str, str]:
    listed = heat.get(path + "/resources").json()["resources"]
    return {r["resource_name"]: r["physical_resource_id"] for r in listed}


def _ips(port: Any) -> list[str]:
    return [ip["ip_address"] for ip in port.fixed_ips]


def test_a_replaced_port_keeps_its_fixed_ip_and_the_server_on_it_keeps_its_address(
    cloud_service: Service,
) -> None:
    tag = uuid.uuid4().hex[:6]
    heat = HeatClient(cloud_service.endpoint(f"prep{tag}"))
    name = f"prep{tag}"
    stack = heat.create(name, _template("10.93.0", "fa:16:3e:93:00:01", server=True))
    path = f"/stacks/{name}/{stack['id']}"
    conn = sdk_connection()
    try:
        created = heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        assert created["stack_status"] == "CREATE_COMPLETE", created.get("stack_status_reason")
        before = _ids(heat, path)

        template = _template("10.93.0", "fa:16:3e:93:00:02", server=True)
        response = heat.http.put(heat.endpoint + path, json={"template": template}, timeout=60)
        assert response.status_code == 202, response.text
        done = heat.wait_status(name, stack["id"], "UPDATE_COMPLETE", deadline=240)
        assert done["stack_status"] == "UPDATE_COMPLETE", done.get("stack_status_reason")

        after = _ids(heat, path)
        assert after["port"] != before["port"]
        new_port = conn.network.get_port(after["port"])
        assert _ips(new_port) == ["10.93.0.50"]
        assert new_port.mac_address == "fa:16:3e:93:00:02"
        assert conn.network.find_port(before["port"]) is None
        # The same server, now on the new port with the same address.
        assert after["server"] == before["server"]
        interfaces = list(conn.compute.server_interfaces(after["server"]))
        assert [i.port_id for i in interfaces] == [after["port"]]
        assert [ip["ip_address"] for ip in interfaces[0].fixed_ips] == ["10.93.0.50"]
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}


def test_a_rolled_back_port_replacement_gives_the_old_port_its_fixed_ip_back(
    cloud_service: Service,
) -> None:
    tag = uuid.uuid4().hex[:6]
    heat = HeatClient(cloud_service.endpoint(f"rest{tag}"))
    name = f"rest{tag}"
    stack = heat.create(name, _template("10.94.0", "fa:16:3e:94:00:01"))
    path = f"/stacks/{name}/{stack['id']}"
    conn = sdk_connection()
    try:
        created = heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        assert created["stack_status"] == "CREATE_COMPLETE", created.get("stack_status_reason")
        before = _ids(heat, path)

        # The port is replaced (taking its IP), then a resource after it fails: rollback.
        template = _template("10.94.0", "fa:16:3e:94:00:02", failing=True)
        body: dict[str, Any] = {"template": template, "disable_rollback": False}
        response = heat.http.put(heat.endpoint + path, json=body, timeout=60)
        assert response.status_code == 202, response.text
        done = heat.wait_status(name, stack["id"], "ROLLBACK_COMPLETE", deadline=240)
        assert done["stack_status"] == "ROLLBACK_COMPLETE", done.get("stack_status_reason")

        after = _ids(heat, path)
        assert after["port"] == before["port"]
        old_port = conn.network.get_port(before["port"])
        assert _ips(old_port) == ["10.94.0.50"]
        assert old_port.mac_address == "fa:16:3e:94:00:01"
        # The replacement is gone: the old port is the only one of ours on the network.
        ports = conn.network.ports(network_id=before["net"])
        ours = [p.id for p in ports if not (p.device_owner or "").startswith("network:")]
        assert ours == [before["port"]]
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}


def test_a_stack_whose_port_replacement_failed_under_a_server_deletes_cleanly(
    cloud_service: Service,
) -> None:
    """The old port stays behind (retired) with the server still on it when its replacement
    fails without rollback; the stack delete takes it down after the server, not before
    (Neutron refuses a member the delete of a bound port)."""
    tag = uuid.uuid4().hex[:6]
    heat = HeatClient(cloud_service.endpoint(f"retd{tag}"))
    name = f"retd{tag}"
    stack = heat.create(name, _template("10.96.0", "fa:16:3e:96:00:01", server=True))
    path = f"/stacks/{name}/{stack['id']}"
    conn = sdk_connection()
    created = heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
    assert created["stack_status"] == "CREATE_COMPLETE", created.get("stack_status_reason")
    before = _ids(heat, path)

    # A new MAC replaces the port; an address outside the subnet makes the replacement fail.
    template = _template("10.96.0", "fa:16:3e:96:00:02", server=True, ip_address="10.96.1.50")
    body: dict[str, Any] = {"template": template, "disable_rollback": True}
    response = heat.http.put(heat.endpoint + path, json=body, timeout=60)
    assert response.status_code == 202, response.text
    done = heat.wait_status(name, stack["id"], "UPDATE_FAILED", deadline=240)
    assert done["stack_status"] == "UPDATE_FAILED", done.get("stack_status_reason")
    old_port = conn.network.get_port(before["port"])
    assert old_port.device_id == before["server"]

    try:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        gone = heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=240)
        assert gone["stack_status"] == "DELETE_COMPLETE", gone.get("stack_status_reason")
        assert conn.network.find_port(before["port"]) is None
        assert leftovers(name) == {}
    finally:
        _purge(name)


def _purge(prefix: str) -> None:
    """What a failed run left in the shared demo project, removed as the admin (who may
    delete a bound port)."""
    admin = sdk_connection("minicloud-admin")
    project = sdk_connection().current_project_id
    for server in admin.compute.servers(all_projects=True, project_id=project):
        if (server.name or "").startswith(prefix):
            admin.compute.delete_server(server.id)
            admin.compute.wait_for_delete(server, wait=120)
    for port in admin.network.ports(project_id=project):
        if (port.name or "").startswith(prefix):
            admin.network.delete_port(port.id)
    for network in admin.network.networks(project_id=project):
        if (network.name or "").startswith(prefix):
            for port in admin.network.ports(network_id=network.id):
                admin.network.delete_port(port.id)
            admin.network.delete_network(network.id)
