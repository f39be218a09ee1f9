"""The CFN twins templates use (AWS::EC2::*): each one is an OS:: plugin under AWS names.

A twin translates its properties to those of the OpenStack type it stands for, runs that
plugin's step, and presents the attributes CFN templates ask for (Fn::GetAtt).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from openstack.connection import Connection

from activities.cloud import call
from activities.resources.aws_twins_schemas import SCHEMAS
from activities.resources.base import ResourceFailure
from activities.resources.cinder import Volume, VolumeAttachment
from activities.resources.cloud_plugin import CloudPlugin, call_unless_gone
from activities.resources.neutron import SecurityGroup, rest
from activities.resources.nova import Server
from activities.types import ActionResult, ResourceActionRequest

Translate = Callable[[dict[str, Any]], dict[str, Any]]


def key_values(tags: list[dict[str, Any]] | None) -> dict[str, Any]:
    """CFN's [{Key, Value}] lists as a mapping."""
    return {item["Key"]: item["Value"] for item in tags or []}


class Twin(CloudPlugin):
    """Runs every step of `target` with translated properties."""

    target: CloudPlugin
    # Twin property -> target property, for the names that `changed` lists.
    renames: dict[str, str] = {}

    def translate(self, props: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def attributes_for(self, attributes: dict[str, Any]) -> dict[str, Any]:
        return attributes

    def _request(self, request: ResourceActionRequest) -> ResourceActionRequest:
        return request.model_copy(
            update={
                "properties": self.translate(request.properties),
                "old_properties": self.translate(request.old_properties)
                if request.old_properties
                else {},
                "changed": sorted({self.renames.get(name, name) for name in request.changed}),
            }
        )

    async def _run(self, step: str, request: ResourceActionRequest) -> ActionResult:
        result: ActionResult = await getattr(self.target, step)(self._request(request))
        if result.attributes is not None:
            result.attributes = {
                **self.attributes_for(result.attributes),
                "show": result.attributes.get("show"),
            }
        return result

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("create", request)

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("check_create", request)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("update", request)

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("check_update", request)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("delete", request)

    async def check_delete(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("check_delete", request)

    async def suspend(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("suspend", request)

    async def check_suspend(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("check_suspend", request)

    async def resume(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("resume", request)

    async def check_resume(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("check_resume", request)

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        return await self._run("check", request)


class Instance(Twin):
    type_name = "AWS::EC2::Instance"
    schema = SCHEMAS[type_name]
    target = Server()
    renames = {
        "InstanceType": "flavor",
        "Tags": "metadata",
        "NetworkInterfaces": "networks",
        "SubnetId": "networks",
    }

    @classmethod
    def replacement_required(
        cls, old: dict[str, Any], new: dict[str, Any], data: Mapping[str, Any] | None = None
    ) -> bool:
        return any(old.get(n) != new.get(n) for n in ("NetworkInterfaces", "SubnetId"))

    def translate(self, props: dict[str, Any]) -> dict[str, Any]:
        if not props:
            return {}
        networks: list[dict[str, Any]] = []
        for interface in props.get("NetworkInterfaces") or []:
            port = interface if isinstance(interface, str) else interface["NetworkInterfaceId"]
            networks.append({"port": port})
        if not networks and props.get("SubnetId"):
            networks.append({"subnet": props["SubnetId"]})
        groups = [*(props.get("SecurityGroups") or []), *(props.get("SecurityGroupIds") or [])]
        return {
            "image": props.get("ImageId"),
            "flavor": props.get("InstanceType"),
            "key_name": props.get("KeyName"),
            "availability_zone": props.get("AvailabilityZone"),
            "security_groups": groups,
            "networks": networks,
            "metadata": key_values(props.get("Tags")),
            "scheduler_hints": key_values(props.get("NovaSchedulerHints")) or None,
            "user_data": props.get("UserData") or "",
            "user_data_format": "HEAT_CFNTOOLS",
            "flavor_update_policy": "RESIZE",
        }

    def attributes_for(self, attributes: dict[str, Any]) -> dict[str, Any]:
        address = attributes.get("first_address") or ""
        return {
            "AvailabilityZone": (attributes.get("show") or {}).get("OS-EXT-AZ:availability_zone"),
            "PrivateDnsName": address,
            "PublicDnsName": address,
            "PrivateIp": address,
            "PublicIp": address,
        }


class AwsSecurityGroup(Twin):
    type_name = "AWS::EC2::SecurityGroup"
    schema = SCHEMAS[type_name]
    target = SecurityGroup()
    renames = {"SecurityGroupIngress": "rules", "SecurityGroupEgress": "rules"}

    def translate(self, props: dict[str, Any]) -> dict[str, Any]:
        if not props:
            return {}
        rules = [
            self._rule(rule, "ingress") for rule in props.get("SecurityGroupIngress") or []
        ] + [self._rule(rule, "egress") for rule in props.get("SecurityGroupEgress") or []]
        return {"description": props.get("GroupDescription"), "rules": rules}

    @staticmethod
    def _rule(rule: dict[str, Any], direction: str) -> dict[str, Any]:
        protocol = rule.get("IpProtocol")
        out: dict[str, Any] = {
            "direction": direction,
            "ethertype": "IPv4",
            "protocol": None if str(protocol) == "-1" else protocol,
        }
        low, high = rule.get("FromPort"), rule.get("ToPort")
        if low not in (None, "-1", -1):
            out["port_range_min"] = int(low)
        if high not in (None, "-1", -1):
            out["port_range_max"] = int(high)
        group = rule.get("SourceSecurityGroupId") or rule.get("DestinationSecurityGroupId")
        if group:
            out.update(remote_mode="remote_group_id", remote_group_id=group)
        else:
            out["remote_ip_prefix"] = rule.get("CidrIp") or "0.0.0.0/0"
        return out


class AwsVolume(Twin):
    type_name = "AWS::EC2::Volume"
    schema = SCHEMAS[type_name]
    target = Volume()

    def translate(self, props: dict[str, Any]) -> dict[str, Any]:
        return {
            "size": props.get("Size"),
            "availability_zone": props.get("AvailabilityZone"),
            "snapshot_id": props.get("SnapshotId"),
            "metadata": key_values(props.get("Tags")),
        }

    def attributes_for(self, attributes: dict[str, Any]) -> dict[str, Any]:
        return {}


class AwsVolumeAttachment(Twin):
    type_name = "AWS::EC2::VolumeAttachment"
    schema = SCHEMAS[type_name]
    target = VolumeAttachment()

    def translate(self, props: dict[str, Any]) -> dict[str, Any]:
        return {
            "instance_uuid": props.get("InstanceId"),
            "volume_id": props.get("VolumeId"),
            "mountpoint": props.get("Device"),
        }

    def attributes_for(self, attributes: dict[str, Any]) -> dict[str, Any]:
        return {}


def external_network(conn: Connection) -> str:
    networks = rest(conn, "GET", "/networks?router:external=True")["networks"]
    if not networks:
        raise ResourceFailure("No external network found", "NotFound")
    return str(networks[0]["id"])


def first_port(conn: Connection, server_id: str) -> str:
    ports = rest(conn, "GET", f"/ports?device_id={server_id}")["ports"]
    if not ports:
        raise ResourceFailure(f"No port found on server {server_id}", "NotFound")
    return str(ports[0]["id"])


class EIP(CloudPlugin):
    """A floating IP from the external network; its physical id is the address, as in CFN."""

    type_name = "AWS::EC2::EIP"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        instance = request.properties.get("InstanceId")

        def work(conn: Connection) -> ActionResult:
            body: dict[str, Any] = {
                "floating_network_id": external_network(conn),
                "description": request.physical_name,
            }
            found = rest(conn, "GET", f"/floatingips?description={request.physical_name}")
            ips = found["floatingips"]
            made = (
                ips[0]
                if ips
                else rest(conn, "POST", "/floatingips", {"floatingip": body})["floatingip"]
            )
            if instance:
                association = {"floatingip": {"port_id": first_port(conn, instance)}}
                rest(conn, "PUT", f"/floatingips/{made['id']}", association)
            return ActionResult(
                physical_id=made["floating_ip_address"],
                data={"allocation_id": made["id"]},
                attributes={"AllocationId": made["id"], "show": made},
            )

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        instance = request.properties.get("InstanceId")
        allocation = request.data.get("allocation_id")

        def work(conn: Connection) -> ActionResult:
            port = first_port(conn, instance) if instance else None
            rest(conn, "PUT", f"/floatingips/{allocation}", {"floatingip": {"port_id": port}})
            return ActionResult()

        return await call(request, work)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        allocation = request.data.get("allocation_id")
        if not allocation:
            return ActionResult()

        def work(conn: Connection) -> None:
            rest(conn, "DELETE", f"/floatingips/{allocation}")

        await call_unless_gone(request, work)
        return ActionResult()


class EIPAssociation(CloudPlugin):
    type_name = "AWS::EC2::EIPAssociation"
    schema = SCHEMAS[type_name]

    def _floating_ip(self, conn: Connection, props: dict[str, Any]) -> str:
        if props.get("AllocationId"):
            return str(props["AllocationId"])
        found = rest(conn, "GET", f"/floatingips?floating_ip_address={props.get('EIP')}")
        if not found["floatingips"]:
            raise ResourceFailure(f"The EIP ({props.get('EIP')}) could not be found.", "NotFound")
        return str(found["floatingips"][0]["id"])

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            floating_ip = self._floating_ip(conn, props)
            port = props.get("NetworkInterfaceId") or first_port(conn, props["InstanceId"])
            rest(conn, "PUT", f"/floatingips/{floating_ip}", {"floatingip": {"port_id": port}})
            return ActionResult(
                physical_id=request.physical_name, data={"floating_ip": floating_ip}
            )

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        await self.delete(request)
        return await self.create(request)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        floating_ip = request.data.get("floating_ip")
        if not floating_ip:
            return ActionResult()

        def work(conn: Connection) -> None:
            rest(conn, "PUT", f"/floatingips/{floating_ip}", {"floatingip": {"port_id": None}})

        await call_unless_gone(request, work)
        return ActionResult()


AWS_PLUGINS: list[CloudPlugin] = [
    Instance(),
    AwsSecurityGroup(),
    EIP(),
    EIPAssociation(),
    AwsVolume(),
    AwsVolumeAttachment(),
]
