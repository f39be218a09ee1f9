"""Declared schemas of OS::Heat::ResourceGroup and OS::Heat::ResourceChain (upstream's texts)."""

from __future__ import annotations

from templates import (
    AllowedValues,
    AttributeSchema,
    Length,
    PropertySchema,
    Range,
    ResourceTypeSchema,
    SupportStatus,
)

_REFS = AttributeSchema("A list of resource IDs for the resources in the group.", "list")
_ATTRIBUTES = AttributeSchema(
    "A map of resource names to the specified attribute of each individual resource. "
    "Requires heat_template_version: 2014-10-16.",
    "map",
    SupportStatus(version="2014.2"),
)

RESOURCE_GROUP_SCHEMA = ResourceTypeSchema(
    class_name="ResourceGroup",
    description=(
        "Creates one or more identically configured nested resources.\n"
        "\n"
        "In addition to the `refs` attribute, this resource implements synthetic\n"
        "attributes that mirror those of the resources in the group. When\n"
        "getting an attribute from this resource, however, a list of attribute\n"
        "values for each resource in the group is returned. To get attribute values\n"
        "for a single resource in the group, synthetic attributes of the form\n"
        "`resource.{resource index}.{attribute name}` can be used. The resource ID\n"
        "of a particular resource in the group can be obtained via the synthetic\n"
        "attribute `resource.{resource index}`. Note, that if you get attribute\n"
        "without `{resource index}`, e.g. `[resource, {attribute_name}]`, you'll get\n"
        "a list of this attribute's value for all resources in group."
    ),
    support_status=SupportStatus(version="2014.1"),
    dynamic_attributes=True,
    properties={
        "count": PropertySchema(
            "integer",
            "The number of resources to create.",
            default=1,
            constraints=(Range(None, 0, None),),
            update_allowed=True,
        ),
        "index_var": PropertySchema(
            "string",
            "A variable that this resource will use to replace with the current index of a "
            "given resource in the group. Can be used, for example, to customize the name "
            "property of grouped servers in order to differentiate them when listed with "
            "nova client.",
            default="%index%",
            constraints=(Length(None, 3, None),),
            support_status=SupportStatus(version="2014.2"),
        ),
        "resource_def": PropertySchema(
            "map",
            "Resource definition for the resources in the group. The value of this property "
            "is the definition of a resource just as if it had been declared in the template "
            "itself.",
            required=True,
            update_allowed=True,
            schema={
                "type": PropertySchema(
                    "string", "The type of the resources in the group.", required=True
                ),
                "properties": PropertySchema(
                    "map", "Property values for the resources in the group."
                ),
                "metadata": PropertySchema(
                    "map",
                    "Supplied metadata for the resources in the group.",
                    support_status=SupportStatus(version="5.0.0"),
                ),
            },
        ),
        "removal_policies": PropertySchema(
            "list",
            "Policies for removal of resources on update.",
            default=[],
            update_allowed=True,
            support_status=SupportStatus(version="2015.1"),
            schema=PropertySchema(
                "map",
                "Policy to be processed when doing an update which requires removal of "
                "specific resources.",
                schema={
                    "resource_list": PropertySchema(
                        "list",
                        "List of resources to be removed when doing an update which requires "
                        "removal of specific resources. The resource may be specified several "
                        "ways: (1) The resource name, as in the nested stack, (2) The resource "
                        "reference returned from get_resource in a template, as available via "
                        "the 'refs' attribute. Note this is destructive on update when "
                        "specified; even if the count is not being reduced, and once a "
                        "resource name is removed, its name is never reused in subsequent "
                        "updates.",
                        default=[],
                    )
                },
            ),
        ),
        "removal_policies_mode": PropertySchema(
            "string",
            'How to handle changes to removal_policies on update. The default "append" mode '
            'appends to the internal list, "update" replaces it on update.',
            default="append",
            constraints=(AllowedValues(None, ("append", "update")),),
            update_allowed=True,
            support_status=SupportStatus(version="10.0.0"),
        ),
    },
    attributes={
        "refs": _REFS,
        "refs_map": AttributeSchema(
            "A map of resource names to IDs for the resources in the group.",
            "map",
            SupportStatus(version="7.0.0"),
        ),
        "attributes": _ATTRIBUTES,
        "removed_rsrc_list": AttributeSchema(
            "A list of removed resource names.", "list", SupportStatus(version="7.0.0")
        ),
    },
)

RESOURCE_CHAIN_SCHEMA = ResourceTypeSchema(
    class_name="ResourceChain",
    description=(
        "Creates one or more resources with the same configuration.\n"
        "\n"
        "The types of resources to be created are passed into the chain\n"
        "through the ``resources`` property. One resource will be created for each\n"
        "type listed. Each is passed the configuration specified\n"
        "under ``resource_properties``.\n"
        "\n"
        "The ``concurrent`` property controls if the resources will be created\n"
        "concurrently. If omitted or set to false, each resource will be treated\n"
        "as having a dependency on the resource before it in the list."
    ),
    support_status=SupportStatus(version="6.0.0"),
    dynamic_attributes=True,
    properties={
        "resources": PropertySchema(
            "list",
            "The list of resource types to create. This list may contain type names or "
            "aliases defined in the resource registry. Specific template names are not "
            "supported.",
            required=True,
            update_allowed=True,
        ),
        "concurrent": PropertySchema(
            "boolean",
            "If true, the resources in the chain will be created concurrently. If false or "
            "omitted, each resource will be treated as having a dependency on the previous "
            "resource in the list.",
            default=False,
        ),
        "resource_properties": PropertySchema(
            "map", "Properties to pass to each resource being created in the chain."
        ),
    },
    attributes={
        "refs": AttributeSchema("A list of resource IDs for the resources in the chain.", "list"),
        "attributes": AttributeSchema(
            "A map of resource names to the specified attribute of each individual resource.",
            "map",
        ),
    },
)

AUTO_SCALING_GROUP_SCHEMA = ResourceTypeSchema(
    class_name="AutoScalingResourceGroup",
    description=(
        "An autoscaling group that can scale arbitrary resources.\n"
        "\n"
        "An autoscaling group allows the creation of a desired count of similar\n"
        "resources, which are defined with the resource property in HOT format.\n"
        "If there is a need to create many of the same resources (e.g. one\n"
        "hundred sets of Server, WaitCondition and WaitConditionHandle or even\n"
        "Neutron Nets), AutoScalingGroup is a convenient and easy way to do that."
    ),
    support_status=SupportStatus(version="2014.1"),
    dynamic_attributes=True,
    properties={
        "resource": PropertySchema(
            "map",
            "Resource definition for the resources in the group, in HOT format. The value of "
            "this property is the definition of a resource just as if it had been declared "
            "in the template itself.",
            required=True,
            update_allowed=True,
        ),
        "max_size": PropertySchema(
            "integer",
            "Maximum number of resources in the group.",
            required=True,
            update_allowed=True,
            constraints=(Range(None, 0, None),),
        ),
        "min_size": PropertySchema(
            "integer",
            "Minimum number of resources in the group.",
            required=True,
            update_allowed=True,
            constraints=(Range(None, 0, None),),
        ),
        "cooldown": PropertySchema("integer", "Cooldown period, in seconds.", update_allowed=True),
        "desired_capacity": PropertySchema(
            "integer", "Desired initial number of resources.", update_allowed=True
        ),
        "rolling_updates": PropertySchema(
            "map",
            "Policy for rolling updates for this scaling group.",
            update_allowed=True,
            default={"min_in_service": 0, "max_batch_size": 1, "pause_time": 0},
            schema={
                "min_in_service": PropertySchema(
                    "integer",
                    "The minimum number of resources in service while rolling updates are "
                    "being executed.",
                    default=0,
                    constraints=(Range(None, 0, None),),
                ),
                "max_batch_size": PropertySchema(
                    "integer",
                    "The maximum number of resources to replace at once.",
                    default=1,
                    constraints=(Range(None, 1, None),),
                ),
                "pause_time": PropertySchema(
                    "number",
                    "The number of seconds to wait between batches of updates.",
                    default=0,
                    constraints=(Range(None, 0, None),),
                ),
            },
        ),
    },
    attributes={
        "outputs": AttributeSchema(
            "A map of resource names to the specified attribute of each individual resource "
            "that is part of the AutoScalingGroup. This map specifies output parameters that "
            "are available once the AutoScalingGroup has been instantiated.",
            "map",
            SupportStatus(version="2014.2"),
        ),
        "outputs_list": AttributeSchema(
            "A list of the specified attribute of each individual resource that is part of "
            "the AutoScalingGroup. This list of attributes is available as an output once "
            "the AutoScalingGroup has been instantiated.",
            "list",
            SupportStatus(version="2014.2"),
        ),
        "current_size": AttributeSchema(
            "The current size of AutoscalingResourceGroup.",
            "integer",
            SupportStatus(version="2015.1"),
        ),
        "refs": AttributeSchema(
            "A list of resource IDs for the resources in the group.",
            "list",
            SupportStatus(version="7.0.0"),
        ),
        "refs_map": AttributeSchema(
            "A map of resource names to IDs for the resources in the group.",
            "map",
            SupportStatus(version="7.0.0"),
        ),
    },
)

ADJUSTMENT_TYPES = ("change_in_capacity", "exact_capacity", "percent_change_in_capacity")

SCALING_POLICY_SCHEMA = ResourceTypeSchema(
    class_name="AutoScalingPolicy",
    description=(
        "A resource to manage scaling of `OS::Heat::AutoScalingGroup`.\n"
        "\n"
        "**Note** while it may incidentally support\n"
        "`AWS::AutoScaling::AutoScalingGroup` for now, please don't use it for that\n"
        "purpose and use `AWS::AutoScaling::ScalingPolicy` instead.\n"
        "\n"
        "Resource to manage scaling for `OS::Heat::AutoScalingGroup`, i.e. define\n"
        "which metric should be scaled and scaling adjustment, set cooldown etc."
    ),
    support_status=SupportStatus(version="2014.1"),
    properties={
        "auto_scaling_group_id": PropertySchema(
            "string", "AutoScaling group ID to apply policy to.", required=True
        ),
        "scaling_adjustment": PropertySchema(
            "number", "Size of adjustment.", required=True, update_allowed=True
        ),
        "adjustment_type": PropertySchema(
            "string",
            "Type of adjustment (absolute or percentage).",
            required=True,
            update_allowed=True,
            constraints=(AllowedValues(None, ADJUSTMENT_TYPES),),
        ),
        "cooldown": PropertySchema("number", "Cooldown period, in seconds.", update_allowed=True),
        "min_adjustment_step": PropertySchema(
            "integer",
            "Minimum number of resources that are added or removed when the AutoScaling group "
            "scales up or down. This can be used only when specifying percent_change_in_capacity "
            "for the adjustment_type property.",
            update_allowed=True,
            constraints=(Range(None, 0, None),),
        ),
    },
    attributes={
        "alarm_url": AttributeSchema("A signed url to handle the alarm.", "string"),
        "signal_url": AttributeSchema(
            "A url to handle the alarm using native API.", "string", SupportStatus(version="5.0.0")
        ),
    },
)
