"""Every plugin of an OpenStack cloud resource type, for the registry."""

from __future__ import annotations

from activities.resources.aws_twins import AWS_PLUGINS
from activities.resources.cinder import CINDER_PLUGINS
from activities.resources.cloud_plugin import CloudPlugin
from activities.resources.glance import GLANCE_PLUGINS
from activities.resources.neutron import NEUTRON_PLUGINS
from activities.resources.nova import NOVA_PLUGINS

OPENSTACK_PLUGINS: list[CloudPlugin] = [
    *NEUTRON_PLUGINS,
    *NOVA_PLUGINS,
    *CINDER_PLUGINS,
    *GLANCE_PLUGINS,
    *AWS_PLUGINS,
]
