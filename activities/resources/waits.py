"""OS::Heat::WaitConditionHandle and WaitCondition: declared here, run by workflows/waits.py.

Waiting is a durable timer plus signals inside the operation workflow: a wait of hours costs
nothing and survives restarts, and no activity ever runs for it.
"""

from __future__ import annotations

from activities.resources.base import ResourcePlugin
from templates import (
    AllowedValues,
    AttributeSchema,
    PropertySchema,
    Range,
    ResourceTypeSchema,
    SupportStatus,
)

WAIT_CONDITION_HANDLE_SCHEMA = ResourceTypeSchema(
    class_name="HeatWaitConditionHandle",
    description=(
        "Resource for managing instance signals.\n"
        "\n"
        "The main points of this resource are:\n"
        "  - have no dependencies (so the instance can reference it);\n"
        "  - create credentials to allow for signalling from the instance;\n"
        "  - handle signals from the instance, validate and store result."
    ),
    support_status=SupportStatus(version="2014.2"),
    properties={
        "signal_transport": PropertySchema(
            "string",
            "How the client will signal the wait condition. CFN_SIGNAL will allow an HTTP POST "
            "to a CFN keypair signed URL. TEMP_URL_SIGNAL will create a Swift TempURL to be "
            "signalled via HTTP PUT. HEAT_SIGNAL will allow calls to the Heat API "
            "resource-signal using the provided keystone credentials. ZAQAR_SIGNAL will create "
            "a dedicated zaqar queue to be signalled using the provided keystone credentials. "
            "TOKEN_SIGNAL will allow and HTTP POST to a Heat API endpoint with the provided "
            "keystone token. NO_SIGNAL will result in the resource going to a signalled state "
            "without waiting for any signal.",
            default="TOKEN_SIGNAL",
            support_status=SupportStatus(version="6.0.0"),
        )
    },
    attributes={
        "token": AttributeSchema(
            "Token for stack-user which can be used for signalling handle when "
            "signal_transport is set to TOKEN_SIGNAL. None for all other signal transports.",
            "string",
        ),
        "endpoint": AttributeSchema(
            "Endpoint/url which can be used for signalling handle when signal_transport is "
            "set to TOKEN_SIGNAL. None for all other signal transports.",
            "string",
        ),
        "curl_cli": AttributeSchema(
            "Convenience attribute, provides curl CLI command prefix, which can be used for "
            "signalling handle completion or failure when signal_transport is set to "
            "TOKEN_SIGNAL. You can signal success by adding --data-binary "
            '\'{"status": "SUCCESS"}\' , or signal failure by adding --data-binary '
            '\'{"status": "FAILURE"}\'. This attribute is set to None for all other signal '
            "transports.",
            "string",
        ),
        "signal": AttributeSchema(
            "JSON serialized map that includes the endpoint, token and/or other attributes "
            "the client must use for signalling this handle. The contents of this map depend "
            "on the type of signal selected in the signal_transport property.",
            "string",
        ),
    },
)

WAIT_CONDITION_SCHEMA = ResourceTypeSchema(
    class_name="HeatWaitCondition",
    description=(
        "Resource for handling signals received by WaitConditionHandle.\n"
        "\n"
        "Resource takes WaitConditionHandle and starts to create. Resource is in\n"
        "CREATE_IN_PROGRESS status until WaitConditionHandle doesn't receive\n"
        "sufficient number of successful signals (this number can be specified with\n"
        "count property) and successfully creates after that, or fails due to\n"
        "timeout."
    ),
    support_status=SupportStatus(version="2014.2"),
    properties={
        "handle": PropertySchema(
            "string",
            "A reference to the wait condition handle used to signal this wait condition.",
            required=True,
        ),
        "timeout": PropertySchema(
            "number",
            "The number of seconds to wait for the correct number of signals to arrive.",
            required=True,
            constraints=(Range(None, 1, 43200),),
        ),
        "count": PropertySchema(
            "integer",
            "The number of success signals that must be received before the stack creation "
            "process continues.",
            default=1,
            constraints=(Range(None, 1, None),),
            update_allowed=True,
        ),
    },
    attributes={
        "data": AttributeSchema(
            "JSON string containing data associated with wait condition signals sent to the "
            "handle.",
            "string",
        )
    },
)


class WaitConditionHandle(ResourcePlugin):
    type_name = "OS::Heat::WaitConditionHandle"
    schema = WAIT_CONDITION_HANDLE_SCHEMA
    runs_in_workflow = True
    accepts_signals = True


class WaitCondition(ResourcePlugin):
    type_name = "OS::Heat::WaitCondition"
    schema = WAIT_CONDITION_SCHEMA
    runs_in_workflow = True


CFN_WAIT_CONDITION_HANDLE_SCHEMA = ResourceTypeSchema(
    class_name="WaitConditionHandle",
    description=(
        "AWS WaitConditionHandle resource.\n"
        "\n"
        "the main point of this class is to :\n"
        "have no dependencies (so the instance can reference it)\n"
        "generate a unique url (to be returned in the reference)\n"
        "then the cfn-signal will use this url to post to and\n"
        "WaitCondition will poll it to see if has been written to."
    ),
    support_status=SupportStatus(version="2014.1"),
)

CFN_WAIT_CONDITION_SCHEMA = ResourceTypeSchema(
    class_name="WaitCondition",
    support_status=SupportStatus(version="2014.1"),
    properties={
        "Handle": PropertySchema(
            "string",
            "A reference to the wait condition handle used to signal this wait condition.",
            required=True,
        ),
        "Timeout": PropertySchema(
            "integer",
            "The number of seconds to wait for the correct number of signals to arrive.",
            required=True,
            constraints=(Range(None, 1, 43200),),
        ),
        "Count": PropertySchema(
            "integer",
            "The number of success signals that must be received before the stack creation "
            "process continues.",
            default=1,
            constraints=(Range(None, 1, None),),
            update_allowed=True,
        ),
    },
    attributes={
        "Data": AttributeSchema(
            "JSON string containing data associated with wait condition signals sent to the "
            "handle.",
            "string",
        )
    },
)


class CfnWaitConditionHandle(ResourcePlugin):
    type_name = "AWS::CloudFormation::WaitConditionHandle"
    schema = CFN_WAIT_CONDITION_HANDLE_SCHEMA
    runs_in_workflow = True
    accepts_signals = True


class CfnWaitCondition(ResourcePlugin):
    type_name = "AWS::CloudFormation::WaitCondition"
    schema = CFN_WAIT_CONDITION_SCHEMA
    runs_in_workflow = True


_DELAY_ACTIONS = ("CREATE", "DELETE", "SUSPEND", "RESUME")

DELAY_SCHEMA = ResourceTypeSchema(
    class_name="Delay",
    description=(
        "A resource that pauses for a configurable delay.\n"
        "\n"
        "By manipulating the dependency relationships between resources in the\n"
        "template, a delay can be inserted at an arbitrary point during e.g. stack\n"
        "creation or deletion. They delay will occur after any resource that it\n"
        "depends on during CREATE or SUSPEND, and before any resource that it\n"
        "depends on during DELETE or RESUME. Similarly, it will occur before any\n"
        "resource that depends on it during CREATE or SUSPEND, and after any\n"
        "resource thet depends on it during DELETE or RESUME.\n"
        "\n"
        "If a non-zero maximum jitter is specified, a random amount of jitter -\n"
        "chosen with uniform probability in the range from 0 to the product of the\n"
        "maximum jitter value and the jitter multiplier (1s by default) - is added\n"
        "to the minimum delay time. This can be used, for example, in the scaled\n"
        "unit of a large scaling group to prevent 'thundering herd' issues."
    ),
    support_status=SupportStatus(version="11.0.0"),
    properties={
        "min_wait": PropertySchema(
            "number",
            "Minimum time in seconds to wait during the specified actions.",
            default=0,
            update_allowed=True,
            constraints=(Range(None, 0, None),),
        ),
        "max_jitter": PropertySchema(
            "number",
            "Maximum jitter to add to the minimum wait time.",
            default=0,
            update_allowed=True,
            constraints=(Range(None, 0, None),),
        ),
        "jitter_multiplier": PropertySchema(
            "number",
            "Number of seconds to multiply the maximum jitter value by.",
            default=1.0,
            update_allowed=True,
            constraints=(Range(None, 0, None),),
        ),
        "actions": PropertySchema(
            "list",
            "Actions during which the delay will occur.",
            default=["CREATE"],
            update_allowed=True,
            constraints=(AllowedValues(None, _DELAY_ACTIONS),),
        ),
    },
)


class Delay(ResourcePlugin):
    """Waits on a durable timer inside the operation workflow (workflows/waits.py)."""

    type_name = "OS::Heat::Delay"
    schema = DELAY_SCHEMA
    runs_in_workflow = True


WAIT_PLUGINS: tuple[ResourcePlugin, ...] = (
    Delay(),
    WaitConditionHandle(),
    WaitCondition(),
    CfnWaitConditionHandle(),
    CfnWaitCondition(),
)
