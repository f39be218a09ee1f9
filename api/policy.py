"""Who may do what: oslo.policy with Heat's rules, the URL project check, and the route table."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from oslo_config import cfg
from oslo_policy import policy

from api.bodies import bool_param
from api.errors import HeatError
from api.policy_rules import ADMIN_RESOURCE_TYPES, default_rules

log = logging.getLogger("heat_temporal.api.policy")

T = "/v1/{tenant}"
S = T + "/stacks/{stack_name}/{stack_id}"

# (method, route path as registered in api/app.py) -> upstream's rule name. "*" matches the
# routes registered for any method. A route missing here is refused with keystone auth on, so
# a new route cannot slip out unprotected (tests/security checks every route has a rule).
ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", T + "/build_info"): "build_info:build_info",
    ("POST", T + "/validate"): "stacks:validate_template",
    ("GET", T + "/resource_types"): "stacks:list_resource_types",
    ("GET", T + "/resource_types/{type_name}"): "stacks:resource_schema",
    ("GET", T + "/resource_types/{type_name}/template"): "stacks:generate_template",
    ("GET", T + "/template_versions"): "stacks:list_template_versions",
    ("GET", T + "/template_versions/{version}/functions"): "stacks:list_template_functions",
    ("GET", T + "/software_configs"): "software_configs:index",
    ("POST", T + "/software_configs"): "software_configs:create",
    ("GET", T + "/software_configs/{config_id}"): "software_configs:show",
    ("DELETE", T + "/software_configs/{config_id}"): "software_configs:delete",
    ("GET", T + "/software_deployments"): "software_deployments:index",
    ("POST", T + "/software_deployments"): "software_deployments:create",
    ("GET", T + "/software_deployments/metadata/{server_id}"): "software_deployments:metadata",
    ("GET", T + "/software_deployments/{deployment_id}"): "software_deployments:show",
    ("PUT", T + "/software_deployments/{deployment_id}"): "software_deployments:update",
    ("DELETE", T + "/software_deployments/{deployment_id}"): "software_deployments:delete",
    ("GET", T + "/stacks"): "stacks:index",
    ("POST", T + "/stacks"): "stacks:create",
    ("POST", T + "/stacks/preview"): "stacks:preview",
    ("GET", T + "/stacks/detail"): "stacks:detail",
    ("*", T + "/stacks/{identity}"): "stacks:lookup",
    ("*", T + "/stacks/{arn}"): "stacks:lookup",
    # aiohttp's canonical form drops a variable's regular expression.
    ("*", T + "/stacks/{identity}/{path}"): "stacks:lookup",
    ("GET", S): "stacks:show",
    ("DELETE", S): "stacks:delete",
    ("PUT", S): "stacks:update",
    ("PATCH", S): "stacks:update_patch",
    ("PUT", S + "/preview"): "stacks:preview_update",
    ("PATCH", S + "/preview"): "stacks:preview_update_patch",
    # The rule depends on the action in the body: see action_rule().
    ("POST", S + "/actions"): "actions:action",
    ("GET", S + "/export"): "stacks:export",
    # The dashboard's view of a stack's workflows: what showing the stack shows.
    ("GET", S + "/workflows"): "stacks:show",
    ("POST", S + "/snapshots"): "stacks:snapshot",
    ("GET", S + "/snapshots"): "stacks:list_snapshots",
    ("GET", S + "/snapshots/{snapshot_id}"): "stacks:show_snapshot",
    ("DELETE", S + "/snapshots/{snapshot_id}"): "stacks:delete_snapshot",
    ("POST", S + "/snapshots/{snapshot_id}/restore"): "stacks:restore_snapshot",
    ("DELETE", S + "/abandon"): "stacks:abandon",
    ("GET", S + "/template"): "stacks:template",
    ("GET", S + "/environment"): "stacks:environment",
    ("GET", S + "/files"): "stacks:files",
    ("GET", S + "/outputs"): "stacks:list_outputs",
    ("GET", S + "/outputs/{output_key}"): "stacks:show_output",
    ("GET", S + "/resources"): "resource:index",
    ("GET", S + "/resources/{resource_name}"): "resource:show",
    ("GET", S + "/resources/{resource_name}/metadata"): "resource:metadata",
    ("POST", S + "/resources/{resource_name}/signal"): "resource:signal",
    ("PUT", S + "/resources/{resource_name}/signal"): "resource:signal",
    ("PATCH", S + "/resources/{resource_name}"): "resource:mark_unhealthy",
    ("GET", S + "/events"): "events:index",
    ("GET", S + "/resources/{resource_name}/events"): "events:index",
    ("GET", S + "/resources/{resource_name}/events/{event_id}"): "events:show",
    ("POST", "/codec/encode"): "codec:encode",
    ("POST", "/codec/decode"): "codec:decode",
}
# Operators' probes, scrapes and the dashboard's static page: outside /v1, no token (as `/`).
# The service's OpenAPI description is public, like the versions document: it tells what
# the API accepts, nothing of any project.
PUBLIC_PATHS = frozenset({"/", "/healthz", "/readyz", "/metrics", "/dashboard", "/openapi.json"})
PUBLIC_PREFIXES = ("/dashboard/static/",)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def global_rule(request: web.Request, rule: str) -> str | None:
    """The extra rule a listing of every project's items needs (denied by default)."""
    q = request.query
    if rule == "stacks:index" and bool_param("global_tenant", q.get("global_tenant")):
        return "stacks:global_index"
    if rule == "software_configs:index" and (
        bool_param("global_tenant", q.get("global_tenant"))
        or not bool_param("tenant_safe", q.get("tenant_safe"), default=True)
    ):
        return "software_configs:global_index"
    return None


ACTION_RULES = {
    "suspend": "actions:suspend",
    "resume": "actions:resume",
    "check": "actions:check",
    "cancel_update": "actions:cancel_update",
    "cancel_without_rollback": "actions:cancel_without_rollback",
}


class PolicyForbidden(HeatError):
    """Upstream's Forbidden: `You are not authorized to use <rule>.`"""

    def __init__(self, action: str = "this action", **_: Any) -> None:
        super().__init__(403, f"You are not authorized to use {action}.", "Forbidden")


def project_forbidden() -> HeatError:
    """A token of one project on another project's URL, as upstream's bare HTTPForbidden."""
    return HeatError(403, "Access was denied to this resource.", "HTTPForbidden")


class Policy:
    """Heat's rules in oslo.policy, with an optional file of overrides (YAML or JSON)."""

    def __init__(self, policy_file: str | None = None) -> None:
        conf = cfg.ConfigOpts()
        conf([], project="heat_temporal", default_config_files=[], default_config_dirs=[])
        self._enforcer = policy.Enforcer(conf, policy_file=policy_file, default_rule="!")
        self._enforcer.register_defaults(default_rules())
        self._enforcer.load_rules()

    def allows(self, rule: str, credentials: Mapping[str, Any], target: dict[str, Any]) -> bool:
        try:
            return bool(self._enforcer.authorize(rule, target, dict(credentials), do_raise=False))
        except policy.InvalidScope:
            return False

    def enforce(self, rule: str, credentials: Mapping[str, Any], target: dict[str, Any]) -> None:
        if not self.allows(rule, credentials, target):
            raise PolicyForbidden(action=rule)

    def is_admin(self, credentials: Mapping[str, Any]) -> bool:
        return self.allows("context_is_admin", credentials, {})

    def enforce_resource_types(
        self, types: set[str], credentials: Mapping[str, Any], target: dict[str, Any]
    ) -> None:
        """Types only an admin may use (upstream's resource_types:<type> rules, with
        `OS::Keystone::*` wildcards); any other type is allowed. Upstream names the rule when
        the type's own rule refuses, and the bare type when a wildcard does."""
        for type_name in sorted(types):
            wildcard = "::".join([*type_name.split("::")[:-1], "*"])
            for rule_type, named in (
                (type_name, f"resource_types:{type_name}"),
                (wildcard, type_name),
            ):
                if rule_type in ADMIN_RESOURCE_TYPES and not self.allows(
                    f"resource_types:{rule_type}", credentials, target
                ):
                    raise PolicyForbidden(action=named)


SIGNAL_ROUTE = S + "/resources/{resource_name}/signal"


def is_signal(request: web.Request) -> bool:
    route = request.match_info.route
    return route.resource is not None and route.resource.canonical == SIGNAL_ROUTE


def signed_by_its_handle(request: web.Request) -> bool:
    """A wait handle's signal URL carries the handle's own secret (`?token=`), which the
    stack checks: such a request needs no Keystone token, as upstream's signed URLs."""
    return is_signal(request) and bool(request.query.get("token"))


def route_rule(request: web.Request) -> str | None:
    """The rule guarding the matched route, or None when the route has none."""
    route = request.match_info.route
    path = route.resource.canonical if route.resource is not None else ""
    # aiohttp answers HEAD on every GET route: it reads what GET reads.
    method = "GET" if request.method == "HEAD" else request.method
    return ROUTE_RULES.get((method, path)) or ROUTE_RULES.get(("*", path))


async def action_rule(request: web.Request) -> str | None:
    """For POST .../actions the rule is the action's; a body naming no single known action
    gets the route's own 400 from the handler."""
    try:
        body = await request.json()
    except ValueError:
        return None
    if isinstance(body, dict) and len(body) == 1:
        return ACTION_RULES.get(next(iter(body)))
    return None
