"""Upstream Heat 27.0.1's declared schemas of the cinder resource types."""

# ruff: noqa: E501
# Written by tests/conformance/dump_upstream_schemas.py: texts, defaults and order
# are upstream's, because GET /resource_types/{type} shows them verbatim.

from templates import (
    AttributeSchema,
    CustomConstraint,
    PropertySchema,
    Range,
    ResourceTypeSchema,
    SupportStatus,
)

SCHEMAS: dict[str, ResourceTypeSchema] = {
    "OS::Cinder::Volume": ResourceTypeSchema(
        class_name="CinderVolume",
        description="A resource that implements Cinder volumes.\n\nCinder volume is a storage in the form of block devices. It can be used,\nfor example, for providing storage to instance. Volume supports creation\nfrom snapshot, backup or image. Also volume can be created only by size.",
        properties={
            "availability_zone": PropertySchema(
                "string", description="The availability zone in which the volume will be created."
            ),
            "size": PropertySchema(
                "integer",
                description="The size of the volume in GB. On update only increase in size is supported. This property is required unless property backup_id or source_volid or snapshot_id is specified.",
                constraints=(Range(None, 1, None),),
                update_allowed=True,
            ),
            "snapshot_id": PropertySchema(
                "string",
                description="If specified, the snapshot to create the volume from.",
                constraints=(CustomConstraint(None, "cinder.snapshot"),),
            ),
            "backup_id": PropertySchema(
                "string",
                description="If specified, the backup to create the volume from.",
                constraints=(CustomConstraint(None, "cinder.backup"),),
                update_allowed=True,
            ),
            "name": PropertySchema(
                "string", description="A name used to distinguish the volume.", update_allowed=True
            ),
            "description": PropertySchema(
                "string", description="A description of the volume.", update_allowed=True
            ),
            "volume_type": PropertySchema(
                "string",
                description="If specified, the type of volume to use, mapping to a specific backend.",
                constraints=(CustomConstraint(None, "cinder.vtype"),),
                update_allowed=True,
            ),
            "metadata": PropertySchema(
                "map",
                description="Key/value pairs to associate with the volume.",
                default={},
                update_allowed=True,
            ),
            "imageRef": PropertySchema(
                "string",
                description="The ID of the image to create the volume from.",
                support_status=SupportStatus(
                    status="HIDDEN",
                    message="Use property image.",
                    version="5.0.0",
                    previous_status=SupportStatus(status="DEPRECATED", version="2014.1"),
                ),
            ),
            "image": PropertySchema(
                "string",
                description="If specified, the name or ID of the image to create the volume from.",
                constraints=(CustomConstraint(None, "glance.image"),),
            ),
            "source_volid": PropertySchema(
                "string",
                description="If specified, the volume to use as source.",
                constraints=(CustomConstraint(None, "cinder.volume"),),
            ),
            "scheduler_hints": PropertySchema(
                "map",
                description="Arbitrary key-value pairs specified by the client to help the Cinder scheduler creating a volume.",
                support_status=SupportStatus(status="SUPPORTED", version="2015.1"),
            ),
            "read_only": PropertySchema(
                "boolean",
                description="Enables or disables read-only access mode of volume.",
                update_allowed=True,
                support_status=SupportStatus(status="SUPPORTED", version="5.0.0"),
            ),
            "multiattach": PropertySchema(
                "boolean",
                description="Whether allow the volume to be attached more than once.",
                default=False,
                support_status=SupportStatus(
                    status="HIDDEN",
                    version="13.0.0",
                    previous_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
                ),
            ),
        },
        attributes={
            "availability_zone": AttributeSchema(
                "The availability zone in which the volume is located.", type="string"
            ),
            "size": AttributeSchema("The size of the volume in GB.", type="string"),
            "snapshot_id": AttributeSchema(
                "The snapshot the volume was created from, if any.", type="string"
            ),
            "display_name": AttributeSchema("Name of the volume.", type="string"),
            "display_description": AttributeSchema("Description of the volume.", type="string"),
            "volume_type": AttributeSchema(
                "The type of the volume mapping to a backend, if any.", type="string"
            ),
            "metadata": AttributeSchema(
                "Key/value pairs associated with the volume.", type="string"
            ),
            "source_volid": AttributeSchema("The volume used as source, if any.", type="string"),
            "status": AttributeSchema("The current status of the volume.", type="string"),
            "created_at": AttributeSchema(
                "The timestamp indicating volume creation.", type="string"
            ),
            "bootable": AttributeSchema(
                "Boolean indicating if the volume can be booted or not.", type="string"
            ),
            "metadata_values": AttributeSchema(
                "Key/value pairs associated with the volume in raw dict form.", type="map"
            ),
            "encrypted": AttributeSchema(
                "Boolean indicating if the volume is encrypted or not.", type="string"
            ),
            "attachments": AttributeSchema(
                "A string representation of the list of attachments of the volume.",
                type="string",
                support_status=SupportStatus(
                    status="DEPRECATED",
                    message="Use property attachments_list.",
                    version="9.0.0",
                    previous_status=SupportStatus(status="SUPPORTED", version="2015.1"),
                ),
            ),
            "attachments_list": AttributeSchema(
                "The list of attachments of the volume.",
                type="list",
                support_status=SupportStatus(status="SUPPORTED", version="9.0.0"),
            ),
            "multiattach": AttributeSchema(
                "Boolean indicating whether allow the volume to be attached more than once.",
                type="boolean",
                support_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
            ),
        },
    ),
    "OS::Cinder::VolumeAttachment": ResourceTypeSchema(
        class_name="CinderVolumeAttachment",
        description="Resource for associating volume to instance.\n\nResource for associating existing volume to instance. Also, the location\nwhere the volume is exposed on the instance can be specified.",
        properties={
            "instance_uuid": PropertySchema(
                "string",
                description="The ID of the server to which the volume attaches.",
                required=True,
                update_allowed=True,
            ),
            "volume_id": PropertySchema(
                "string",
                description="The ID of the volume to be attached.",
                required=True,
                constraints=(CustomConstraint(None, "cinder.volume"),),
                update_allowed=True,
            ),
            "mountpoint": PropertySchema(
                "string",
                description="The location where the volume is exposed on the instance. This assignment may not be honored and it is advised that the path /dev/disk/by-id/virtio-<VolumeId> be used instead.",
                update_allowed=True,
            ),
        },
        attributes={},
    ),
    "OS::Cinder::VolumeType": ResourceTypeSchema(
        class_name="CinderVolumeType",
        description="A resource for creating cinder volume types.\n\nVolume type resource allows to define, whether volume, which will be use\nthis type, will public and which projects are allowed to work with it.\nAlso, there can be some user-defined metadata.\n\nNote that default cinder security policy usage of this resource\nis limited to being used by administrators only.",
        properties={
            "name": PropertySchema(
                "string",
                description="Name of the volume type.",
                required=True,
                update_allowed=True,
            ),
            "metadata": PropertySchema(
                "map",
                description="The extra specs key and value pairs of the volume type.",
                update_allowed=True,
            ),
            "is_public": PropertySchema(
                "boolean",
                description="Whether the volume type is accessible to the public.",
                default=True,
                update_allowed=True,
                support_status=SupportStatus(status="SUPPORTED", version="5.0.0"),
            ),
            "description": PropertySchema(
                "string",
                description="Description of the volume type.",
                update_allowed=True,
                support_status=SupportStatus(status="SUPPORTED", version="5.0.0"),
            ),
            "projects": PropertySchema(
                "list",
                description="Projects to add volume type access to. NOTE: This property is only supported since Cinder API V2.",
                default=[],
                update_allowed=True,
                schema=PropertySchema(
                    "string", constraints=(CustomConstraint(None, "keystone.project"),)
                ),
                support_status=SupportStatus(status="SUPPORTED", version="5.0.0"),
            ),
        },
        attributes={},
        support_status=SupportStatus(status="SUPPORTED", version="2015.1"),
    ),
}
