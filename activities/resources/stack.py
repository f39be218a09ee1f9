"""Types carried out as nested stacks: declared here, run by workflows/nested.py.

Their actions never reach an activity: the operation workflow starts and operates the
child stack's entity workflow, so the parent's wait for it is a signal, not polling.
"""

from __future__ import annotations

from activities.resources.base import ResourcePlugin
from activities.resources.group_types import (
    AUTO_SCALING_GROUP_SCHEMA,
    RESOURCE_CHAIN_SCHEMA,
    RESOURCE_GROUP_SCHEMA,
    SCALING_POLICY_SCHEMA,
)
from activities.resources.heat_types import STACK_SCHEMA
from activities.resources.software_types import (
    SOFTWARE_DEPLOYMENT_GROUP_SCHEMA,
    SOFTWARE_DEPLOYMENTS_SCHEMA,
    STRUCTURED_DEPLOYMENT_GROUP_SCHEMA,
    STRUCTURED_DEPLOYMENTS_SCHEMA,
)


class StackResource(ResourcePlugin):
    """OS::Heat::Stack: a stack made from the `template` property."""

    type_name = "OS::Heat::Stack"
    schema = STACK_SCHEMA
    runs_in_workflow = True


class ResourceGroup(ResourcePlugin):
    """OS::Heat::ResourceGroup: `count` copies of `resource_def`, in a nested stack."""

    type_name = "OS::Heat::ResourceGroup"
    schema = RESOURCE_GROUP_SCHEMA
    runs_in_workflow = True


class ResourceChain(ResourcePlugin):
    """OS::Heat::ResourceChain: one resource per listed type, each after the one before."""

    type_name = "OS::Heat::ResourceChain"
    schema = RESOURCE_CHAIN_SCHEMA
    runs_in_workflow = True


class AutoScalingGroup(ResourcePlugin):
    """OS::Heat::AutoScalingGroup: `resource` copies between min_size and max_size, resized by
    its scaling policies' signals."""

    type_name = "OS::Heat::AutoScalingGroup"
    schema = AUTO_SCALING_GROUP_SCHEMA
    runs_in_workflow = True


class ScalingPolicy(ResourcePlugin):
    """OS::Heat::ScalingPolicy: a signal resizes its group (workflows/scaling.py)."""

    type_name = "OS::Heat::ScalingPolicy"
    schema = SCALING_POLICY_SCHEMA
    runs_in_workflow = True
    accepts_signals = True


class SoftwareDeploymentGroup(ResourcePlugin):
    """OS::Heat::SoftwareDeploymentGroup: one deployment per server of `servers`."""

    type_name = "OS::Heat::SoftwareDeploymentGroup"
    schema = SOFTWARE_DEPLOYMENT_GROUP_SCHEMA
    runs_in_workflow = True


class StructuredDeploymentGroup(ResourcePlugin):
    type_name = "OS::Heat::StructuredDeploymentGroup"
    schema = STRUCTURED_DEPLOYMENT_GROUP_SCHEMA
    runs_in_workflow = True


class SoftwareDeployments(SoftwareDeploymentGroup):
    """OS::Heat::SoftwareDeployments: SoftwareDeploymentGroup's hidden old name. Templates
    using it still work; it is neither listed nor shown, as upstream."""

    type_name = "OS::Heat::SoftwareDeployments"
    schema = SOFTWARE_DEPLOYMENTS_SCHEMA
    substitute_type = "OS::Heat::SoftwareDeploymentGroup"


class StructuredDeployments(StructuredDeploymentGroup):
    """OS::Heat::StructuredDeployments: StructuredDeploymentGroup's hidden old name."""

    type_name = "OS::Heat::StructuredDeployments"
    schema = STRUCTURED_DEPLOYMENTS_SCHEMA
    substitute_type = "OS::Heat::StructuredDeploymentGroup"


NESTED_STACK_PLUGINS: tuple[ResourcePlugin, ...] = (
    SoftwareDeploymentGroup(),
    StructuredDeploymentGroup(),
    SoftwareDeployments(),
    StructuredDeployments(),
    StackResource(),
    ResourceGroup(),
    ResourceChain(),
    AutoScalingGroup(),
    ScalingPolicy(),
)
