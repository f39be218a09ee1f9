"""Upstream Heat 27.0.1's declared schemas of the glance resource types."""

# ruff: noqa: E501
# Written by tests/conformance/dump_upstream_schemas.py: texts, defaults and order
# are upstream's, because GET /resource_types/{type} shows them verbatim.

from templates import (
    AllowedPattern,
    AllowedValues,
    PropertySchema,
    Range,
    ResourceTypeSchema,
    SupportStatus,
)

SCHEMAS: dict[str, ResourceTypeSchema] = {
    "OS::Glance::WebImage": ResourceTypeSchema(
        class_name="GlanceWebImage",
        description="A resource managing images in Glance using web-download import.\n\nThis provides image support for recent Glance installation.",
        properties={
            "name": PropertySchema(
                "string",
                description="Name for the image. The name of an image is not unique to a Image Service node.",
            ),
            "id": PropertySchema(
                "string", description="The image ID. Glance will generate a UUID if not specified."
            ),
            "min_disk": PropertySchema(
                "integer",
                description="Amount of disk space (in GB) required to boot image. Default value is 0 if not specified and means no limit on the disk size.",
                default=0,
                constraints=(Range(None, 0, None),),
            ),
            "min_ram": PropertySchema(
                "integer",
                description="Amount of ram (in MB) required to boot image. Default value is 0 if not specified and means no limit on the ram size.",
                default=0,
                constraints=(Range(None, 0, None),),
            ),
            "protected": PropertySchema(
                "boolean",
                description="Whether the image can be deleted. If the value is True, the image is protected and cannot be deleted.",
                default=False,
                update_allowed=True,
            ),
            "disk_format": PropertySchema(
                "string",
                description="Disk format of image.",
                required=True,
                constraints=(
                    AllowedValues(
                        None,
                        (
                            "ami",
                            "ari",
                            "aki",
                            "vhd",
                            "vhdx",
                            "vmdk",
                            "raw",
                            "qcow2",
                            "vdi",
                            "iso",
                            "ploop",
                        ),
                    ),
                ),
            ),
            "container_format": PropertySchema(
                "string",
                description="Container format of image.",
                required=True,
                constraints=(
                    AllowedValues(None, ("ami", "ari", "aki", "bare", "ovf", "ova", "docker")),
                ),
            ),
            "location": PropertySchema(
                "string",
                description='URL where the data for this image already resides. For example, if the image data is stored in swift, you could specify "swift://example.com/container/obj".',
                required=True,
            ),
            "tags": PropertySchema("list", description="List of image tags.", update_allowed=True),
            "architecture": PropertySchema(
                "string", description="Operating system architecture.", update_allowed=True
            ),
            "kernel_id": PropertySchema(
                "string",
                description="ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.",
                constraints=(
                    AllowedPattern(
                        None,
                        "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$",
                    ),
                ),
                update_allowed=True,
            ),
            "os_distro": PropertySchema(
                "string",
                description="The common name of the operating system distribution in lowercase.",
                update_allowed=True,
            ),
            "os_version": PropertySchema(
                "string",
                description="Operating system version as specified by the distributor.",
                update_allowed=True,
            ),
            "owner": PropertySchema(
                "string", description="Owner of the image.", update_allowed=True
            ),
            "extra_properties": PropertySchema(
                "map",
                description="Arbitrary properties to associate with the image.",
                default={},
                update_allowed=True,
                support_status=SupportStatus(status="SUPPORTED", version="17.0.0"),
            ),
            "visibility": PropertySchema(
                "string",
                description="Scope of image accessibility.",
                default="private",
                constraints=(AllowedValues(None, ("public", "private", "community", "shared")),),
                update_allowed=True,
            ),
            "ramdisk_id": PropertySchema(
                "string",
                description="ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.",
                constraints=(
                    AllowedPattern(
                        None,
                        "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$",
                    ),
                ),
                update_allowed=True,
            ),
            "active": PropertySchema(
                "boolean",
                description="Activate or deactivate the image. Requires Admin Access.",
                default=True,
                update_allowed=True,
                support_status=SupportStatus(status="SUPPORTED", version="16.0.0"),
            ),
            "members": PropertySchema(
                "list",
                description="List of additional members that are permitted to read the image. This may be a Keystone Project IDs or User IDs, depending on the Glance configuration in use.",
                update_allowed=True,
                schema=PropertySchema(
                    "string",
                    description="A member ID. This may be a Keystone Project ID or User ID, depending on the Glance configuration in use.",
                ),
                support_status=SupportStatus(status="SUPPORTED", version="16.0.0"),
            ),
        },
        attributes={},
        support_status=SupportStatus(status="SUPPORTED", version="12.0.0"),
    ),
}
