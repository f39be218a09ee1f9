"""AutoScalingGroup and ScalingPolicy: sizes, member names, and upstream's capacity arithmetic."""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Mapping
from typing import Any

from workflows.types import Member, ResourceState

ASG_TYPE = "OS::Heat::AutoScalingGroup"
POLICY_TYPE = "OS::Heat::ScalingPolicy"
AWS_POLICY_TYPE = "AWS::AutoScaling::ScalingPolicy"
POLICY_TYPES = (POLICY_TYPE, AWS_POLICY_TYPE)
LAUNCH_CONFIG_TYPE = "AWS::AutoScaling::LaunchConfiguration"
INSTANCE_GROUP_TYPE = "OS::Heat::InstanceGroup"
AWS_ASG_TYPE = "AWS::AutoScaling::AutoScalingGroup"
# Upstream's InstanceGroup members are OS::Heat::ScaledResource, which its child environment
# maps to AWS::EC2::Instance: here they are AWS::EC2::Instance directly, so a
# resource_registry override of AWS::EC2::Instance applies to them as upstream.
INSTANCE_TYPE = "AWS::EC2::Instance"
MEMBER_TEMPLATE_VERSION = "2015-04-30"
_AWS_ADJUSTMENTS = {
    "ChangeInCapacity": "change_in_capacity",
    "ExactCapacity": "exact_capacity",
    "PercentChangeInCapacity": "percent_change_in_capacity",
}


def policy_properties(implementation: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """An AWS scaling policy's properties under OS::Heat::ScalingPolicy's names."""
    if implementation != AWS_POLICY_TYPE:
        return dict(properties)
    return {
        "auto_scaling_group_id": properties.get("AutoScalingGroupName"),
        "scaling_adjustment": properties.get("ScalingAdjustment"),
        "adjustment_type": _AWS_ADJUSTMENTS.get(str(properties.get("AdjustmentType")), ""),
        "cooldown": properties.get("Cooldown"),
        "min_adjustment_step": properties.get("MinAdjustmentStep"),
    }


def group_sizes(implementation: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """A scaling group's min_size, max_size, desired_capacity and cooldown, whatever its type
    calls them (an InstanceGroup is always exactly its Size)."""
    if implementation == INSTANCE_GROUP_TYPE:
        size = properties.get("Size")
        return {"min_size": size, "max_size": size, "desired_capacity": size, "cooldown": None}
    if implementation == AWS_ASG_TYPE:
        return {
            "min_size": properties.get("MinSize"),
            "max_size": properties.get("MaxSize"),
            "desired_capacity": properties.get("DesiredCapacity"),
            "cooldown": properties.get("Cooldown"),
        }
    return dict(properties)


def instance_definition(
    implementation: str,
    properties: Mapping[str, Any],
    launch_config: Mapping[str, Any],
    reference: str,
) -> dict[str, Any]:
    """The member definition of an InstanceGroup or AWS AutoScalingGroup: its launch
    configuration's properties (less InstanceId), its Tags plus upstream's metering tag, and
    for an AutoScalingGroup its VPCZoneIdentifier as the SubnetId."""
    props = {k: v for k, v in launch_config.items() if v is not None and k != "InstanceId"}
    tags = list(properties.get("Tags") or [])
    if implementation == AWS_ASG_TYPE:
        tags.append({"Key": "metering.AutoScalingGroupName", "Value": reference})
    elif not any(str(t.get("Key", "")).startswith("metering.") for t in tags):
        tags.append({"Key": "metering.groupname", "Value": reference})
    props["Tags"] = tags
    subnets = properties.get("VPCZoneIdentifier") or []
    if implementation == AWS_ASG_TYPE and subnets:
        props["SubnetId"] = subnets[0]
    return {"type": INSTANCE_TYPE, "properties": props}


def instance_list(members: Mapping[str, Member], order: list[str]) -> str | None:
    """InstanceList: the members' PublicIp, comma-delimited (upstream's Heat extension)."""
    ips = [
        str(members[name].attributes.get("PublicIp"))
        for name in order
        if name in members and members[name].attributes.get("PublicIp") is not None
    ]
    return ",".join(ips) or None


def new_capacity(
    current: int,
    adjustment: float,
    adjustment_type: str,
    min_adjustment_step: int | None,
    minimum: int,
    maximum: int,
) -> int:
    """The group's size after an adjustment (upstream's scaling_util.calculate_new_capacity)."""
    if adjustment_type == "change_in_capacity":
        capacity = current + int(adjustment)
    elif adjustment_type == "exact_capacity":
        capacity = int(adjustment)
    else:
        delta = current * adjustment / 100.0
        if math.fabs(delta) < 1.0:
            rounded = int(math.ceil(delta) if delta > 0.0 else math.floor(delta))
        else:
            rounded = int(math.floor(delta) if delta > 0.0 else math.ceil(delta))
        if min_adjustment_step and min_adjustment_step > abs(rounded):
            rounded = min_adjustment_step if rounded > 0 else -min_adjustment_step
        capacity = current + rounded
    return max(minimum, min(maximum, capacity))


def target_size(properties: Mapping[str, Any], data: dict[str, Any]) -> int:
    """How many members the group should have now: a policy's resize, else a changed
    desired_capacity, else what it has; always within min_size and max_size."""
    minimum = int(properties.get("min_size") or 0)
    maximum = int(properties.get("max_size") or 0)
    desired = properties.get("desired_capacity")
    if "scale_to" in data:
        size = int(data.pop("scale_to"))
    elif desired is not None and desired != data.get("desired"):
        size = int(desired)
    elif "current_size" in data:
        size = int(data["current_size"])
    else:
        size = int(desired) if desired is not None else minimum
    data["desired"] = desired
    size = max(minimum, min(maximum, size))
    data["current_size"] = size
    return size


def _member_name(seed: str, number: int) -> str:
    digest = hashlib.sha256(f"{seed}/{number}".encode()).digest()
    return base64.b32encode(digest).decode().lower()[:12]


def resize_members(resource: ResourceState, size: int) -> list[str]:
    """The member names after a resize: new ones appended, the oldest removed first."""
    data = resource.data
    members = list(data.get("members") or [])
    counter = int(data.get("next_member") or 0)
    seed = str(data.get("stack_name") or resource.name)
    while len(members) < size:
        members.append(_member_name(seed, counter))
        counter += 1
    members = members[len(members) - size :] if size else []
    data["members"], data["next_member"] = members, counter
    return members


def asg_template(properties: Mapping[str, Any], members: list[str]) -> dict[str, Any]:
    definition = dict(properties.get("resource") or {})
    resources = {name: dict(definition) for name in members}
    return {"heat_template_version": MEMBER_TEMPLATE_VERSION, "resources": resources}


def asg_attributes(members: Mapping[str, Member], order: list[str]) -> dict[str, Any]:
    """outputs ({attribute: {member: value}}), outputs_list ({attribute: [values]}),
    current_size, refs and refs_map, read from the members in the group's order."""
    present = [name for name in order if name in members]
    names = sorted({key for member in members.values() for key in member.attributes})
    return {
        "outputs": {
            key: {name: members[name].attributes.get(key) for name in present} for key in names
        },
        "outputs_list": {
            key: [members[name].attributes.get(key) for name in present] for key in names
        },
        "current_size": len(present),
        "refs": [members[name].reference for name in present],
        "refs_map": {name: members[name].reference for name in present},
        **{
            f"resource.{index}": dict(members[name].attributes)
            for index, name in enumerate(present)
        },
    }
