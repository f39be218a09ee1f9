"""Upstream Heat 27.0.1's declared schemas of the nova resource types."""

# ruff: noqa: E501
# Written by tests/conformance/dump_upstream_schemas.py: texts, defaults and order
# are upstream's, because GET /resource_types/{type} shows them verbatim.

from templates import (
    AllowedValues,
    AttributeSchema,
    CustomConstraint,
    Length,
    PropertySchema,
    Range,
    ResourceTypeSchema,
    SupportStatus,
)

SCHEMAS: dict[str, ResourceTypeSchema] = {
    "OS::Nova::Server": ResourceTypeSchema(
        class_name="Server",
        description="A resource for managing Nova instances.\n\nA Server resource manages the running virtual machine instance within an\nOpenStack cloud.",
        properties={
            "name": PropertySchema("string", description="Server name.", update_allowed=True),
            "image": PropertySchema(
                "string",
                description="The ID or name of the image to boot with.",
                constraints=(CustomConstraint(None, "glance.image"),),
                update_allowed=True,
            ),
            "block_device_mapping": PropertySchema(
                "list",
                description="Block device mappings for this server.",
                schema=PropertySchema(
                    "map",
                    schema={
                        "device_name": PropertySchema(
                            "string",
                            description="A device name where the volume will be attached in the system at /dev/device_name. This value is typically vda.",
                            required=True,
                        ),
                        "volume_id": PropertySchema(
                            "string",
                            description="The ID of the volume to boot from. Only one of volume_id or snapshot_id should be provided.",
                            constraints=(CustomConstraint(None, "cinder.volume"),),
                        ),
                        "snapshot_id": PropertySchema(
                            "string",
                            description="The ID of the snapshot to create a volume from.",
                            constraints=(CustomConstraint(None, "cinder.snapshot"),),
                        ),
                        "volume_size": PropertySchema(
                            "integer",
                            description="The size of the volume, in GB. It is safe to leave this blank and have the Compute service infer the size.",
                        ),
                        "delete_on_termination": PropertySchema(
                            "boolean",
                            description="Indicate whether the volume should be deleted when the server is terminated.",
                        ),
                    },
                ),
            ),
            "block_device_mapping_v2": PropertySchema(
                "list",
                description="Block device mappings v2 for this server.",
                schema=PropertySchema(
                    "map",
                    schema={
                        "device_name": PropertySchema(
                            "string",
                            description="A device name where the volume will be attached in the system at /dev/device_name. This value is typically vda.",
                        ),
                        "volume_id": PropertySchema(
                            "string",
                            description="The volume_id can be boot or non-boot device to the server.",
                            constraints=(CustomConstraint(None, "cinder.volume"),),
                        ),
                        "image_id": PropertySchema(
                            "string",
                            description="The ID of the image to create a volume from.",
                            constraints=(CustomConstraint(None, "glance.image"),),
                            support_status=SupportStatus(
                                status="HIDDEN",
                                message="Use property image.",
                                version="9.0.0",
                                previous_status=SupportStatus(
                                    status="DEPRECATED",
                                    version="7.0.0",
                                    previous_status=SupportStatus(
                                        status="SUPPORTED", version="5.0.0"
                                    ),
                                ),
                            ),
                        ),
                        "image": PropertySchema(
                            "string",
                            description="The ID or name of the image to create a volume from.",
                            constraints=(CustomConstraint(None, "glance.image"),),
                            support_status=SupportStatus(status="SUPPORTED", version="7.0.0"),
                        ),
                        "snapshot_id": PropertySchema(
                            "string",
                            description="The ID of the snapshot to create a volume from.",
                            constraints=(CustomConstraint(None, "cinder.snapshot"),),
                        ),
                        "swap_size": PropertySchema(
                            "integer", description="The size of the swap, in MB."
                        ),
                        "ephemeral_size": PropertySchema(
                            "integer",
                            description="The size of the local ephemeral block device, in GB.",
                            constraints=(Range(None, 1, None),),
                            support_status=SupportStatus(status="SUPPORTED", version="8.0.0"),
                        ),
                        "ephemeral_format": PropertySchema(
                            "string",
                            description="The format of the local ephemeral block device. If no format is specified, uses default value, defined in nova configuration file.",
                            constraints=(
                                AllowedValues(None, ("ext2", "ext3", "ext4", "xfs", "ntfs")),
                            ),
                            support_status=SupportStatus(status="SUPPORTED", version="8.0.0"),
                        ),
                        "device_type": PropertySchema(
                            "string",
                            description="Device type: at the moment we can make distinction only between disk and cdrom.",
                            constraints=(AllowedValues(None, ("cdrom", "disk")),),
                        ),
                        "disk_bus": PropertySchema(
                            "string",
                            description="Bus of the device: hypervisor driver chooses a suitable default if omitted.",
                            constraints=(
                                AllowedValues(
                                    None, ("ide", "lame_bus", "sata", "scsi", "usb", "virtio")
                                ),
                            ),
                        ),
                        "boot_index": PropertySchema(
                            "integer",
                            description='Integer used for ordering the boot disks. If it is not specified, value "0" will be set for bootable sources (volume, snapshot, image); value "-1" will be set for non-bootable sources.',
                        ),
                        "volume_size": PropertySchema(
                            "integer",
                            description="Size of the block device in GB. If it is omitted, hypervisor driver calculates size.",
                        ),
                        "delete_on_termination": PropertySchema(
                            "boolean",
                            description='Indicate whether the volume should be deleted when the server is terminated. Defaults to "False" in case of a volume, snapshot or image and to "True" in case of swap or ephemeral.',
                        ),
                        "volume_type": PropertySchema(
                            "string",
                            description="The type of volume to use when creating a volume from image, snapshot, or blank source. Maps to a specific Cinder backend. Requires Nova API microversion 2.67 or later.",
                            constraints=(CustomConstraint(None, "cinder.vtype"),),
                            support_status=SupportStatus(status="SUPPORTED", version="26.0.0"),
                        ),
                    },
                ),
                support_status=SupportStatus(status="SUPPORTED", version="2015.1"),
            ),
            "flavor": PropertySchema(
                "string",
                description="The ID or name of the flavor to boot onto.",
                required=True,
                constraints=(CustomConstraint(None, "nova.flavor"),),
                update_allowed=True,
            ),
            "flavor_update_policy": PropertySchema(
                "string",
                description="Policy on how to apply a flavor update; either by requesting a server resize or by replacing the entire server.",
                default="RESIZE",
                constraints=(AllowedValues(None, ("RESIZE", "REPLACE")),),
                update_allowed=True,
            ),
            "image_update_policy": PropertySchema(
                "string",
                description="Policy on how to apply an image-id update; either by requesting a server rebuild or by replacing the entire server.",
                default="REBUILD",
                constraints=(
                    AllowedValues(None, ("REBUILD", "REPLACE", "REBUILD_PRESERVE_EPHEMERAL")),
                ),
                update_allowed=True,
            ),
            "key_name": PropertySchema(
                "string",
                description="Name of keypair to inject into the server.",
                constraints=(CustomConstraint(None, "nova.keypair"),),
            ),
            "admin_user": PropertySchema(
                "string",
                description="Name of the administrative user to use on the server.",
                support_status=SupportStatus(
                    status="HIDDEN",
                    message='The default cloud-init user set up for each image (e.g. "ubuntu" for Ubuntu 12.04+, "fedora" for Fedora 19+ and "cloud-user" for CentOS/RHEL 6.5).',
                    version="5.0.0",
                    previous_status=SupportStatus(
                        status="DEPRECATED",
                        version="2014.1",
                        previous_status=SupportStatus(status="SUPPORTED", version="2013.2"),
                    ),
                ),
            ),
            "availability_zone": PropertySchema(
                "string", description="Name of the availability zone for server placement."
            ),
            "security_groups": PropertySchema(
                "list",
                description="List of security group names or IDs. Cannot be used if neutron ports are associated with this server; assign security groups to the ports instead.",
                default=[],
            ),
            "networks": PropertySchema(
                "list",
                description="An ordered list of nics to be added to this server, with information about connected networks, fixed ips, port etc.",
                update_allowed=True,
                schema=PropertySchema(
                    "map",
                    schema={
                        "uuid": PropertySchema(
                            "string",
                            description="ID of network to create a port on.",
                            constraints=(CustomConstraint(None, "neutron.network"),),
                            support_status=SupportStatus(
                                status="HIDDEN",
                                version="5.0.0",
                                previous_status=SupportStatus(
                                    status="DEPRECATED",
                                    message="Use property network.",
                                    version="2014.1",
                                ),
                            ),
                        ),
                        "network": PropertySchema(
                            "string",
                            description="Name or ID of network to create a port on.",
                            constraints=(CustomConstraint(None, "neutron.network"),),
                        ),
                        "allocate_network": PropertySchema(
                            "string",
                            description='The special string values of network, auto: means either a network that is already available to the project will be used, or if one does not exist, will be automatically created for the project; none: means no networking will be allocated for the created server. Supported by Nova API since version "2.37". This property can not be used with other network keys.',
                            constraints=(AllowedValues(None, ("none", "auto")),),
                            update_allowed=True,
                            support_status=SupportStatus(status="SUPPORTED", version="9.0.0"),
                        ),
                        "fixed_ip": PropertySchema(
                            "string",
                            description="Fixed IP address to specify for the port created on the requested network.",
                            constraints=(CustomConstraint(None, "ip_addr"),),
                        ),
                        "port": PropertySchema(
                            "string",
                            description="ID of an existing port to associate with this server.",
                            constraints=(CustomConstraint(None, "neutron.port"),),
                        ),
                        "port_extra_properties": PropertySchema(
                            "map",
                            description="Dict, which has expand properties for port. Used only if port property is not specified for creating port.",
                            update_allowed=True,
                            schema={
                                "value_specs": PropertySchema(
                                    "map",
                                    description="Extra parameters to include in the request.",
                                    default={},
                                    update_allowed=True,
                                ),
                                "admin_state_up": PropertySchema(
                                    "boolean",
                                    description="The administrative state of this port.",
                                    default=True,
                                    update_allowed=True,
                                ),
                                "mac_address": PropertySchema(
                                    "string",
                                    description="MAC address to give to this port. The default update policy of this property in neutron is that allow admin role only.",
                                    constraints=(CustomConstraint(None, "mac_addr"),),
                                ),
                                "allowed_address_pairs": PropertySchema(
                                    "list",
                                    description="Additional MAC/IP address pairs allowed to pass through the port.",
                                    update_allowed=True,
                                    schema=PropertySchema(
                                        "map",
                                        schema={
                                            "mac_address": PropertySchema(
                                                "string",
                                                description="MAC address to allow through this port.",
                                                constraints=(CustomConstraint(None, "mac_addr"),),
                                            ),
                                            "ip_address": PropertySchema(
                                                "string",
                                                description="IP address to allow through this port.",
                                                required=True,
                                                constraints=(CustomConstraint(None, "ip_or_cidr"),),
                                            ),
                                        },
                                    ),
                                ),
                                "binding:vnic_type": PropertySchema(
                                    "string",
                                    description="The vnic type to be bound on the neutron port. To support SR-IOV PCI passthrough networking, you can request that the neutron port to be realized as normal (virtual nic), direct (pci passthrough), or macvtap (virtual interface with a tap-like software interface). Note that this only works for Neutron deployments that support the bindings extension.",
                                    default="normal",
                                    constraints=(
                                        AllowedValues(
                                            None,
                                            (
                                                "normal",
                                                "direct",
                                                "macvtap",
                                                "direct-physical",
                                                "baremetal",
                                                "virtio-forwarder",
                                                "smart-nic",
                                            ),
                                        ),
                                    ),
                                    update_allowed=True,
                                    support_status=SupportStatus(
                                        status="SUPPORTED", version="2015.1"
                                    ),
                                ),
                                "port_security_enabled": PropertySchema(
                                    "boolean",
                                    description="Flag to enable/disable port security on the port. When disable this feature(set it to False), there will be no packages filtering, like security-group and address-pairs.",
                                    update_allowed=True,
                                    support_status=SupportStatus(
                                        status="SUPPORTED", version="5.0.0"
                                    ),
                                ),
                                "qos_policy": PropertySchema(
                                    "string",
                                    description="The name or ID of QoS policy to attach to this port.",
                                    constraints=(CustomConstraint(None, "neutron.qos_policy"),),
                                    update_allowed=True,
                                    support_status=SupportStatus(
                                        status="SUPPORTED", version="6.0.0"
                                    ),
                                ),
                                "propagate_uplink_status": PropertySchema(
                                    "boolean",
                                    description="Flag to enable/disable propagate uplink status on the port.",
                                    update_allowed=True,
                                    support_status=SupportStatus(
                                        status="SUPPORTED", version="15.0.0"
                                    ),
                                ),
                                "no_fixed_ips": PropertySchema(
                                    "boolean",
                                    description="Flag to disable all fixed ips on the port.",
                                    default=False,
                                    update_allowed=True,
                                    support_status=SupportStatus(
                                        status="SUPPORTED", version="16.0.0"
                                    ),
                                ),
                            },
                            support_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
                        ),
                        "subnet": PropertySchema(
                            "string",
                            description="Subnet in which to allocate the IP address for port. Used for creating port, based on derived properties. If subnet is specified, network property becomes optional.",
                            support_status=SupportStatus(status="SUPPORTED", version="5.0.0"),
                        ),
                        "floating_ip": PropertySchema(
                            "string",
                            description="ID of the floating IP to associate.",
                            support_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
                        ),
                        "tag": PropertySchema(
                            "string",
                            description="Port tag. Heat ignores any update on this property as nova does not support it.",
                            support_status=SupportStatus(status="SUPPORTED", version="9.0.0"),
                        ),
                    },
                ),
            ),
            "scheduler_hints": PropertySchema(
                "map",
                description="Arbitrary key-value pairs specified by the client to help boot a server.",
            ),
            "metadata": PropertySchema(
                "map",
                description="Arbitrary key/value metadata to store for this server. Both keys and values must be 255 characters or less. Non-string values will be serialized to JSON (and the serialized string must be 255 characters or less).",
                default={},
                update_allowed=True,
            ),
            "user_data_format": PropertySchema(
                "string",
                description="How the user_data should be formatted for the server. For HEAT_CFNTOOLS, the user_data is bundled as part of the heat-cfntools cloud-init boot configuration data. For RAW the user_data is passed to Nova unmodified. For SOFTWARE_CONFIG user_data is bundled as part of the software config data, and metadata is derived from any associated SoftwareDeployment resources. And if the user_data is in CoreOS ignition(json) format, the metadata will be injected into the user_data automatically by Heat.",
                default="HEAT_CFNTOOLS",
                constraints=(AllowedValues(None, ("HEAT_CFNTOOLS", "RAW", "SOFTWARE_CONFIG")),),
            ),
            "software_config_transport": PropertySchema(
                "string",
                description="How the server should receive the metadata required for software configuration. POLL_SERVER_CFN will allow calls to the cfn API action DescribeStackResource authenticated with the provided keypair. POLL_SERVER_HEAT will allow calls to the Heat API resource-show using the provided keystone credentials. POLL_TEMP_URL will create and populate a Swift TempURL with metadata for polling. ZAQAR_MESSAGE will create a dedicated zaqar queue and post the metadata for polling.",
                default="POLL_SERVER_CFN",
                constraints=(
                    AllowedValues(
                        None,
                        ("POLL_SERVER_CFN", "POLL_SERVER_HEAT", "POLL_TEMP_URL", "ZAQAR_MESSAGE"),
                    ),
                ),
                update_allowed=True,
            ),
            "user_data_update_policy": PropertySchema(
                "string",
                description="Policy on how to apply a user_data update; by ignoring it, by replacing the entire server, or rebuild the server.",
                default="REPLACE",
                constraints=(AllowedValues(None, ("REPLACE", "IGNORE", "REBUILD")),),
                update_allowed=True,
                support_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
            ),
            "user_data": PropertySchema(
                "string",
                description="User data script to be executed by cloud-init or CoreOS ignition. Changes cause replacement of the resource by default, but can be ignored altogether by setting the `user_data_update_policy` property.",
                default="",
                update_allowed=True,
            ),
            "reservation_id": PropertySchema(
                "string", description="A UUID for the set of servers being requested."
            ),
            "config_drive": PropertySchema(
                "boolean", description="If True, enable config drive on the server."
            ),
            "diskConfig": PropertySchema(
                "string",
                description="Control how the disk is partitioned when the server is created.",
                constraints=(AllowedValues(None, ("AUTO", "MANUAL")),),
            ),
            "personality": PropertySchema(
                "map",
                description="A map of files to create/overwrite on the server upon boot. Keys are file names and values are the file contents.",
                default={},
                support_status=SupportStatus(
                    status="DEPRECATED",
                    message="This is not supported with nova api microversion 2.57 and above. OS::Nova::Server resource will not support it in the future. Please use user_data or metadata instead. However, you can set heat config option max_nova_api_microversion < 2.57 to use this property in the meantime.",
                    version="12.0.0",
                ),
            ),
            "admin_pass": PropertySchema(
                "string",
                description="The administrator password for the server.",
                update_allowed=True,
            ),
            "tags": PropertySchema(
                "list",
                description="Server tags. Supported since client version 2.26.",
                update_allowed=True,
                schema=PropertySchema("string"),
                support_status=SupportStatus(status="SUPPORTED", version="8.0.0"),
            ),
            "deployment_swift_data": PropertySchema(
                "map",
                description='Swift container and object to use for storing deployment data for the server resource. The parameter is a map value with the keys "container" and "object", and the values are the corresponding container and object names. The software_config_transport parameter must be set to POLL_TEMP_URL for swift to be used. If not specified, and software_config_transport is set to POLL_TEMP_URL, a container will be automatically created from the resource name, and the object name will be a generated uuid.',
                default={},
                update_allowed=True,
                schema={
                    "container": PropertySchema(
                        "string",
                        description="Name of the container.",
                        constraints=(Length(None, 1, None),),
                    ),
                    "object": PropertySchema(
                        "string",
                        description="Name of the object.",
                        constraints=(Length(None, 1, None),),
                    ),
                },
                support_status=SupportStatus(status="SUPPORTED", version="9.0.0"),
            ),
        },
        attributes={
            "name": AttributeSchema("Name of the server.", type="string"),
            "addresses": AttributeSchema(
                "A dict of all network addresses with corresponding port_id and subnets. Each network will have two keys in dict, they are network name and network id. The port ID may be obtained through the following expression: ``{get_attr: [<server>, addresses, <network name_or_id>, 0, port]}``. The subnets may be obtained trough the following expression: ``{get_attr: [<server>, addresses, <network name_or_id>, 0, subnets]}``. The network may be obtained through the following expression: ``{get_attr: [<server>, addresses, <network name_or_id>, 0, network]}``.",
                type="map",
                support_status=SupportStatus(
                    status="SUPPORTED",
                    message="The attribute was extended to include subnets and network with version 11.0.0.",
                    version="11.0.0",
                    previous_status=SupportStatus(status="SUPPORTED"),
                ),
            ),
            "networks": AttributeSchema(
                'A dict of assigned network addresses of the form: {"public": [ip1, ip2...], "private": [ip3, ip4], "public_uuid": [ip1, ip2...], "private_uuid": [ip3, ip4]}. Each network will have two keys in dict, they are network name and network id.',
                type="map",
            ),
            "first_address": AttributeSchema(
                "Convenience attribute to fetch the first assigned network address, or an empty string if nothing has been assigned at this time. Result may not be predictable if the server has addresses from more than one network.",
                support_status=SupportStatus(
                    status="HIDDEN",
                    message='Use the networks attribute instead of first_address. For example: "{get_attr: [<server name>, networks, <network name>, 0]}"',
                    version="5.0.0",
                    previous_status=SupportStatus(
                        status="DEPRECATED",
                        version="2014.2",
                        previous_status=SupportStatus(status="SUPPORTED", version="2013.2"),
                    ),
                ),
            ),
            "instance_name": AttributeSchema("AWS compatible instance name.", type="string"),
            "accessIPv4": AttributeSchema(
                "The manually assigned alternative public IPv4 address of the server.",
                type="string",
                support_status=SupportStatus(
                    status="DEPRECATED",
                    version="14.0.0",
                    previous_status=SupportStatus(status="SUPPORTED", version="2015.1"),
                ),
            ),
            "accessIPv6": AttributeSchema(
                "The manually assigned alternative public IPv6 address of the server.",
                type="string",
                support_status=SupportStatus(
                    status="DEPRECATED",
                    version="14.0.0",
                    previous_status=SupportStatus(status="SUPPORTED", version="2015.1"),
                ),
            ),
            "console_urls": AttributeSchema(
                "URLs of server's consoles. To get a specific console type, the requested type can be specified as parameter to the get_attr function, e.g. get_attr: [ <server>, console_urls, novnc ]. Currently supported types are novnc, xvpvnc, spice-html5, rdp-html5, serial and webmks.",
                type="map",
                support_status=SupportStatus(status="SUPPORTED", version="2015.1"),
            ),
            "tags": AttributeSchema(
                "Tags from the server. Supported since client version 2.26.",
                type="list",
                support_status=SupportStatus(status="SUPPORTED", version="8.0.0"),
            ),
            "os_collect_config": AttributeSchema(
                "The os-collect-config configuration for the server's local agent to be configured to connect to Heat to retrieve deployment data.",
                type="map",
                support_status=SupportStatus(status="SUPPORTED", version="9.0.0"),
            ),
        },
    ),
    "OS::Nova::KeyPair": ResourceTypeSchema(
        class_name="KeyPair",
        description="A resource for creating Nova key pairs.\n\nA keypair is a ssh key that can be injected into a server on launch.\n\n**Note** that if a new key is generated setting `save_private_key` to\n`True` results in the system saving the private key which can then be\nretrieved via the `private_key` attribute of this resource.\n\nSetting the `public_key` property means that the `private_key` attribute\nof this resource will always return an empty string regardless of the\n`save_private_key` setting since there will be no private key data to\nsave.",
        properties={
            "name": PropertySchema(
                "string",
                description="The name of the key pair.",
                required=True,
                constraints=(Length(None, 1, 255),),
            ),
            "save_private_key": PropertySchema(
                "boolean",
                description="True if the system should remember a generated private key; False otherwise.",
                default=False,
            ),
            "public_key": PropertySchema(
                "string",
                description="The public key. This allows users to supply the public key from a pre-existing key pair. In Nova api version < 2.92, if not supplied, a new key pair will be generated. This property is required since Nova api version 2.92.",
            ),
            "type": PropertySchema(
                "string",
                description="Keypair type. Supported since Nova api version 2.2.",
                constraints=(AllowedValues(None, ("ssh", "x509")),),
                support_status=SupportStatus(status="SUPPORTED", version="8.0.0"),
            ),
            "user": PropertySchema(
                "string",
                description="ID or name of user to whom to add key-pair. The usage of this property is limited to being used by administrators only. Supported since Nova api version 2.10.",
                constraints=(CustomConstraint(None, "keystone.user"),),
                support_status=SupportStatus(status="SUPPORTED", version="9.0.0"),
            ),
        },
        attributes={
            "public_key": AttributeSchema("The public key.", type="string"),
            "private_key": AttributeSchema("The private key if it has been saved.", type="string"),
        },
        support_status=SupportStatus(status="SUPPORTED", version="2014.1"),
    ),
    "OS::Nova::Flavor": ResourceTypeSchema(
        class_name="NovaFlavor",
        description="A resource for creating OpenStack virtual hardware templates.\n\nDue to default nova security policy usage of this resource is limited to\nbeing used by administrators only. The rights may also be delegated to\nother users by redefining the access controls on the nova-api server.\n\nNote that the current implementation of the Nova Flavor resource does not\nallow specifying the name and flavorid properties for the resource.\nThis is done to avoid potential naming collision upon flavor creation as\nall flavor have a global scope.",
        properties={
            "tenants": PropertySchema(
                "list",
                description="List of tenants.",
                default=[],
                update_allowed=True,
                schema=PropertySchema(
                    "string", constraints=(CustomConstraint(None, "keystone.project"),)
                ),
                support_status=SupportStatus(status="SUPPORTED", version="8.0.0"),
            ),
            "flavorid": PropertySchema(
                "string",
                description="Unique ID of the flavor. If not specified, an UUID will be auto generated and used.",
                support_status=SupportStatus(status="SUPPORTED", version="7.0.0"),
            ),
            "name": PropertySchema(
                "string",
                description="Name of the flavor.",
                support_status=SupportStatus(status="SUPPORTED", version="7.0.0"),
            ),
            "ram": PropertySchema(
                "integer", description="Memory in MB for the flavor.", required=True
            ),
            "vcpus": PropertySchema(
                "integer", description="Number of VCPUs for the flavor.", required=True
            ),
            "disk": PropertySchema(
                "integer",
                description='Size of local disk in GB. The "0" size is a special case that uses the native base image size as the size of the ephemeral root volume.',
                default=0,
            ),
            "swap": PropertySchema("integer", description="Swap space in MB.", default=0),
            "ephemeral": PropertySchema(
                "integer", description="Size of a secondary ephemeral data disk in GB.", default=0
            ),
            "rxtx_factor": PropertySchema("number", description="RX/TX factor.", default=1.0),
            "extra_specs": PropertySchema(
                "map",
                description="Key/Value pairs to extend the capabilities of the flavor.",
                update_allowed=True,
            ),
            "is_public": PropertySchema(
                "boolean",
                description="Scope of flavor accessibility. Public or private. Default value is True, means public, shared across all projects.",
                default=True,
                support_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
            ),
        },
        attributes={
            "is_public": AttributeSchema(
                "Whether the flavor is shared across all projects.",
                type="boolean",
                support_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
            ),
            "extra_specs": AttributeSchema(
                "Extra specs of the flavor in key-value pairs.",
                type="map",
                support_status=SupportStatus(status="SUPPORTED", version="7.0.0"),
            ),
        },
        support_status=SupportStatus(status="SUPPORTED", version="2014.2"),
    ),
    "OS::Nova::ServerGroup": ResourceTypeSchema(
        class_name="ServerGroup",
        description="A resource for managing a Nova server group.\n\nServer groups allow you to make sure instances (VM/VPS) are on the same\nhypervisor host or on a different one.",
        properties={
            "name": PropertySchema("string", description="Server Group name."),
            "policies": PropertySchema(
                "list",
                description="A list of exactly one policy to apply. Defaults to anti-affinity.",
                default=["anti-affinity"],
                constraints=(
                    AllowedValues(
                        None, ("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity")
                    ),
                ),
                schema=PropertySchema("string"),
            ),
            "rules": PropertySchema(
                "map",
                description="Rules for a policy.",
                schema={
                    "max_server_per_host": PropertySchema(
                        "number",
                        description="Maximum servers in a group on a given host. Rule for anti-affinity policy.",
                    )
                },
                support_status=SupportStatus(status="SUPPORTED", version="17.0.0"),
            ),
        },
        attributes={},
        support_status=SupportStatus(status="SUPPORTED", version="2014.2"),
    ),
    "OS::Nova::HostAggregate": ResourceTypeSchema(
        class_name="HostAggregate",
        description="A resource for further partition an availability zone with hosts.\n\nWhile availability zones are visible to users, host aggregates are only\nvisible to administrators. Host aggregates started out as a way to use\nXen hypervisor resource pools, but has been generalized to provide a\nmechanism to allow administrators to assign key-value pairs to groups of\nmachines. Each node can have multiple aggregates, each aggregate can have\nmultiple key-value pairs, and the same key-value pair can be assigned to\nmultiple aggregate. This information can be used in the scheduler to\nenable advanced scheduling, to set up xen hypervisor resources pools or to\ndefine logical groups for migration.",
        properties={
            "name": PropertySchema(
                "string",
                description="Name for the aggregate.",
                required=True,
                update_allowed=True,
            ),
            "availability_zone": PropertySchema(
                "string",
                description="Name for the availability zone.",
                required=True,
                update_allowed=True,
            ),
            "hosts": PropertySchema(
                "list",
                description="List of hosts to join aggregate.",
                update_allowed=True,
                schema=PropertySchema("string", constraints=(CustomConstraint(None, "nova.host"),)),
            ),
            "metadata": PropertySchema(
                "map",
                description="Arbitrary key/value metadata to store information for aggregate.",
                default={},
                update_allowed=True,
            ),
        },
        attributes={},
        support_status=SupportStatus(status="SUPPORTED", version="6.0.0"),
    ),
}
