"""Heat's policy rule names and default check strings (upstream heat/policies), for oslo.policy."""

from __future__ import annotations

from oslo_policy import policy

# The personas of upstream's defaults.
PROJECT_MEMBER = "role:member and project_id:%(project_id)s"
PROJECT_READER = "role:reader and project_id:%(project_id)s"
PROJECT_ADMIN = "role:admin and project_id:%(project_id)s"
PROJECT_STACK_USER = "role:heat_stack_user and project_id:%(project_id)s"
PROJECT_READER_OR_STACK_USER = f"({PROJECT_READER}) or ({PROJECT_STACK_USER})"
CONTEXT_IS_ADMIN = "rule:context_is_admin"
DENY_EVERYBODY = "rule:deny_everybody"
PROJECT_ADMIN_RULE = "rule:project_admin"

BASE_RULES: dict[str, str] = {
    "context_is_admin": "(role:admin and is_admin_project:True)",
    "project_admin": "role:admin",
    "deny_stack_user": "not role:heat_stack_user",
    "deny_everybody": "!",
    "allow_everybody": "",
}

_STACKS_MEMBER = [
    "abandon",
    "create",
    "delete",
    "export",
    "generate_template",
    "update",
    "update_patch",
    "preview_update",
    "preview_update_patch",
    "validate_template",
    "snapshot",
    "delete_snapshot",
    "restore_snapshot",
]
_STACKS_READER = [
    "detail",
    "index",
    "list_resource_types",
    "list_template_versions",
    "list_template_functions",
    "preview",
    "resource_schema",
    "show",
    "template",
    "environment",
    "files",
    "show_snapshot",
    "list_snapshots",
    "list_outputs",
    "show_output",
]

API_RULES: dict[str, str] = {
    **{f"stacks:{name}": PROJECT_MEMBER for name in _STACKS_MEMBER},
    **{f"stacks:{name}": PROJECT_READER for name in _STACKS_READER},
    "stacks:global_index": DENY_EVERYBODY,
    "stacks:lookup": PROJECT_READER_OR_STACK_USER,
    "stacks:update_no_change": "rule:stacks:update_patch",
    "actions:action": PROJECT_MEMBER,
    "actions:snapshot": PROJECT_MEMBER,
    "actions:suspend": PROJECT_MEMBER,
    "actions:resume": PROJECT_MEMBER,
    "actions:check": PROJECT_READER,
    "actions:cancel_update": PROJECT_MEMBER,
    "actions:cancel_without_rollback": PROJECT_MEMBER,
    "build_info:build_info": PROJECT_READER,
    "events:index": PROJECT_READER,
    "events:show": PROJECT_READER,
    "resource:index": PROJECT_READER,
    "resource:metadata": PROJECT_READER_OR_STACK_USER,
    "resource:signal": PROJECT_READER_OR_STACK_USER,
    "resource:mark_unhealthy": PROJECT_MEMBER,
    "resource:show": PROJECT_READER,
    "service:index": PROJECT_ADMIN,
    "software_configs:global_index": DENY_EVERYBODY,
    "software_configs:index": PROJECT_READER,
    "software_configs:create": PROJECT_MEMBER,
    "software_configs:show": PROJECT_READER,
    "software_configs:delete": PROJECT_MEMBER,
    "software_deployments:index": PROJECT_READER,
    "software_deployments:create": PROJECT_MEMBER,
    "software_deployments:show": PROJECT_READER,
    "software_deployments:update": PROJECT_MEMBER,
    "software_deployments:delete": PROJECT_MEMBER,
    "software_deployments:metadata": PROJECT_READER_OR_STACK_USER,
    # Ours: the Temporal codec endpoints decode any project's payloads, so only a cloud admin.
    "codec:encode": CONTEXT_IS_ADMIN,
    "codec:decode": CONTEXT_IS_ADMIN,
}

# Resource types only an admin may put in a template (upstream heat/policies/resource_types.py);
# any other type is allowed.
ADMIN_RESOURCE_TYPES = [
    "OS::Nova::Flavor",
    "OS::Cinder::EncryptedVolumeType",
    "OS::Cinder::VolumeType",
    "OS::Cinder::Quota",
    "OS::Neutron::Quota",
    "OS::Nova::Quota",
    "OS::Octavia::Quota",
    "OS::Manila::ShareType",
    "OS::Neutron::ProviderNet",
    "OS::Neutron::QoSPolicy",
    "OS::Neutron::QoSBandwidthLimitRule",
    "OS::Neutron::QoSDscpMarkingRule",
    "OS::Neutron::QoSMinimumBandwidthRule",
    "OS::Neutron::QoSMinimumPacketRateRule",
    "OS::Neutron::Segment",
    "OS::Nova::HostAggregate",
    "OS::Cinder::QoSSpecs",
    "OS::Cinder::QoSAssociation",
    "OS::Keystone::*",
    "OS::Blazar::Host",
    "OS::Octavia::Flavor",
    "OS::Octavia::FlavorProfile",
    "OS::Octavia::AvailabilityZone",
    "OS::Octavia::AvailabilityZoneProfile",
]


def default_rules() -> list[policy.RuleDefault]:
    rules = [policy.RuleDefault(name, check) for name, check in BASE_RULES.items()]
    rules += [
        policy.RuleDefault(name, check, scope_types=["project"])
        for name, check in API_RULES.items()
    ]
    rules += [
        policy.RuleDefault(f"resource_types:{name}", PROJECT_ADMIN_RULE, scope_types=["project"])
        for name in ADMIN_RESOURCE_TYPES
    ]
    return rules
