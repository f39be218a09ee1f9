"""Keystone auth and Heat's policy on every endpoint: no token, a bad one, a revoked one, the
other project's, a reader's, a member's and an admin's, each getting upstream's answer."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, cast

import pytest
import requests
from temporalio.client import Client

from api.app import create_app
from api.engine import Engine
from api.policy import ROUTE_RULES, is_public
from listings.db import create_engine
from service.codec import new_key
from service.settings import Settings
from tests.conftest import wait_until
from tests.security.conftest import AUTH_URL, PASSWORD, Cloud, caller, password_session

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "parameters": {"secret": {"type": "string", "hidden": True, "default": "x"}},
    "resources": {"nothing": {"type": "OS::Heat::None"}},
    "outputs": {"out": {"value": "hello"}},
}
KSM_401 = {
    "error": {
        "code": 401,
        "title": "Unauthorized",
        "message": "The request you have made requires authentication.",
    }
}
# Upstream's rules that a reader (read-only role) passes; every other rule needs a member.
READER_RULES = {
    "build_info:build_info",
    "stacks:list_resource_types",
    "stacks:resource_schema",
    "stacks:list_template_versions",
    "stacks:list_template_functions",
    "stacks:index",
    "stacks:preview",
    "stacks:detail",
    "stacks:lookup",
    "stacks:show",
    "stacks:show_snapshot",
    "stacks:list_snapshots",
    "stacks:template",
    "stacks:environment",
    "stacks:files",
    "stacks:list_outputs",
    "stacks:show_output",
    "resource:index",
    "resource:show",
    "resource:metadata",
    "resource:signal",
    "software_configs:index",
    "software_configs:show",
    "software_deployments:index",
    "software_deployments:show",
    "software_deployments:metadata",
    "events:index",
    "events:show",
    "actions:check",
}


@pytest.fixture(scope="module")
def stack(cloud: Cloud) -> dict[str, str]:
    """A stack the member made in project A."""
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    name = f"guarded-{uuid.uuid4().hex[:6]}"
    created = member.call(
        "POST",
        f"/v1/{cloud.project_a}/stacks",
        {"stack_name": name, "template": TEMPLATE, "parameters": {"secret": "p"}},
    )
    assert created.status_code == 201, created.text
    stack_id = created.json()["stack"]["id"]

    def complete() -> bool:
        shown = member.call("GET", f"/v1/{cloud.project_a}/stacks/{name}/{stack_id}")
        return shown.json()["stack"]["stack_status"] == "CREATE_COMPLETE"

    wait_until(complete, 60, "the guarded stack to be created")
    return {"name": name, "id": stack_id}


def requests_for_every_route(
    cloud: Cloud, stack: dict[str, str]
) -> list[tuple[str, str, Any, str]]:
    """(method, path, body, rule) for every route of the policy table, on project A."""
    values = {
        "tenant": cloud.project_a,
        "stack_name": stack["name"],
        "stack_id": stack["id"],
        "identity": stack["name"],
        "arn": f"arn:openstack:heat::{cloud.project_a}:stacks/{stack['name']}/{stack['id']}",
        "path": "resources",
        "type_name": "OS::Heat::None",
        "version": "heat_template_version.2018-08-31",
        "snapshot_id": str(uuid.uuid4()),
        "resource_name": "nothing",
        "event_id": str(uuid.uuid4()),
        "output_key": "out",
        "config_id": str(uuid.uuid4()),
        "deployment_id": str(uuid.uuid4()),
        "server_id": str(uuid.uuid4()),
    }
    bodies: dict[str, Any] = {
        "stacks:create": {"stack_name": "x", "template": TEMPLATE},
        "stacks:preview": {"stack_name": "x", "template": TEMPLATE},
        "stacks:validate_template": {"template": TEMPLATE},
        "stacks:update": {"template": TEMPLATE},
        "stacks:update_patch": {},
        "stacks:preview_update": {"template": TEMPLATE},
        "stacks:preview_update_patch": {},
        "stacks:snapshot": {"name": "s"},
        "resource:mark_unhealthy": {"mark_unhealthy": False},
        "software_configs:create": {"name": "c", "group": "script", "config": "echo"},
        "software_deployments:create": {"config_id": str(uuid.uuid4()), "server_id": "s"},
        "software_deployments:update": {"status": "COMPLETE"},
        "codec:encode": {"payloads": []},
        "codec:decode": {"payloads": []},
    }
    found: list[tuple[str, str, Any, str]] = []
    for (method, template), rule in ROUTE_RULES.items():
        path = template
        for key, value in values.items():
            path = path.replace("{" + key + "}", value)
        if rule == "actions:action":
            for action in ("suspend", "resume", "check", "cancel_update"):
                found.append((method, path, {action: None}, f"actions:{action}"))
            continue
        found.append(("GET" if method == "*" else method, path, bodies.get(rule), rule))
    return found


def test_every_route_of_the_app_has_a_policy_rule(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'l.db'}",
        codec={"keys": {"k": new_key()}},
    )
    # The app as `python -m api` builds it; nothing here calls Temporal.
    engine = Engine(cast(Client, None), "unused", 1)
    app = create_app(settings, create_engine(settings.listings_url), engine)
    missing = [
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None
        and not is_public(route.resource.canonical)
        and not is_public(route.resource.canonical + "/")
        and route.method not in ("HEAD", "OPTIONS")
        and (route.method, route.resource.canonical) not in ROUTE_RULES
        and ("*", route.resource.canonical) not in ROUTE_RULES
    ]
    assert missing == []


def test_the_versions_document_needs_no_token(cloud: Cloud) -> None:
    response = caller(cloud, None).call("GET", "/")
    assert response.status_code in (200, 300)
    assert response.json()["versions"][0]["id"] == "v1.0"


def test_no_token_and_a_bad_token_get_keystonemiddlewares_401_everywhere(
    cloud: Cloud, stack: dict[str, str]
) -> None:
    for token in (None, "gAAAAAB-not-a-token"):
        for method, path, body, rule in requests_for_every_route(cloud, stack):
            response = caller(cloud, token).call(method, path, body)
            if rule == "resource:signal" and token is not None:
                # What Keystone does not know may be a wait handle's own token: the stack
                # answers (this resource takes no signals).
                assert response.status_code in (400, 403), response.text
                continue
            assert response.status_code == 401, (rule, token, response.text)
            assert response.headers["WWW-Authenticate"] == f'Keystone uri="{AUTH_URL}"'
            assert response.json() == KSM_401


def test_a_revoked_token_is_refused(cloud: Cloud) -> None:
    token = cloud.token(cloud.reader, cloud.project_a)
    admin = password_session("admin", "secret", project_name="admin")
    admin.delete(
        "/auth/tokens",
        endpoint_filter={"service_type": "identity", "interface": "public"},
        headers={"X-Subject-Token": token},
    )
    cloud._tokens.clear()  # the next reader token is a fresh one
    response = caller(cloud, token).call("GET", f"/v1/{cloud.project_a}/stacks")
    assert response.status_code == 401
    assert response.json() == KSM_401


def test_a_token_of_another_project_is_refused_on_every_route(
    cloud: Cloud, stack: dict[str, str]
) -> None:
    other = caller(cloud, cloud.token(cloud.member, cloud.project_b))
    for method, path, body, rule in requests_for_every_route(cloud, stack):
        response = other.call(method, path, body)
        assert response.status_code == 403, (rule, response.text)
        error = response.json()["error"]
        if rule.startswith("codec:"):
            # No project in the path: the rule (admin only) refuses it.
            assert error == {
                "type": "Forbidden",
                "traceback": None,
                "message": f"You are not authorized to use {rule}.",
            }
        else:
            assert error == {
                "type": "HTTPForbidden",
                "traceback": None,
                "message": "Access was denied to this resource.",
            }
            assert response.json()["title"] == "Forbidden"


def test_a_reader_reads_but_changes_nothing(cloud: Cloud, stack: dict[str, str]) -> None:
    reader = caller(cloud, cloud.token(cloud.reader, cloud.project_a))
    for method, path, body, rule in requests_for_every_route(cloud, stack):
        if rule == "actions:cancel_update":
            continue  # allowed or not, cancelling an idle stack answers 400 either way
        response = reader.call(method, path, body)
        if rule in READER_RULES:
            assert response.status_code not in (401, 403), (rule, response.text)
        else:
            assert response.status_code == 403, (rule, response.text)
            assert response.json()["error"] == {
                "type": "Forbidden",
                "traceback": None,
                "message": f"You are not authorized to use {rule}.",
            }
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    shown = member.call("GET", f"/v1/{cloud.project_a}/stacks/{stack['name']}/{stack['id']}")
    # Nothing was deleted, suspended or updated: a check (a reader's right) is all that ran.
    assert shown.json()["stack"]["stack_status"].split("_")[0] in ("CREATE", "CHECK")
    listed = member.call("GET", f"/v1/{cloud.project_a}/stacks").json()["stacks"]
    assert [s["stack_name"] for s in listed if s["stack_name"] == "x"] == []


def test_a_member_may_use_every_stack_route(cloud: Cloud, stack: dict[str, str]) -> None:
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    for method, path, body, rule in requests_for_every_route(cloud, stack):
        if rule in ("stacks:delete", "stacks:abandon") or rule.startswith(("codec:", "actions:")):
            continue
        response = member.call(method, path, body)
        assert response.status_code not in (401, 403), (rule, response.text)
    codec = member.call("POST", "/codec/decode", {"payloads": []})
    assert codec.status_code == 403
    assert codec.json()["error"]["message"] == "You are not authorized to use codec:decode."


def test_the_request_context_is_the_tokens(cloud: Cloud) -> None:
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    name = f"ctx-{uuid.uuid4().hex[:6]}"
    created = member.call(
        "POST", f"/v1/{cloud.project_a}/stacks", {"stack_name": name, "template": TEMPLATE}
    )
    assert created.status_code == 201, created.text
    stack_id = created.json()["stack"]["id"]
    shown = member.call("GET", f"/v1/{cloud.project_a}/stacks/{name}/{stack_id}").json()["stack"]
    assert shown["stack_owner"] == cloud.member
    assert shown["parameters"]["secret"] == "******"
    assert shown["parameters"]["OS::project_id"] == cloud.project_a


def test_projects_are_isolated_and_names_are_per_project(
    cloud: Cloud, stack: dict[str, str]
) -> None:
    in_b = caller(cloud, cloud.token(cloud.member, cloud.project_b))
    # Project B sees none of A's stacks, and may take the same name.
    listed = in_b.call("GET", f"/v1/{cloud.project_b}/stacks").json()["stacks"]
    assert stack["id"] not in [s["id"] for s in listed]
    looked_up = in_b.call("GET", f"/v1/{cloud.project_b}/stacks/{stack['name']}")
    assert looked_up.status_code == 404
    made = in_b.call(
        "POST",
        f"/v1/{cloud.project_b}/stacks",
        {"stack_name": stack["name"], "template": TEMPLATE},
    )
    assert made.status_code == 201, made.text
    assert made.json()["stack"]["id"] != stack["id"]


def test_global_listing_is_for_the_admin_the_policy_file_names(
    cloud: Cloud, stack: dict[str, str]
) -> None:
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    refused = member.call("GET", f"/v1/{cloud.project_a}/stacks?global_tenant=true")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "You are not authorized to use stacks:global_index."
    )
    in_b = caller(cloud, cloud.token(cloud.member, cloud.project_b))
    made = in_b.call(
        "POST",
        f"/v1/{cloud.project_b}/stacks",
        {"stack_name": f"in-b-{uuid.uuid4().hex[:6]}", "template": TEMPLATE},
    )
    assert made.status_code == 201, made.text
    admin = caller(cloud, cloud.token(cloud.admin, cloud.project_a))
    own = admin.call("GET", f"/v1/{cloud.project_a}/stacks").json()["stacks"]
    assert made.json()["stack"]["id"] not in [s["id"] for s in own]
    listed = admin.call("GET", f"/v1/{cloud.project_a}/stacks?global_tenant=true")
    assert listed.status_code == 200, listed.text
    every = [s["id"] for s in listed.json()["stacks"]]
    assert stack["id"] in every
    assert made.json()["stack"]["id"] in every


def test_an_admin_may_act_in_another_project(cloud: Cloud, stack: dict[str, str]) -> None:
    # The cloud admin's token is scoped to project A; project B's URLs accept it (upstream's
    # is_admin), while the member of A is refused there.
    admin_in_a = caller(cloud, cloud.token(cloud.admin, cloud.project_a))
    member_of_a = caller(
        cloud, password_session(cloud.member, PASSWORD, cloud.project_a).get_token()
    )
    in_b = caller(cloud, cloud.token(cloud.member, cloud.project_b))
    name = f"adm-{uuid.uuid4().hex[:6]}"
    made = in_b.call(
        "POST", f"/v1/{cloud.project_b}/stacks", {"stack_name": name, "template": TEMPLATE}
    )
    assert made.status_code == 201, made.text
    path = f"/v1/{cloud.project_b}/stacks/{name}/{made.json()['stack']['id']}"
    assert admin_in_a.call("GET", path).status_code == 200
    assert member_of_a.call("GET", path).status_code == 403


def test_head_is_guarded_as_get(cloud: Cloud) -> None:
    # (Upstream answers HEAD with 405; aiohttp serves it as GET: it must be guarded as GET.)
    path = f"/v1/{cloud.project_a}/stacks"
    reader = caller(cloud, cloud.token(cloud.reader, cloud.project_a))
    assert reader.call("HEAD", path).status_code not in (401, 403)
    other = caller(cloud, cloud.token(cloud.member, cloud.project_b))
    assert other.call("HEAD", path).status_code == 403
    assert caller(cloud, None).call("HEAD", path).status_code == 401


def test_a_service_token_beside_the_users_is_validated_too(cloud: Cloud) -> None:
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    path = f"/v1/{cloud.project_a}/stacks"
    service_token = password_session("ksm", "ksmpass", project_name="service").get_token()
    member.headers["X-Service-Token"] = service_token
    assert member.call("GET", path).status_code == 200
    member.headers["X-Service-Token"] = "gAAAAAB-not-a-service-token"
    refused = member.call("GET", path)
    assert refused.status_code == 401
    assert refused.json() == KSM_401


def test_admin_only_resource_types_are_refused_to_members(cloud: Cloud) -> None:
    # The environment maps the type to a harmless implementation: the rule is about the
    # template's type, as upstream checks it.
    body = {
        "stack_name": f"flavor-{uuid.uuid4().hex[:6]}",
        "template": {
            "heat_template_version": "2018-08-31",
            "resources": {"flavor": {"type": "OS::Nova::Flavor"}},
        },
        "environment": {"resource_registry": {"OS::Nova::Flavor": "OS::Heat::None"}},
    }
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    for path in ("/stacks", "/stacks/preview"):
        refused = member.call("POST", f"/v1/{cloud.project_a}{path}", body)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["message"] == (
            "You are not authorized to use resource_types:OS::Nova::Flavor."
        )
    admin = caller(cloud, cloud.token(cloud.admin, cloud.project_a))
    assert admin.call("POST", f"/v1/{cloud.project_a}/stacks", body).status_code == 201
    plain = {
        "stack_name": f"plain-{uuid.uuid4().hex[:6]}",
        "template": {
            "heat_template_version": "2018-08-31",
            "resources": {"nothing": {"type": "OS::Heat::None"}},
        },
    }
    made = member.call("POST", f"/v1/{cloud.project_a}/stacks", plain)
    assert made.status_code == 201, made.text
    path = f"/v1/{cloud.project_a}/stacks/{plain['stack_name']}/{made.json()['stack']['id']}"
    wait_until(
        lambda: member.call("GET", path).json()["stack"]["stack_status"] == "CREATE_COMPLETE",
        60,
        "the plain stack to be created",
    )
    update = {"template": body["template"], "environment": body["environment"]}
    refused = member.call("PUT", path, update)
    assert refused.status_code == 403, refused.text
    assert (
        refused.json()["error"]["message"]
        == "You are not authorized to use resource_types:OS::Nova::Flavor."
    )
    assert member.call("GET", path).json()["stack"]["stack_status"] == "CREATE_COMPLETE"


def test_admin_only_resource_types_are_not_listed_to_members(cloud: Cloud) -> None:
    """Upstream's type listing checks each type's policy rule (test_conditional_exposure's
    test_forbidden_resource_not_listed)."""
    path = f"/v1/{cloud.project_a}/resource_types"
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    admin = caller(cloud, cloud.token(cloud.admin, cloud.project_a))
    member_types = member.call("GET", path).json()["resource_types"]
    admin_types = admin.call("GET", path).json()["resource_types"]
    assert "OS::Nova::Flavor" in admin_types
    assert "OS::Nova::Flavor" not in member_types
    assert "OS::Heat::None" in member_types


def test_readiness_includes_keystone_when_auth_is_on(cloud: Cloud) -> None:
    answer = requests.get(f"{cloud.api.url}/readyz", timeout=30)
    assert answer.status_code == 200, answer.text
    assert set(answer.json()["checks"]) >= {"temporal", "database", "keystone"}


def test_types_whose_service_is_not_in_the_tokens_catalog_are_unavailable(cloud: Cloud) -> None:
    """Upstream's ResourceTypeUnavailable against the real catalog (the minicloud has no Swift,
    Trove or Zaqar): refused on create and validate unless validate ignores 99001, shown as
    400, while types whose service is there are listed (test_conditional_exposure's
    ServiceBasedExposureTest)."""
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    base = f"/v1/{cloud.project_a}"
    bucket = {
        "heat_template_version": "2018-08-31",
        "resources": {"bucket": {"type": "OS::Swift::Container"}},
    }
    name = f"unavailable-{uuid.uuid4().hex[:6]}"
    refused = member.call("POST", f"{base}/stacks", {"stack_name": name, "template": bucket})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["type"] == "ResourceTypeUnavailable"
    assert refused.json()["error"]["message"] == (
        "HEAT-E99001 Service swift is not available for resource type OS::Swift::Container, "
        "reason: swift object-store endpoint is not in service catalog."
    )
    assert member.call("GET", f"{base}/stacks/{name}").status_code == 404
    trove = {
        "heat_template_version": "2018-08-31",
        "resources": {"db": {"type": "OS::Trove::Instance"}},
    }
    validated = member.call("POST", f"{base}/validate", {"template": trove})
    assert validated.status_code == 400, validated.text
    assert validated.json()["error"]["message"] == (
        "HEAT-E99001 Service trove is not available for resource type OS::Trove::Instance, "
        "reason: trove database endpoint is not in service catalog."
    )
    ignored = member.call("POST", f"{base}/validate?ignore_errors=99001", {"template": trove})
    assert ignored.status_code == 200, ignored.text
    shown = member.call("GET", f"{base}/resource_types/OS::Zaqar::Queue")
    assert shown.status_code == 400, shown.text
    assert shown.json()["error"]["message"] == (
        "HEAT-E99001 Service zaqar is not available for resource type OS::Zaqar::Queue, "
        "reason: Service endpoint not in service catalog."
    )
    listed = member.call("GET", f"{base}/resource_types").json()["resource_types"]
    assert {"OS::Nova::Server", "OS::Neutron::Net", "OS::Cinder::Volume"} <= set(listed)
    assert member.call("GET", f"{base}/resource_types/OS::Nova::Server").status_code == 200
