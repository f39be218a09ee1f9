"""The registry of resource plugins, keyed by Heat resource type name."""

from __future__ import annotations

from activities.resources.base import ResourcePlugin
from activities.resources.heat import HEAT_PLUGINS
from activities.resources.openstack_plugins import OPENSTACK_PLUGINS
from templates import ResourceTypeSchema

_PLUGINS: dict[str, ResourcePlugin] = {
    plugin.type_name: plugin for plugin in [*HEAT_PLUGINS, *OPENSTACK_PLUGINS]
}


def plugin_for(type_name: str) -> ResourcePlugin | None:
    return _PLUGINS.get(type_name)


def type_schema(type_name: str) -> ResourceTypeSchema | None:
    plugin = _PLUGINS.get(type_name)
    return plugin.schema if plugin is not None else None


def is_in_engine(type_name: str) -> bool:
    plugin = _PLUGINS.get(type_name)
    return bool(plugin and plugin.in_engine)


def type_names() -> list[str]:
    return sorted(_PLUGINS)
