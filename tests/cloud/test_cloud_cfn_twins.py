"""A CFN template of AWS::EC2 twins (and the OS:: types the big test leaves out) made and
removed in the minicloud."""

from __future__ import annotations

import uuid
from typing import Any

from tests.cloud.conftest import ExternalNetwork, leftovers, sdk_connection
from tests.conftest import HeatClient, Service, wait_until


def _template(external_network: str) -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Net": {"Type": "OS::Neutron::Net"},
            "Subnet": {
                "Type": "OS::Neutron::Subnet",
                "Properties": {"network": {"Ref": "Net"}, "cidr": "10.79.0.0/24"},
            },
            "Router": {
                "Type": "OS::Neutron::Router",
                "Properties": {"external_gateway_info": {"network": external_network}},
            },
            "RouterInterface": {
                "Type": "OS::Neutron::RouterInterface",
                "Properties": {"router": {"Ref": "Router"}, "subnet": {"Ref": "Subnet"}},
            },
            "WebGroup": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "GroupDescription": "web",
                    "SecurityGroupIngress": [
                        {
                            "IpProtocol": "tcp",
                            "FromPort": "80",
                            "ToPort": "80",
                            "CidrIp": "0.0.0.0/0",
                        }
                    ],
                },
            },
            "DnsRule": {
                "Type": "OS::Neutron::SecurityGroupRule",
                "Properties": {
                    "security_group": {"Ref": "WebGroup"},
                    "protocol": "udp",
                    "port_range_min": 53,
                    "port_range_max": 53,
                },
            },
            "Group": {"Type": "OS::Nova::ServerGroup", "Properties": {"policies": ["affinity"]}},
            "Instance": {
                "Type": "AWS::EC2::Instance",
                "DependsOn": "RouterInterface",
                "Properties": {
                    "ImageId": "fake-img",
                    "InstanceType": "m1.fake",
                    "SubnetId": {"Ref": "Subnet"},
                    "SecurityGroups": [{"Ref": "WebGroup"}],
                    "Tags": [{"Key": "tier", "Value": "web"}],
                    "UserData": "#!/bin/sh\necho web\n",
                },
            },
            "Address": {
                "Type": "OS::Neutron::FloatingIP",
                "DependsOn": "RouterInterface",
                "Properties": {"floating_network": external_network},
            },
            "AddressAssociation": {
                "Type": "AWS::EC2::EIPAssociation",
                "Properties": {
                    "InstanceId": {"Ref": "Instance"},
                    "AllocationId": {"Ref": "Address"},
                },
            },
            "Disk": {
                "Type": "AWS::EC2::Volume",
                "Properties": {"Size": "1", "AvailabilityZone": "nova"},
            },
            "DiskAttachment": {
                "Type": "AWS::EC2::VolumeAttachment",
                "Properties": {
                    "InstanceId": {"Ref": "Instance"},
                    "VolumeId": {"Ref": "Disk"},
                    "Device": "/dev/vdb",
                },
            },
        },
        "Outputs": {
            "PrivateIp": {"Value": {"Fn::GetAtt": ["Instance", "PrivateIp"]}},
            "InstanceId": {"Value": {"Ref": "Instance"}},
        },
    }


def test_a_cfn_template_of_ec2_twins_is_made_and_removed(
    cloud_service: Service, external_network: ExternalNetwork
) -> None:
    heat = HeatClient(cloud_service.endpoint(f"cfn{uuid.uuid4().hex[:6]}"))
    name = f"cfn{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template(external_network.name), disable_rollback=True)
    try:
        done = heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=240)
        outputs = {o["output_key"]: o["output_value"] for o in done["outputs"]}
        assert outputs["PrivateIp"].startswith("10.79.0.")
        conn = sdk_connection()
        server = conn.compute.get_server(outputs["InstanceId"])
        assert server.metadata == {"tier": "web"}
        assert server.status == "ACTIVE"
        ports = list(conn.network.ports(device_id=server.id))
        floating = list(conn.network.ips(port_id=ports[0].id))
        assert len(floating) == 1
        volumes = [a.volume_id for a in conn.compute.volume_attachments(server)]
        assert len(volumes) == 1
        group_id = ports[0].security_group_ids[0]
        rules = conn.network.security_group_rules(security_group_id=group_id)
        ingress = {(r.protocol, r.port_range_min) for r in rules if r.direction == "ingress"}
        assert ingress == {("tcp", 80), ("udp", 53)}
    finally:
        assert heat.delete(f"/stacks/{name}/{stack['id']}").status_code == 204
        wait_until(
            lambda: (
                heat.stack(name, stack["id"])["stack_status"]
                in ("DELETE_COMPLETE", "DELETE_FAILED")
            ),
            180,
            "the stack to be deleted",
        )
    assert heat.stack(name, stack["id"])["stack_status"] == "DELETE_COMPLETE"
    assert leftovers(name, external_network.id) == {}
