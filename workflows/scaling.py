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
MEMBER_TEMPLATE_VERSION = "2015-04-30"


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
