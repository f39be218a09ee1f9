"""The registry of resource plugins, keyed by Heat resource type name."""

from __future__ import annotations

from activities.resources.aws_autoscaling import AWS_SCALING_PLUGINS
from activities.resources.base import ResourcePlugin
from activities.resources.heat import HEAT_PLUGINS
from activities.resources.openstack_plugins import OPENSTACK_PLUGINS
from activities.resources.software import SOFTWARE_PLUGINS
from activities.resources.stack import NESTED_STACK_PLUGINS
from activities.resources.waits import WAIT_PLUGINS
from templates import ResourceTypeSchema, is_template_type

_PLUGINS: dict[str, ResourcePlugin] = {
    plugin.type_name: plugin
    for plugin in (
        *HEAT_PLUGINS,
        *NESTED_STACK_PLUGINS,
        *WAIT_PLUGINS,
        *SOFTWARE_PLUGINS,
        *OPENSTACK_PLUGINS,
        *AWS_SCALING_PLUGINS,
    )
}


def plugin_for(type_name: str) -> ResourcePlugin | None:
    return _PLUGINS.get(type_name)


def type_schema(type_name: str) -> ResourceTypeSchema | None:
    plugin = _PLUGINS.get(type_name)
    return plugin.schema if plugin is not None else None


def is_in_engine(type_name: str) -> bool:
    plugin = _PLUGINS.get(type_name)
    return bool(plugin and plugin.in_engine)


def runs_in_workflow(type_name: str) -> bool:
    """Nested stacks: provider templates and OS::Heat::Stack run as child stack workflows."""
    if is_template_type(type_name):
        return True
    plugin = _PLUGINS.get(type_name)
    return bool(plugin and plugin.runs_in_workflow)


def accepts_signals(type_name: str) -> bool:
    plugin = _PLUGINS.get(type_name)
    return bool(plugin and plugin.accepts_signals)


def is_substituted(old_type: str, new_type: str) -> bool:
    """Whether `new_type` is the successor of the hidden deprecated `old_type` (upstream's
    check_is_substituted): the resource then updates in place instead of being replaced."""
    plugin = _PLUGINS.get(old_type)
    return plugin is not None and plugin.substitute_type == new_type


def type_names() -> list[str]:
    return sorted(_PLUGINS)
