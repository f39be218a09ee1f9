"""A stack's data as upstream's abandon, export and snapshot bodies carry it (pure)."""

from __future__ import annotations

from typing import Any

from activities.resources.registry import plugin_for
from workflows.types import ResourceState, StackState, implementation_of


def resource_data(resource: ResourceState) -> dict[str, Any]:
    # What a built-in resource needs to be adopted or restored: its value (RandomString,
    # Value and TestResource keep theirs there); for a volume or a server, the id of the
    # cloud snapshot its last stack snapshot took (upstream's handle_snapshot data).
    plugin = plugin_for(implementation_of(resource))
    if plugin is not None and plugin.snapshot_keys:
        return {key: resource.data[key] for key in plugin.snapshot_keys if key in resource.data}
    if "value" in resource.data:
        return {"value": resource.data["value"]}
    if "value" in resource.attributes:
        return {"value": resource.attributes["value"]}
    return {}


def stack_data(state: StackState) -> dict[str, Any]:
    """heat.engine.stack.prepare_abandon's body."""
    environment = {k: v for k, v in state.environment.items() if k != "encrypted_param_names"}
    return {
        "action": state.action,
        "environment": environment,
        "files": state.files,
        "id": state.stack_id,
        "name": state.stack_name,
        "project_id": state.project_id,
        "resources": {
            name: {
                "status": resource.status,
                "name": name,
                "resource_data": resource_data(resource),
                "resource_id": resource.physical_id or None,
                "action": resource.action,
                "type": resource.type,
                "metadata": resource.metadata,
            }
            for name, resource in state.resources.items()
        },
        "stack_user_project_id": state.project_id,
        "status": state.status,
        "tags": state.tags,
        "template": state.template,
    }


def adopt_entries(resources: Any) -> dict[str, dict[str, Any]]:
    """adopt_stack_data's resources as a stack's state keeps them for its adopt: each one's id
    and data, and for a nested stack's resource (whose entry is that stack's abandon data) the
    nested stack's resources, which the nested stack's own adopt takes over."""
    if not isinstance(resources, dict):
        return {}
    entries: dict[str, dict[str, Any]] = {}
    for name, entry in resources.items():
        if not isinstance(entry, dict):
            continue
        kept = {
            "resource_id": entry.get("resource_id"),
            "resource_data": entry.get("resource_data") or {},
        }
        if isinstance(entry.get("resources"), dict):
            kept["resources"] = entry["resources"]
        entries[str(name)] = kept
    return entries
