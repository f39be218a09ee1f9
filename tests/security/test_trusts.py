"""Long operations outlive tokens: each stack holds a Keystone trust from its creator to the
service user, the engine acts through it, and it is deleted with the stack."""

from __future__ import annotations

import asyncio
import base64
import uuid
from typing import Any

from activities.identity import TrustSessions
from service.codec import EncryptionCodec
from service.keystone_settings import KeystoneSettings
from service.temporal import connect
from tests.conftest import wait_until
from tests.security.conftest import (
    AUTH_URL,
    PASSWORD,
    SERVICE_USER,
    Cloud,
    caller,
    password_session,
)
from workflows.stack import StackWorkflow
from workflows.types import StackState

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {"nothing": {"type": "OS::Heat::None"}},
}
SERVICE_SETTINGS = KeystoneSettings(auth_url=AUTH_URL, **SERVICE_USER)


def entity_state(cloud: Cloud, temporal_target: str, project: str, name: str) -> StackState:
    async def query() -> StackState:
        codec = EncryptionCodec({"k1": base64.b64decode(cloud.codec_key)}, "k1")
        client = await connect(temporal_target, "default", payload_codec=codec)
        return await client.get_workflow_handle(f"stack/{project}/{name}").query(
            StackWorkflow.state
        )

    return asyncio.run(query())


def trust_as_admin(trust_id: str) -> Any:
    admin = password_session("admin", "secret", project_name="admin")
    return admin.get(f"{AUTH_URL}/OS-TRUST/trusts/{trust_id}", raise_exc=False, authenticated=True)


def test_a_stack_acts_through_its_trust_after_its_users_token_is_revoked(
    cloud: Cloud, temporal_target: str
) -> None:
    session = password_session(cloud.member, PASSWORD, cloud.project_a)
    token = session.get_token()
    member_id = session.get_user_id()
    member = caller(cloud, token)
    name = f"trusted-{uuid.uuid4().hex[:6]}"
    created = member.call(
        "POST", f"/v1/{cloud.project_a}/stacks", {"stack_name": name, "template": TEMPLATE}
    )
    assert created.status_code == 201, created.text
    stack_id = created.json()["stack"]["id"]
    path = f"/v1/{cloud.project_a}/stacks/{name}/{stack_id}"
    wait_until(
        lambda: member.call("GET", path).json()["stack"]["stack_status"] == "CREATE_COMPLETE",
        60,
        "the stack to be created",
    )

    # The trust the engine holds: the member's roles in A, delegated to the service user.
    trust_id = entity_state(cloud, temporal_target, cloud.project_a, name).trust_id
    assert trust_id
    trust = trust_as_admin(trust_id).json()["trust"]
    assert trust["trustor_user_id"] == member_id
    assert trust["project_id"] == cloud.project_a
    assert trust["impersonation"] is True
    assert "member" in {role["name"] for role in trust["roles"]}

    # The user's token is revoked (as it would expire): the engine still gets a token for
    # the project, acting as the user, from a trust-scoped session of the service user.
    admin = password_session("admin", "secret", project_name="admin")
    admin.delete(f"{AUTH_URL}/auth/tokens", headers={"X-Subject-Token": token}, authenticated=True)
    check = admin.get(
        f"{AUTH_URL}/auth/tokens",
        headers={"X-Subject-Token": token},
        authenticated=True,
        raise_exc=False,
    )
    assert check.status_code == 404  # Keystone no longer knows the user's token
    acting = TrustSessions(SERVICE_SETTINGS).session(trust_id)
    assert acting.get_project_id() == cloud.project_a
    assert acting.get_user_id() == member_id  # impersonation: the cloud sees the user
    projects = acting.get(f"{AUTH_URL}/auth/projects").json()["projects"]
    assert cloud.project_a in [p["id"] for p in projects]

    # Deleting the stack (with a fresh token) deletes its trust.
    fresh = caller(cloud, password_session(cloud.member, PASSWORD, cloud.project_a).get_token())
    assert fresh.call("DELETE", path).status_code == 204
    wait_until(lambda: trust_as_admin(trust_id).status_code == 404, 60, "the trust to be deleted")


def test_a_refused_create_leaves_no_trust_behind(cloud: Cloud, temporal_target: str) -> None:
    session = password_session(cloud.member, PASSWORD, cloud.project_a)
    member = caller(cloud, session.get_token())
    name = f"twice-{uuid.uuid4().hex[:6]}"
    body = {"stack_name": name, "template": TEMPLATE}
    assert member.call("POST", f"/v1/{cloud.project_a}/stacks", body).status_code == 201
    before = trusts_of(session.get_user_id())
    again = member.call("POST", f"/v1/{cloud.project_a}/stacks", body)
    assert again.status_code == 409, again.text
    assert trusts_of(session.get_user_id()) == before


def trusts_of(user_id: str) -> set[str]:
    admin = password_session("admin", "secret", project_name="admin")
    listed = admin.get(
        f"{AUTH_URL}/OS-TRUST/trusts?trustor_user_id={user_id}", authenticated=True
    ).json()["trusts"]
    return {t["id"] for t in listed}
