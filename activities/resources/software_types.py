"""Declared schemas of the software-configuration types (upstream's names and texts, abridged)."""

from __future__ import annotations

from dataclasses import replace

from templates import (
    AllowedValues,
    AttributeSchema,
    PropertySchema,
    ResourceTypeSchema,
    SupportStatus,
)

_IO_TYPES = ("String", "Number", "CommaDelimitedList", "Json", "Boolean")
INPUT_SCHEMA = {
    "name": PropertySchema("string", "Name of the input.", required=True),
    "description": PropertySchema("string", "Description of the input."),
    "type": PropertySchema(
        "string",
        "Type of the value of the input.",
        default="String",
        constraints=(AllowedValues(None, _IO_TYPES),),
    ),
    "default": PropertySchema("any", "Default value for the input if none is specified."),
    "replace_on_change": PropertySchema(
        "boolean",
        "Replace the deployment instead of updating it when the input value changes.",
        default=False,
    ),
}
OUTPUT_SCHEMA = {
    "name": PropertySchema("string", "Name of the output.", required=True),
    "description": PropertySchema("string", "Description of the output."),
    "type": PropertySchema(
        "string",
        "Type of the value of the output.",
        default="String",
        constraints=(AllowedValues(None, _IO_TYPES),),
    ),
    "error_output": PropertySchema(
        "boolean",
        "Denotes that the deployment is in an error state if this output has a value.",
        default=False,
    ),
}
_GROUP = PropertySchema(
    "string",
    "Namespace to group this software config by when delivered to a server. This may imply "
    "what configuration tool is going to perform the configuration.",
    default="Heat::Ungrouped",
)
_OPTIONS = PropertySchema(
    "map",
    "Map containing options specific to the configuration management tool used by this resource.",
)
_INPUTS = PropertySchema(
    "list",
    "Schema representing the inputs that this software config is expecting.",
    schema=PropertySchema("map", schema=INPUT_SCHEMA),
)
_OUTPUTS = PropertySchema(
    "list",
    "Schema representing the outputs that this software config will produce.",
    schema=PropertySchema("map", schema=OUTPUT_SCHEMA),
)
_CONFIG_ATTRIBUTE = {
    "config": AttributeSchema("The config value of the software config.", "string")
}

SOFTWARE_CONFIG_SCHEMA = ResourceTypeSchema(
    class_name="SoftwareConfig",
    description="A resource for describing and storing software configuration.",
    support_status=SupportStatus(version="2014.1"),
    properties={
        "group": _GROUP,
        "config": PropertySchema(
            "string",
            "Configuration script or manifest which specifies what actual configuration is "
            "performed.",
        ),
        "options": _OPTIONS,
        "inputs": _INPUTS,
        "outputs": _OUTPUTS,
    },
    attributes=_CONFIG_ATTRIBUTE,
)

STRUCTURED_CONFIG_SCHEMA = ResourceTypeSchema(
    class_name="StructuredConfig",
    description="A resource which has same logic with OS::Heat::SoftwareConfig.",
    support_status=SupportStatus(version="2014.1"),
    properties={
        "group": _GROUP,
        "config": PropertySchema("map", "Map representing the configuration data structure."),
        "options": _OPTIONS,
        "inputs": _INPUTS,
        "outputs": _OUTPUTS,
    },
    attributes=_CONFIG_ATTRIBUTE,
)

CLOUD_CONFIG_SCHEMA = ResourceTypeSchema(
    class_name="CloudConfig",
    description="A configuration resource for representing cloud-init cloud-config.",
    support_status=SupportStatus(version="2014.1"),
    properties={
        "cloud_config": PropertySchema(
            "map",
            "Map representing the cloud-config data structure which will be formatted as YAML.",
        )
    },
    attributes=_CONFIG_ATTRIBUTE,
)

MULTIPART_MIME_SCHEMA = ResourceTypeSchema(
    class_name="MultipartMime",
    description="Assembles a collection of software configurations as a multi-part mime.",
    support_status=SupportStatus(version="2014.1"),
    properties={
        "parts": PropertySchema(
            "list",
            "Parts belonging to this message.",
            default=[],
            schema=PropertySchema(
                "map",
                schema={
                    "config": PropertySchema(
                        "string",
                        "Content of part to attach, either inline or by referencing the ID "
                        "of another software config resource.",
                        required=True,
                    ),
                    "filename": PropertySchema(
                        "string", "Optional filename to associate with part."
                    ),
                    "type": PropertySchema(
                        "string",
                        "Whether the part content is text or multipart.",
                        default="text",
                        constraints=(AllowedValues(None, ("text", "multipart")),),
                    ),
                    "subtype": PropertySchema(
                        "string",
                        "Optional subtype to specify with the type.",
                    ),
                },
            ),
        ),
        "group": PropertySchema(
            "string",
            "Namespace to group this software config by when delivered to a server. This may "
            "imply what configuration tool is going to perform the configuration.",
            default="Heat::Ungrouped",
            support_status=SupportStatus(version="17.0.0"),
        ),
    },
    attributes=_CONFIG_ATTRIBUTE,
)

_DEPLOY_ATTRIBUTES = {
    "deploy_stdout": AttributeSchema("Captured stdout from the configuration execution.", "string"),
    "deploy_stderr": AttributeSchema("Captured stderr from the configuration execution.", "string"),
    "deploy_status_code": AttributeSchema(
        "Returned status code from the configuration execution.", "string"
    ),
}
_SIGNAL_TRANSPORTS = ("CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL")
_DEPLOYMENT_PROPERTIES = {
    "config": PropertySchema(
        "string",
        "ID of software configuration resource to execute when applying to the server.",
        update_allowed=True,
    ),
    "server": PropertySchema(
        "string",
        "ID of resource to apply configuration to. Normally this should be a Nova server ID.",
        required=True,
    ),
    "input_values": PropertySchema(
        "map",
        "Input values to apply to the software configuration on this server.",
        default={},
        update_allowed=True,
    ),
    "actions": PropertySchema(
        "list",
        "Which lifecycle actions of the deployment resource will result in this deployment "
        "being triggered.",
        default=["CREATE", "UPDATE"],
        update_allowed=True,
        constraints=(AllowedValues(None, ("CREATE", "UPDATE", "DELETE", "SUSPEND", "RESUME")),),
    ),
    "signal_transport": PropertySchema(
        "string",
        "How the server should signal to heat with the deployment output values.",
        default="CFN_SIGNAL",
        constraints=(AllowedValues(None, _SIGNAL_TRANSPORTS),),
    ),
    "name": PropertySchema(
        "string",
        "Name of the derived config associated with this "
        "deployment. This is used to apply a sort order to the list of "
        "configurations currently deployed to a server.",
    ),
}

SOFTWARE_DEPLOYMENT_SCHEMA = ResourceTypeSchema(
    class_name="SoftwareDeployment",
    description="This resource associates a server with some configuration.",
    support_status=SupportStatus(version="2014.1"),
    dynamic_attributes=True,
    properties=_DEPLOYMENT_PROPERTIES,
    attributes=_DEPLOY_ATTRIBUTES,
)

STRUCTURED_DEPLOYMENT_SCHEMA = ResourceTypeSchema(
    class_name="StructuredDeployment",
    description=(
        "A resource which has same logic with OS::Heat::SoftwareDeployment.\n"
        "\n"
        "Its config is a structured one whose get_input calls are replaced by the "
        "deployment's input values."
    ),
    support_status=SupportStatus(version="2014.1"),
    dynamic_attributes=True,
    properties={
        **_DEPLOYMENT_PROPERTIES,
        "input_key": PropertySchema(
            "string",
            "Name of key to use for substituting inputs during deployment.",
            default="get_input",
        ),
        "input_values_validate": PropertySchema(
            "string",
            "Perform a check on the input values passed to verify that each required input "
            "has a corresponding value. When the property is set to STRICT and no value is "
            "passed, an exception is raised.",
            default="LAX",
            constraints=(AllowedValues(None, ("LAX", "STRICT")),),
        ),
    },
    attributes=_DEPLOY_ATTRIBUTES,
)

_DEPLOYMENT_GROUP_ATTRIBUTES = {
    "deploy_stdouts": AttributeSchema(
        "A map of Nova names and captured stdouts from the configuration execution to each server.",
        "map",
    ),
    "deploy_stderrs": AttributeSchema(
        "A map of Nova names and captured stderrs from the configuration execution to each server.",
        "map",
    ),
    "deploy_status_codes": AttributeSchema(
        "A map of Nova names and returned status code from the configuration execution.", "map"
    ),
}
_SERVERS = PropertySchema(
    "map",
    "A map of names and server IDs to apply configuration to. The name is arbitrary and is "
    "used as the Heat resource name for the corresponding deployment.",
    required=True,
    update_allowed=True,
)

SOFTWARE_DEPLOYMENT_GROUP_SCHEMA = ResourceTypeSchema(
    class_name="SoftwareDeploymentGroup",
    description=(
        "This resource associates a group of servers with some configuration.\n"
        "\n"
        "The configuration is to be deployed to all servers in the group."
    ),
    support_status=SupportStatus(version="5.0.0"),
    dynamic_attributes=True,
    properties={
        "servers": _SERVERS,
        **{k: v for k, v in _DEPLOYMENT_PROPERTIES.items() if k != "server"},
    },
    attributes=_DEPLOYMENT_GROUP_ATTRIBUTES,
)

STRUCTURED_DEPLOYMENT_GROUP_SCHEMA = ResourceTypeSchema(
    class_name="StructuredDeploymentGroup",
    description="This resource associates a group of servers with some configuration.",
    support_status=SupportStatus(version="5.0.0"),
    dynamic_attributes=True,
    properties={
        "servers": _SERVERS,
        **{k: v for k, v in STRUCTURED_DEPLOYMENT_SCHEMA.properties.items() if k != "server"},
    },
    attributes=_DEPLOYMENT_GROUP_ATTRIBUTES,
)


def _hidden_alias(
    schema: ResourceTypeSchema, class_name: str, successor: str
) -> ResourceTypeSchema:
    """A deprecated name of a deployment group, hidden since 7.0.0 (upstream's
    SoftwareDeployments and StructuredDeployments)."""
    return replace(
        schema,
        class_name=class_name,
        support_status=SupportStatus(
            status="HIDDEN",
            message=f"Please use {successor} instead.",
            version="7.0.0",
            previous_status=SupportStatus(status="DEPRECATED", version="2014.2"),
        ),
    )


SOFTWARE_DEPLOYMENTS_SCHEMA = _hidden_alias(
    SOFTWARE_DEPLOYMENT_GROUP_SCHEMA, "SoftwareDeployments", "OS::Heat::SoftwareDeploymentGroup"
)
STRUCTURED_DEPLOYMENTS_SCHEMA = _hidden_alias(
    STRUCTURED_DEPLOYMENT_GROUP_SCHEMA,
    "StructuredDeployments",
    "OS::Heat::StructuredDeploymentGroup",
)
