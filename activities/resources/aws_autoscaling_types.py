"""Declared schemas of the AWS-style scaling types (upstream 27.0.1's texts): InstanceGroup,
AWS::AutoScaling::AutoScalingGroup, LaunchConfiguration and ScalingPolicy."""

from __future__ import annotations

from templates import (
    AllowedValues,
    AttributeSchema,
    CustomConstraint,
    PropertySchema,
    Range,
    ResourceTypeSchema,
    SupportStatus,
)

# Upstream 27 deprecates the AWS-compatible types.
_AWS_DEPRECATED = SupportStatus(
    status="DEPRECATED",
    version="27.0.0",
    message="AWS-compatible resources are deprecated",
    previous_status=SupportStatus(version="2014.1"),
)
_TAGS = PropertySchema(
    "list",
    "Tags to attach to this group.",
    schema=PropertySchema(
        "map",
        schema={
            "Key": PropertySchema("string", required=True),
            "Value": PropertySchema("string", required=True),
        },
    ),
)
_INSTANCE_LIST = AttributeSchema(
    "A comma-delimited list of server ip addresses. (Heat extension).", "string"
)
_AVAILABILITY_ZONES = PropertySchema("list", "Not Implemented.", required=True)
_LOAD_BALANCER_NAMES = PropertySchema("list", "List of LoadBalancer resources.")
_LAUNCH_CONFIGURATION = "The reference to a LaunchConfiguration resource."

INSTANCE_GROUP_SCHEMA = ResourceTypeSchema(
    class_name="InstanceGroup",
    description=(
        "An instance group that can scale arbitrary instances.\n"
        "\n"
        "A resource allowing for the creating number of defined with\n"
        "AWS::AutoScaling::LaunchConfiguration instances. Allows to associate scaled\n"
        "resources with loadbalancer resources."
    ),
    properties={
        "AvailabilityZones": _AVAILABILITY_ZONES,
        "LaunchConfigurationName": PropertySchema(
            "string", _LAUNCH_CONFIGURATION, required=True, update_allowed=True
        ),
        "Size": PropertySchema(
            "integer", "Desired number of instances.", required=True, update_allowed=True
        ),
        "LoadBalancerNames": _LOAD_BALANCER_NAMES,
        "Tags": _TAGS,
    },
    attributes={"InstanceList": _INSTANCE_LIST},
)

AWS_AUTO_SCALING_GROUP_SCHEMA = ResourceTypeSchema(
    class_name="AutoScalingGroup",
    description="No description available",
    support_status=_AWS_DEPRECATED,
    properties={
        "AvailabilityZones": _AVAILABILITY_ZONES,
        "LaunchConfigurationName": PropertySchema(
            "string", _LAUNCH_CONFIGURATION, update_allowed=True
        ),
        "InstanceId": PropertySchema(
            "string",
            "The ID of an existing instance to use to create the Auto Scaling group. If "
            "specify this property, will create the group use an existing instance instead "
            "of a launch configuration.",
            constraints=(CustomConstraint(None, "nova.server"),),
        ),
        "MaxSize": PropertySchema(
            "integer",
            "Maximum number of instances in the group.",
            required=True,
            update_allowed=True,
        ),
        "MinSize": PropertySchema(
            "integer",
            "Minimum number of instances in the group.",
            required=True,
            update_allowed=True,
        ),
        "Cooldown": PropertySchema("integer", "Cooldown period, in seconds.", update_allowed=True),
        "DesiredCapacity": PropertySchema(
            "integer", "Desired initial number of instances.", update_allowed=True
        ),
        "HealthCheckGracePeriod": PropertySchema("integer", "Not Implemented.", implemented=False),
        "HealthCheckType": PropertySchema(
            "string",
            "Not Implemented.",
            constraints=(AllowedValues(None, ("EC2", "ELB")),),
            implemented=False,
        ),
        "LoadBalancerNames": _LOAD_BALANCER_NAMES,
        "VPCZoneIdentifier": PropertySchema(
            "list",
            "Use only with Neutron, to list the internal subnet to which the instance will be "
            "attached; needed only if multiple exist; list length must be exactly 1.",
            schema=PropertySchema(
                "string", "UUID of the internal subnet to which the instance will be attached."
            ),
        ),
        "Tags": _TAGS,
    },
    attributes={"InstanceList": _INSTANCE_LIST},
)

LAUNCH_CONFIGURATION_SCHEMA = ResourceTypeSchema(
    class_name="LaunchConfiguration",
    description="No description available",
    support_status=_AWS_DEPRECATED,
    properties={
        "ImageId": PropertySchema(
            "string",
            "Glance image ID or name.",
            constraints=(CustomConstraint(None, "glance.image"),),
        ),
        "InstanceType": PropertySchema(
            "string",
            "Nova instance type (flavor).",
            constraints=(CustomConstraint(None, "nova.flavor"),),
        ),
        "InstanceId": PropertySchema(
            "string",
            "The ID of an existing instance you want to use to create the launch "
            "configuration. All properties are derived from the instance with the exception "
            "of BlockDeviceMapping.",
            constraints=(CustomConstraint(None, "nova.server"),),
        ),
        "KeyName": PropertySchema(
            "string",
            "Optional Nova keypair name.",
            constraints=(CustomConstraint(None, "nova.keypair"),),
        ),
        "UserData": PropertySchema("string", "User data to pass to instance."),
        "SecurityGroups": PropertySchema("list", "Security group names to assign."),
        "KernelId": PropertySchema("string", "Not Implemented.", implemented=False),
        "RamDiskId": PropertySchema("string", "Not Implemented.", implemented=False),
        "BlockDeviceMappings": PropertySchema(
            "list",
            "Block device mappings to attach to instance.",
            schema=PropertySchema(
                "map",
                schema={
                    "DeviceName": PropertySchema(
                        "string",
                        "A device name where the volume will be attached in the system at "
                        "/dev/device_name.e.g. vdb",
                        required=True,
                    ),
                    "Ebs": PropertySchema(
                        "map",
                        "The ebs volume to attach to the instance.",
                        schema={
                            "DeleteOnTermination": PropertySchema(
                                "boolean",
                                "Indicate whether the volume should be deleted when the "
                                "instance is terminated.",
                                default=True,
                            ),
                            "Iops": PropertySchema(
                                "number",
                                "The number of I/O operations per second that the volume supports.",
                                implemented=False,
                            ),
                            "SnapshotId": PropertySchema(
                                "string",
                                "The ID of the snapshot to create a volume from.",
                                constraints=(CustomConstraint(None, "cinder.snapshot"),),
                            ),
                            "VolumeSize": PropertySchema(
                                "string",
                                "The size of the volume, in GB. Must be equal or greater than "
                                "the size of the snapshot. It is safe to leave this blank and "
                                "have the Compute service infer the size.",
                            ),
                            "VolumeType": PropertySchema(
                                "string", "The volume type.", implemented=False
                            ),
                        },
                    ),
                    "NoDevice": PropertySchema(
                        "map", "The can be used to unmap a defined device.", implemented=False
                    ),
                    "VirtualName": PropertySchema(
                        "string",
                        "The name of the virtual device. The name must be in the form "
                        "ephemeralX where X is a number starting from zero (0); for example, "
                        "ephemeral0.",
                        implemented=False,
                    ),
                },
            ),
        ),
        "NovaSchedulerHints": PropertySchema(
            "list",
            "Scheduler hints to pass to Nova (Heat extension).",
            schema=PropertySchema(
                "map",
                schema={
                    "Key": PropertySchema("string", required=True),
                    "Value": PropertySchema("string", required=True),
                },
            ),
        ),
    },
)

AWS_ADJUSTMENT_TYPES = ("ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity")

AWS_SCALING_POLICY_SCHEMA = ResourceTypeSchema(
    class_name="AWSScalingPolicy",
    description="No description available",
    support_status=_AWS_DEPRECATED,
    properties={
        "AutoScalingGroupName": PropertySchema(
            "string", "AutoScaling group name to apply policy to.", required=True
        ),
        "ScalingAdjustment": PropertySchema(
            "integer", "Size of adjustment.", required=True, update_allowed=True
        ),
        "AdjustmentType": PropertySchema(
            "string",
            "Type of adjustment (absolute or percentage).",
            required=True,
            update_allowed=True,
            constraints=(AllowedValues(None, AWS_ADJUSTMENT_TYPES),),
        ),
        "Cooldown": PropertySchema("integer", "Cooldown period, in seconds.", update_allowed=True),
        "MinAdjustmentStep": PropertySchema(
            "integer",
            "Minimum number of resources that are added or removed when the AutoScaling group "
            "scales up or down. This can be used only when specifying PercentChangeInCapacity "
            "for the AdjustmentType property.",
            update_allowed=True,
            constraints=(Range(None, 0, None),),
        ),
    },
    attributes={
        "AlarmUrl": AttributeSchema(
            "A signed url to handle the alarm. (Heat extension).", "string"
        ),
    },
)
