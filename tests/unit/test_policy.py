"""Heat's default policy in oslo.policy: member, reader and admin personas, admin-only resource
types, and an operator's policy file overriding a rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.policy import Policy, PolicyForbidden


def creds(project: str, *roles: str) -> dict[str, object]:
    return {"project_id": project, "roles": list(roles), "is_admin_project": True}


MEMBER = creds("p1", "member", "reader")
READER = creds("p1", "reader")
ADMIN = creds("p1", "admin", "member", "reader")
OWN = {"project_id": "p1"}


def test_members_change_readers_read_and_nobody_lists_globally_by_default() -> None:
    policy = Policy()
    assert policy.allows("stacks:create", MEMBER, OWN)
    assert not policy.allows("stacks:create", READER, OWN)
    assert policy.allows("stacks:index", READER, OWN)
    assert policy.allows("actions:check", READER, OWN)
    assert not policy.allows("actions:suspend", READER, OWN)
    assert not policy.allows("stacks:create", MEMBER, {"project_id": "p2"})
    assert not policy.allows("stacks:global_index", ADMIN, OWN)
    assert policy.allows("service:index", ADMIN, OWN)
    assert not policy.allows("service:index", MEMBER, OWN)


def test_a_heat_stack_user_is_denied_what_upstream_denies_it() -> None:
    policy = Policy()
    stack_user = creds("p1", "heat_stack_user")
    assert policy.allows("stacks:lookup", stack_user, OWN)
    assert policy.allows("resource:metadata", stack_user, OWN)
    assert not policy.allows("stacks:show", stack_user, OWN)


def test_the_cloud_admin_is_an_admin_of_the_admin_project() -> None:
    policy = Policy()
    assert policy.is_admin(ADMIN)
    assert not policy.is_admin({**ADMIN, "is_admin_project": False})
    assert not policy.is_admin(MEMBER)


def test_admin_only_resource_types_and_their_wildcards() -> None:
    policy = Policy()
    policy.enforce_resource_types({"OS::Heat::None", "OS::Nova::Server"}, MEMBER, OWN)
    policy.enforce_resource_types({"OS::Nova::Flavor", "OS::Keystone::Project"}, ADMIN, OWN)
    with pytest.raises(
        PolicyForbidden, match=r"You are not authorized to use resource_types:OS::Nova::Flavor\."
    ):
        policy.enforce_resource_types({"OS::Nova::Flavor"}, MEMBER, OWN)
    with pytest.raises(
        PolicyForbidden, match=r"You are not authorized to use OS::Keystone::User\."
    ):
        policy.enforce_resource_types({"OS::Keystone::User"}, MEMBER, OWN)


def test_a_policy_file_overrides_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        '"stacks:create": "role:admin"\n"stacks:global_index": "rule:context_is_admin"\n'
    )
    policy = Policy(str(path))
    assert not policy.allows("stacks:create", MEMBER, OWN)
    assert policy.allows("stacks:create", ADMIN, OWN)
    assert policy.allows("stacks:global_index", ADMIN, OWN)
    assert policy.allows(
        "stacks:index", READER, OWN
    )  # what the file does not name keeps its default


def test_forbidden_reads_as_upstream() -> None:
    with pytest.raises(PolicyForbidden) as refused:
        Policy().enforce("stacks:delete", READER, OWN)
    assert (refused.value.status, refused.value.error_type, refused.value.message) == (
        403,
        "Forbidden",
        "You are not authorized to use stacks:delete.",
    )
