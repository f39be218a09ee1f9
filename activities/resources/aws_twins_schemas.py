"""Upstream Heat 27.0.1's declared schemas of the aws_twins resource types."""

# ruff: noqa: E501
# Written by tests/conformance/dump_upstream_schemas.py: texts, defaults and order
# are upstream's, because GET /resource_types/{type} shows them verbatim.

from templates import (
    AllowedPattern,
    AllowedValues,
    AttributeSchema,
    CustomConstraint,
    PropertySchema,
    Range,
    ResourceTypeSchema,
    SupportStatus,
)

SCHEMAS: dict[str, ResourceTypeSchema] = {
    "AWS::EC2::Instance": ResourceTypeSchema(
        class_name="Instance",
        description="No description available",
        properties={
            "ImageId": PropertySchema(
                "string",
                description="Glance image ID or name.",
                required=True,
                constraints=(CustomConstraint(None, "glance.image"),),
            ),
            "InstanceType": PropertySchema(
                "string",
                description="Nova instance type (flavor).",
                required=True,
                constraints=(CustomConstraint(None, "nova.flavor"),),
                update_allowed=True,
            ),
            "KeyName": PropertySchema(
                "string",
                description="Optional Nova keypair name.",
                constraints=(CustomConstraint(None, "nova.keypair"),),
            ),
            "AvailabilityZone": PropertySchema(
                "string", description="Availability zone to launch the instance in."
            ),
            "DisableApiTermination": PropertySchema(
                "string", description="Not Implemented.", implemented=False
            ),
            "KernelId": PropertySchema("string", description="Not Implemented.", implemented=False),
            "Monitoring": PropertySchema(
                "boolean", description="Not Implemented.", implemented=False
            ),
            "PlacementGroupName": PropertySchema(
                "string", description="Not Implemented.", implemented=False
            ),
            "PrivateIpAddress": PropertySchema(
                "string", description="Not Implemented.", implemented=False
            ),
            "RamDiskId": PropertySchema(
                "string", description="Not Implemented.", implemented=False
            ),
            "SecurityGroups": PropertySchema("list", description="Security group names to assign."),
            "SecurityGroupIds": PropertySchema("list", description="Security group IDs to assign."),
            "NetworkInterfaces": PropertySchema(
                "list",
                description="Network interfaces to associate with instance.",
                update_allowed=True,
            ),
            "SourceDestCheck": PropertySchema(
                "boolean", description="Not Implemented.", implemented=False
            ),
            "SubnetId": PropertySchema(
                "string", description="Subnet ID to launch instance in.", update_allowed=True
            ),
            "Tags": PropertySchema(
                "list",
                description="Tags to attach to instance.",
                update_allowed=True,
                schema=PropertySchema(
                    "map",
                    schema={
                        "Key": PropertySchema("string", required=True),
                        "Value": PropertySchema("string", required=True),
                    },
                ),
            ),
            "NovaSchedulerHints": PropertySchema(
                "list",
                description="Scheduler hints to pass to Nova (Heat extension).",
                schema=PropertySchema(
                    "map",
                    schema={
                        "Key": PropertySchema("string", required=True),
                        "Value": PropertySchema("string", required=True),
                    },
                ),
            ),
            "Tenancy": PropertySchema(
                "string",
                description="Not Implemented.",
                constraints=(AllowedValues(None, ("dedicated", "default")),),
                implemented=False,
            ),
            "UserData": PropertySchema("string", description="User data to pass to instance."),
            "Volumes": PropertySchema(
                "list",
                description="Volumes to attach to instance.",
                default=[],
                schema=PropertySchema(
                    "map",
                    schema={
                        "Device": PropertySchema(
                            "string",
                            description="The device where the volume is exposed on the instance. This assignment may not be honored and it is advised that the path /dev/disk/by-id/virtio-<VolumeId> be used instead.",
                            required=True,
                        ),
                        "VolumeId": PropertySchema(
                            "string",
                            description="The ID of the volume to be attached.",
                            required=True,
                            constraints=(CustomConstraint(None, "cinder.volume"),),
                        ),
                    },
                ),
            ),
            "BlockDeviceMappings": PropertySchema(
                "list",
                description="Block device mappings to attach to instance.",
                schema=PropertySchema(
                    "map",
                    schema={
                        "DeviceName": PropertySchema(
                            "string",
                            description="A device name where the volume will be attached in the system at /dev/device_name.e.g. vdb",
                            required=True,
                        ),
                        "Ebs": PropertySchema(
                            "map",
                            description="The ebs volume to attach to the instance.",
                            schema={
                                "DeleteOnTermination": PropertySchema(
                                    "boolean",
                                    description="Indicate whether the volume should be deleted when the instance is terminated.",
                                    default=True,
                                ),
                                "Iops": PropertySchema(
                                    "number",
                                    description="The number of I/O operations per second that the volume supports.",
                                    implemented=False,
                                ),
                                "SnapshotId": PropertySchema(
                                    "string",
                                    description="The ID of the snapshot to create a volume from.",
                                    constraints=(CustomConstraint(None, "cinder.snapshot"),),
                                ),
                                "VolumeSize": PropertySchema(
                                    "string",
                                    description="The size of the volume, in GB. Must be equal or greater than the size of the snapshot. It is safe to leave this blank and have the Compute service infer the size.",
                                ),
                                "VolumeType": PropertySchema(
                                    "string", description="The volume type.", implemented=False
                                ),
                            },
                        ),
                        "NoDevice": PropertySchema(
                            "map",
                            description="The can be used to unmap a defined device.",
                            implemented=False,
                        ),
                        "VirtualName": PropertySchema(
                            "string",
                            description="The name of the virtual device. The name must be in the form ephemeralX where X is a number starting from zero (0); for example, ephemeral0.",
                            implemented=False,
                        ),
                    },
                ),
            ),
        },
        attributes={
            "AvailabilityZone": AttributeSchema(
                "The Availability Zone where the specified instance is launched.", type="string"
            ),
            "PrivateDnsName": AttributeSchema(
                "Private DNS name of the specified instance.", type="string"
            ),
            "PublicDnsName": AttributeSchema(
                "Public DNS name of the specified instance.", type="string"
            ),
            "PrivateIp": AttributeSchema(
                "Private IP address of the specified instance.", type="string"
            ),
            "PublicIp": AttributeSchema(
                "Public IP address of the specified instance.", type="string"
            ),
        },
    ),
    "AWS::EC2::SecurityGroup": ResourceTypeSchema(
        class_name="SecurityGroup",
        description="No description available",
        properties={
            "GroupDescription": PropertySchema(
                "string", description="Description of the security group.", required=True
            ),
            "VpcId": PropertySchema(
                "string", description="Physical ID of the VPC. Not implemented."
            ),
            "SecurityGroupIngress": PropertySchema(
                "list",
                update_allowed=True,
                schema=PropertySchema(
                    "map",
                    description="List of security group ingress rules.",
                    schema={
                        "CidrIp": PropertySchema("string"),
                        "FromPort": PropertySchema("string"),
                        "ToPort": PropertySchema("string"),
                        "IpProtocol": PropertySchema("string"),
                        "SourceSecurityGroupId": PropertySchema("string"),
                        "SourceSecurityGroupName": PropertySchema("string"),
                        "SourceSecurityGroupOwnerId": PropertySchema("string", implemented=False),
                    },
                ),
            ),
            "SecurityGroupEgress": PropertySchema(
                "list",
                update_allowed=True,
                schema=PropertySchema(
                    "map",
                    description="List of security group egress rules.",
                    schema={
                        "CidrIp": PropertySchema("string"),
                        "FromPort": PropertySchema("string"),
                        "ToPort": PropertySchema("string"),
                        "IpProtocol": PropertySchema("string"),
                        "SourceSecurityGroupId": PropertySchema("string"),
                        "SourceSecurityGroupName": PropertySchema("string"),
                        "SourceSecurityGroupOwnerId": PropertySchema("string", implemented=False),
                    },
                ),
            ),
        },
        attributes={},
    ),
    "AWS::EC2::EIP": ResourceTypeSchema(
        class_name="ElasticIp",
        description="No description available",
        properties={
            "Domain": PropertySchema(
                "string",
                description='Set to "vpc" to have IP address allocation associated to your VPC.',
                constraints=(AllowedValues(None, ("vpc",)),),
                support_status=SupportStatus(
                    status="DEPRECATED",
                    message="Now we only allow vpc here, so no need to set up this tag anymore.",
                    version="9.0.0",
                ),
            ),
            "InstanceId": PropertySchema(
                "string",
                description="Instance ID to associate with EIP.",
                constraints=(CustomConstraint(None, "nova.server"),),
                update_allowed=True,
            ),
        },
        attributes={
            "AllocationId": AttributeSchema(
                "ID that AWS assigns to represent the allocation of the address for use with Amazon VPC. Returned only for VPC elastic IP addresses.",
                type="string",
            )
        },
    ),
    "AWS::EC2::EIPAssociation": ResourceTypeSchema(
        class_name="ElasticIpAssociation",
        description="No description available",
        properties={
            "InstanceId": PropertySchema(
                "string",
                description="Instance ID to associate with EIP specified by EIP property.",
                constraints=(CustomConstraint(None, "nova.server"),),
                update_allowed=True,
            ),
            "EIP": PropertySchema(
                "string",
                description="EIP address to associate with instance.",
                constraints=(CustomConstraint(None, "ip_addr"),),
                update_allowed=True,
            ),
            "AllocationId": PropertySchema(
                "string", description="Allocation ID for VPC EIP address.", update_allowed=True
            ),
            "NetworkInterfaceId": PropertySchema(
                "string",
                description="Network interface ID to associate with EIP.",
                update_allowed=True,
            ),
        },
        attributes={},
    ),
    "AWS::EC2::Volume": ResourceTypeSchema(
        class_name="Volume",
        description="No description available",
        properties={
            "AvailabilityZone": PropertySchema(
                "string",
                description="The availability zone in which the volume will be created.",
                required=True,
                immutable=True,
            ),
            "Size": PropertySchema(
                "integer",
                description="The size of the volume in GB.",
                constraints=(Range(None, 1, None),),
                immutable=True,
            ),
            "SnapshotId": PropertySchema(
                "string",
                description="If specified, the backup used as the source to create the volume.",
                constraints=(CustomConstraint(None, "cinder.backup"),),
                immutable=True,
            ),
            "Tags": PropertySchema(
                "list",
                description="The list of tags to associate with the volume.",
                immutable=True,
                schema=PropertySchema(
                    "map",
                    schema={
                        "Key": PropertySchema("string", required=True),
                        "Value": PropertySchema("string", required=True),
                    },
                ),
            ),
        },
        attributes={},
    ),
    "AWS::EC2::VolumeAttachment": ResourceTypeSchema(
        class_name="VolumeAttachment",
        description="No description available",
        properties={
            "InstanceId": PropertySchema(
                "string",
                description="The ID of the instance to which the volume attaches.",
                required=True,
                constraints=(CustomConstraint(None, "nova.server"),),
                immutable=True,
            ),
            "VolumeId": PropertySchema(
                "string",
                description="The ID of the volume to be attached.",
                required=True,
                constraints=(CustomConstraint(None, "cinder.volume"),),
                immutable=True,
            ),
            "Device": PropertySchema(
                "string",
                description="The device where the volume is exposed on the instance. This assignment may not be honored and it is advised that the path /dev/disk/by-id/virtio-<VolumeId> be used instead.",
                required=True,
                constraints=(AllowedPattern(None, "/dev/vd[b-z]"),),
                immutable=True,
            ),
        },
        attributes={},
    ),
}
