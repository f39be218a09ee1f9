"""ResourceGroup and ResourceChain: their members' nested template, and their attributes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workflows.types import Member

GROUP_TYPE = "OS::Heat::ResourceGroup"
CHAIN_TYPE = "OS::Heat::ResourceChain"
ASG_TYPE = "OS::Heat::AutoScalingGroup"
INSTANCE_GROUP_TYPE = "OS::Heat::InstanceGroup"
AWS_ASG_TYPE = "AWS::AutoScaling::AutoScalingGroup"
# Groups of instances made from an AWS::AutoScaling::LaunchConfiguration.
LAUNCH_CONFIG_GROUP_TYPES = (INSTANCE_GROUP_TYPE, AWS_ASG_TYPE)
# Groups sized by min/max/desired and resized by scaling policies (workflows/scaling.py).
SCALING_GROUP_TYPES = (ASG_TYPE, *LAUNCH_CONFIG_GROUP_TYPES)
DEPLOYMENT_GROUP_TYPES = {
    "OS::Heat::SoftwareDeploymentGroup": "OS::Heat::SoftwareDeployment",
    "OS::Heat::StructuredDeploymentGroup": "OS::Heat::StructuredDeployment",
    # Their hidden deprecated names (upstream's SoftwareDeployments, StructuredDeployments).
    "OS::Heat::SoftwareDeployments": "OS::Heat::SoftwareDeployment",
    "OS::Heat::StructuredDeployments": "OS::Heat::StructuredDeployment",
}
GROUP_TYPES = (GROUP_TYPE, CHAIN_TYPE, *SCALING_GROUP_TYPES, *DEPLOYMENT_GROUP_TYPES)
# The version upstream writes its generated member templates in.
MEMBER_TEMPLATE_VERSION = "2015-04-30"


def member_names(count: int, skiplist: Iterable[str]) -> list[str]:
    """The first `count` indexes ("0", "1", ...) that were never removed by a policy."""
    skipped = set(skiplist)
    names: list[str] = []
    index = 0
    while len(names) < count:
        if str(index) not in skipped:
            names.append(str(index))
        index += 1
    return names


def replace_index(value: Any, index_var: str, name: str) -> Any:
    """`index_var` replaced by the member's name in every string of a property value."""
    if isinstance(value, str):
        return value.replace(index_var, name)
    if isinstance(value, Mapping):
        return {key: replace_index(item, index_var, name) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_index(item, index_var, name) for item in value]
    return value


def updated_skiplist(
    properties: Mapping[str, Any], current: list[str], refs_map: Mapping[str, Any]
) -> list[str]:
    """Names removal_policies take out for good (upstream's name skiplist): members named
    directly or by their reference; "update" mode replaces the list, "append" adds to it."""
    skipped = set() if properties.get("removal_policies_mode") == "update" else set(current)
    by_reference = {str(ref): name for name, ref in refs_map.items()}
    for policy in properties.get("removal_policies") or []:
        for item in (policy or {}).get("resource_list") or []:
            text = str(item)
            if text in current or not refs_map or text in refs_map:
                skipped.add(text)
            elif text in by_reference:
                skipped.add(by_reference[text])
    return sorted(skipped, key=_index_order)


def group_template(properties: Mapping[str, Any], skiplist: Iterable[str]) -> dict[str, Any]:
    """The nested template of a ResourceGroup: one resource per member name."""
    definition = properties.get("resource_def") or {}
    index_var = str(properties.get("index_var") or "%index%")
    member_properties = {
        key: value
        for key, value in (definition.get("properties") or {}).items()
        if value is not None
    }
    resources: dict[str, Any] = {}
    for name in member_names(int(properties.get("count", 1)), skiplist):
        member: dict[str, Any] = {"type": definition.get("type")}
        if member_properties:
            member["properties"] = replace_index(member_properties, index_var, name)
        if definition.get("metadata"):
            member["metadata"] = definition["metadata"]
        resources[name] = member
    return {"heat_template_version": MEMBER_TEMPLATE_VERSION, "resources": resources}


def chain_template(properties: Mapping[str, Any]) -> dict[str, Any]:
    """The nested template of a ResourceChain: each type in turn, each after the one before
    unless `concurrent`."""
    member_properties = properties.get("resource_properties") or {}
    concurrent = bool(properties.get("concurrent"))
    resources: dict[str, Any] = {}
    for index, type_name in enumerate(properties.get("resources") or []):
        member: dict[str, Any] = {"type": type_name}
        if member_properties:
            member["properties"] = dict(member_properties)
        if index and not concurrent:
            member["depends_on"] = [str(index - 1)]
        resources[str(index)] = member
    return {"heat_template_version": MEMBER_TEMPLATE_VERSION, "resources": resources}


def deployment_group_template(type_name: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """One deployment per server, named by its key in `servers` (upstream's group)."""
    member_type = DEPLOYMENT_GROUP_TYPES[type_name]
    shared = {
        key: value for key, value in properties.items() if key != "servers" and value is not None
    }
    resources = {
        str(name): {"type": member_type, "properties": {**shared, "server": server}}
        for name, server in (properties.get("servers") or {}).items()
    }
    return {"heat_template_version": MEMBER_TEMPLATE_VERSION, "resources": resources}


def deployment_group_attributes(members: Mapping[str, Member]) -> dict[str, Any]:
    return {
        "deploy_stdouts": {n: m.attributes.get("deploy_stdout") for n, m in members.items()},
        "deploy_stderrs": {n: m.attributes.get("deploy_stderr") for n, m in members.items()},
        "deploy_status_codes": {
            n: m.attributes.get("deploy_status_code") for n, m in members.items()
        },
    }


def group_attributes(members: Mapping[str, Member], skiplist: list[str]) -> dict[str, Any]:
    """What get_attr reads from a group: refs, refs_map, removed_rsrc_list, `resource.<n>`
    (a member's attributes), `attributes` ({attribute: {member: value}}) and, for every
    attribute its members have, the list of their values in member order."""
    order = sorted(members, key=_index_order)
    names = sorted({key for member in members.values() for key in member.attributes})
    attributes: dict[str, Any] = {
        key: [members[name].attributes.get(key) for name in order] for key in names
    }
    attributes["attributes"] = {
        key: {name: members[name].attributes.get(key) for name in order} for key in names
    }
    for name in order:
        attributes[f"resource.{name}"] = dict(members[name].attributes)
    attributes["refs"] = [members[name].reference for name in order]
    attributes["refs_map"] = {name: members[name].reference for name in order}
    attributes["removed_rsrc_list"] = list(skiplist)
    return attributes


def _index_order(name: str) -> tuple[int, str]:
    return (int(name), name) if name.isdigit() else (1 << 62, name)
