"""AWS::AutoScaling::LaunchConfiguration: the member definition its groups are made from.

The groups (OS::Heat::InstanceGroup, AWS::AutoScaling::AutoScalingGroup) and the AWS scaling
policy run in the workflow (workflows/nested.py, workflows/waits.py); a launch configuration
makes nothing: its properties are read by the groups that reference it.
"""

from __future__ import annotations

from activities.resources.aws_autoscaling_types import (
    AWS_AUTO_SCALING_GROUP_SCHEMA,
    AWS_SCALING_POLICY_SCHEMA,
    INSTANCE_GROUP_SCHEMA,
    LAUNCH_CONFIGURATION_SCHEMA,
)
from activities.resources.base import ResourceFailure, ResourcePlugin
from activities.types import ActionResult, ResourceActionRequest


class LaunchConfiguration(ResourcePlugin):
    """Its reference is its physical name, as upstream's physical_resource_name_or_FnGetRefId."""

    type_name = "AWS::AutoScaling::LaunchConfiguration"
    schema = LAUNCH_CONFIGURATION_SCHEMA
    in_engine = True

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        if not props.get("InstanceId") and not (props.get("ImageId") and props.get("InstanceType")):
            raise ResourceFailure(
                "If without InstanceId, ImageId and InstanceType are required.",
                "StackValidationFailed",
            )
        for mapping in props.get("BlockDeviceMappings") or []:
            ebs = (mapping or {}).get("Ebs")
            if not ebs:
                raise ResourceFailure(
                    "Ebs is missing, this is required when specifying BlockDeviceMappings.",
                    "StackValidationFailed",
                )
            if not ebs.get("SnapshotId"):
                raise ResourceFailure(
                    "SnapshotId is missing, this is required when specifying BlockDeviceMappings.",
                    "StackValidationFailed",
                )
        return ActionResult(physical_id=request.physical_name, reference_id=request.physical_name)

    async def adopt(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult(physical_id=request.physical_id, reference_id=request.physical_id)


class InstanceGroup(ResourcePlugin):
    """OS::Heat::InstanceGroup: Size copies of its launch configuration's instance."""

    type_name = "OS::Heat::InstanceGroup"
    schema = INSTANCE_GROUP_SCHEMA
    runs_in_workflow = True


class AwsAutoScalingGroup(ResourcePlugin):
    """AWS::AutoScaling::AutoScalingGroup: MinSize..MaxSize copies, resized by its policies."""

    type_name = "AWS::AutoScaling::AutoScalingGroup"
    schema = AWS_AUTO_SCALING_GROUP_SCHEMA
    runs_in_workflow = True


class AwsScalingPolicy(ResourcePlugin):
    """AWS::AutoScaling::ScalingPolicy: its AlarmUrl (and reference) resizes its group."""

    type_name = "AWS::AutoScaling::ScalingPolicy"
    schema = AWS_SCALING_POLICY_SCHEMA
    runs_in_workflow = True
    accepts_signals = True


AWS_SCALING_PLUGINS: tuple[ResourcePlugin, ...] = (
    LaunchConfiguration(),
    InstanceGroup(),
    AwsAutoScalingGroup(),
    AwsScalingPolicy(),
)
