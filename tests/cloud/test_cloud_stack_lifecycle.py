"""A real stack of networks, servers and volumes in the minicloud, through our API and the
openstack CLI: create, update (resize, rules, replace), suspend, resume, check, delete."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml

from tests.cloud.conftest import (
    WORKER_CLOUD,
    ExternalNetwork,
    cloud_cli,
    heat_cli,
    leftovers,
    sdk_connection,
)
from tests.conftest import Service

TEMPLATE: dict[str, Any] = {
    "heat_template_version": "2018-08-31",
    "parameters": {
        "image": {"type": "string", "default": "fake-img"},
        "image_b": {"type": "string", "default": "fake-img"},
        "flavor": {"type": "string", "default": "m1.fake"},
        "external_network": {"type": "string"},
        "key_name": {"type": "string"},
        "ssh_port": {"type": "number", "default": 22},
        "volume_size": {"type": "number", "default": 1},
    },
    "resources": {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": "10.77.0.0/24"},
        },
        "router": {
            "type": "OS::Neutron::Router",
            "properties": {"external_gateway_info": {"network": {"get_param": "external_network"}}},
        },
        "router_interface": {
            "type": "OS::Neutron::RouterInterface",
            "properties": {
                "router": {"get_resource": "router"},
                "subnet": {"get_resource": "subnet"},
            },
        },
        "sg": {
            "type": "OS::Neutron::SecurityGroup",
            "properties": {
                "rules": [
                    {
                        "protocol": "tcp",
                        "port_range_min": {"get_param": "ssh_port"},
                        "port_range_max": {"get_param": "ssh_port"},
                        "remote_ip_prefix": "0.0.0.0/0",
                    },
                    {"protocol": "icmp"},
                ]
            },
        },
        "keypair": {"type": "OS::Nova::KeyPair", "properties": {"name": {"get_param": "key_name"}}},
        "port_a": {
            "type": "OS::Neutron::Port",
            "properties": {
                "network": {"get_resource": "net"},
                "fixed_ips": [{"subnet": {"get_resource": "subnet"}}],
                "security_groups": [{"get_resource": "sg"}],
            },
        },
        "fip_a": {
            "type": "OS::Neutron::FloatingIP",
            "depends_on": "router_interface",
            "properties": {
                "floating_network": {"get_param": "external_network"},
                "port_id": {"get_resource": "port_a"},
            },
        },
        "server_a": {
            "type": "OS::Nova::Server",
            "properties": {
                "image": {"get_param": "image"},
                "flavor": {"get_param": "flavor"},
                "key_name": {"get_resource": "keypair"},
                "networks": [{"port": {"get_resource": "port_a"}}],
                "user_data_format": "RAW",
                "user_data": "#!/bin/sh\necho hello\n",
                "metadata": {"role": "a"},
            },
        },
        "fip_b": {
            "type": "OS::Neutron::FloatingIP",
            "depends_on": "router_interface",
            "properties": {"floating_network": {"get_param": "external_network"}},
        },
        "server_b": {
            "type": "OS::Nova::Server",
            "depends_on": "subnet",
            "properties": {
                "image": {"get_param": "image_b"},
                "image_update_policy": "REPLACE",
                "flavor": {"get_param": "flavor"},
                "networks": [
                    {"network": {"get_resource": "net"}, "floating_ip": {"get_resource": "fip_b"}}
                ],
                "security_groups": [{"get_resource": "sg"}],
            },
        },
        "volume": {
            "type": "OS::Cinder::Volume",
            "properties": {"size": {"get_param": "volume_size"}},
        },
        "attachment": {
            "type": "OS::Cinder::VolumeAttachment",
            "properties": {
                "instance_uuid": {"get_resource": "server_a"},
                "volume_id": {"get_resource": "volume"},
            },
        },
    },
    "outputs": {
        "server_a_networks": {"value": {"get_attr": ["server_a", "networks"]}},
        "fip_a": {"value": {"get_attr": ["fip_a", "floating_ip_address"]}},
        "volume_size": {"value": {"get_attr": ["volume", "size"]}},
    },
}


def _output(service: Service, project: str, stack: str, name: str) -> Any:
    shown = heat_cli(service, project, "stack", "output", "show", stack, name, "-f", "json")
    return json.loads(shown)["output_value"]


def _ingress_ports(group_id: str) -> set[tuple[int | None, int | None]]:
    rules = sdk_connection().network.security_group_rules(security_group_id=group_id)
    return {(r.port_range_min, r.port_range_max) for r in rules if r.direction == "ingress"}


def test_a_cloud_stack_lives_and_dies_leaving_nothing_behind(
    cloud_service: Service, external_network: ExternalNetwork, tmp_path: Path
) -> None:
    project = f"cloud{uuid.uuid4().hex[:6]}"
    stack = f"life{uuid.uuid4().hex[:6]}"
    key_name = f"{stack}-key"
    template = tmp_path / "cloud.yaml"
    template.write_text(yaml.safe_dump(TEMPLATE))
    second_image = cloud_cli(
        WORKER_CLOUD,
        "image",
        "create",
        "--file",
        str(template),
        "--disk-format",
        "raw",
        "--container-format",
        "bare",
        f"img2-{uuid.uuid4().hex[:6]}",
    )
    params = ["--parameter", f"external_network={external_network.name}"]
    params += ["--parameter", f"key_name={key_name}"]
    try:
        created = heat_cli(
            cloud_service, project, "stack", "create", "-t", str(template), *params,
            "--enable-rollback", "--wait", stack,
        )  # fmt: skip
        assert "CREATE_COMPLETE" in created

        resources = {
            row["resource_name"]: row
            for row in json.loads(
                heat_cli(cloud_service, project, "stack", "resource", "list", stack, "-f", "json")
            )
        }
        # The cloud's side is checked with openstacksdk (a CLI run costs seconds).
        conn = sdk_connection()
        server_a = conn.compute.get_server(resources["server_a"]["physical_resource_id"])
        assert server_a.status == "ACTIVE"
        assert server_a.key_name == key_name
        old_b = resources["server_b"]["physical_resource_id"]
        volume = conn.block_storage.get_volume(resources["volume"]["physical_resource_id"])
        assert volume.status == "in-use"
        assert volume.attachments[0]["server_id"] == server_a.id
        fip_b = conn.network.get_ip(resources["fip_b"]["physical_resource_id"])
        assert fip_b.port_id, "server_b's floating IP is not associated"
        assert _output(cloud_service, project, stack, "fip_a").startswith("203.0.113.")
        networks = _output(cloud_service, project, stack, "server_a_networks")
        # One network, keyed by its name and again by its id (upstream's attribute).
        assert len(networks) == 2, networks
        (addresses,) = {tuple(found) for found in networks.values()}
        assert any(address.startswith("10.77.0.") for address in addresses), networks
        group = resources["sg"]["physical_resource_id"]
        assert (22, 22) in _ingress_ports(group)

        # Update: the volume grows in place, the rules change, server_b is replaced.
        updated = heat_cli(
            cloud_service, project, "stack", "update", "-t", str(template), *params,
            "--parameter", "volume_size=2", "--parameter", "ssh_port=2222",
            "--parameter", f"image_b={second_image['id']}", "--wait", stack,
        )  # fmt: skip
        assert "UPDATE_COMPLETE" in updated
        resources = {
            row["resource_name"]: row
            for row in json.loads(
                heat_cli(cloud_service, project, "stack", "resource", "list", stack, "-f", "json")
            )
        }
        assert resources["volume"]["physical_resource_id"] == volume.id
        assert conn.block_storage.get_volume(volume.id).size == 2
        assert _output(cloud_service, project, stack, "volume_size") == 2
        ports = _ingress_ports(group)
        assert (2222, 2222) in ports and (22, 22) not in ports
        new_b = resources["server_b"]["physical_resource_id"]
        assert new_b != old_b
        assert conn.compute.get_server(new_b).image["id"] == second_image["id"]
        servers = {server.id for server in conn.compute.servers()}
        assert old_b not in servers and server_a.id in servers

        # Suspend, resume and check act on the servers for real.
        heat_cli(cloud_service, project, "stack", "suspend", "--wait", stack)
        assert conn.compute.get_server(server_a.id).status == "SUSPENDED"
        heat_cli(cloud_service, project, "stack", "resume", "--wait", stack)
        assert conn.compute.get_server(server_a.id).status == "ACTIVE"
        heat_cli(cloud_service, project, "stack", "check", "--wait", stack)
        shown = heat_cli(
            cloud_service, project, "stack", "show", stack, "-f", "value", "-c", "stack_status"
        )
        assert shown.strip() == "CHECK_COMPLETE"

        heat_cli(cloud_service, project, "stack", "delete", "--yes", "--wait", stack)
        assert leftovers(stack, external_network.id) == {}
        assert conn.compute.find_keypair(key_name, ignore_missing=True) is None
    finally:
        _delete_quietly(cloud_service, project, stack)
        cloud_cli(WORKER_CLOUD, "image", "delete", second_image["id"])


def _delete_quietly(service: Service, project: str, stack: str) -> None:
    """After a failure, delete what the stack made so the next run starts clean."""
    listed = heat_cli(service, project, "stack", "list", "-f", "value", "-c", "Stack Name")
    if stack in listed.split():
        heat_cli(service, project, "stack", "delete", "--yes", "--wait", stack)
