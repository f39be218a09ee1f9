"""A real Keystone with two projects and three users, and the service in its catalog with
keystone auth and an encrypting codec: the world the security tests run in."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from openstack import connection

from service.codec import new_key
from tests.conftest import REPO, Service, make_service

AUTH_URL = "http://127.0.0.1:5000/v3"
MINICLOUD = REPO.parent / "shared" / "minicloud"
SERVICE_USER = {"username": "ksm", "password": "ksmpass", "project_name": "service"}
# Each user's password, as the tests log in with it.
PASSWORD = "Sec-" + uuid.uuid4().hex


def keystone_answers() -> bool:
    try:
        return requests.get(AUTH_URL, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def start_keystone() -> None:
    """minicloud's start.sh installs and starts Keystone when it is not there (a fresh
    machine). When a Keystone already answers it is left alone: `start.sh keystone` would
    rewrite the configuration of a Keystone that a full minicloud runs on MariaDB."""
    if keystone_answers():
        return
    subprocess.run(
        [str(MINICLOUD / "start.sh"), "keystone"],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=900,
    )


def password_session(user: str, password: str, project_id: str | None = None, **kw: Any) -> Any:
    auth = v3.Password(
        auth_url=AUTH_URL,
        username=user,
        password=password,
        user_domain_name="Default",
        project_id=project_id,
        project_domain_name=None if project_id else "Default",
        **kw,
    )
    return ks_session.Session(auth=auth)


def token_for(user: str, project_id: str) -> str:
    return str(password_session(user, PASSWORD, project_id).get_token())


@dataclass
class Cloud:
    """What the fixture made in Keystone, and tokens of its users."""

    project_a: str
    project_b: str
    admin: str
    member: str
    reader: str
    region: str
    service: Service | None = None
    codec_key: str = ""
    _tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def token(self, user: str, project: str) -> str:
        if (user, project) not in self._tokens:
            self._tokens[(user, project)] = token_for(user, project)
        return self._tokens[(user, project)]

    @property
    def api(self) -> Service:
        assert self.service is not None
        return self.service


@pytest.fixture(scope="module")
def admin_conn() -> Iterator[Any]:
    start_keystone()
    conn = connection.Connection(
        auth_url=AUTH_URL,
        username="admin",
        password="secret",
        project_name="admin",
        user_domain_name="Default",
        project_domain_name="Default",
        region_name="RegionOne",
    )
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture(scope="module")
def keystone_world(admin_conn: Any) -> Iterator[Cloud]:
    """Two projects; an admin, a member and a reader of project A (the member is a member of
    B too, for "a token of the other project"); a region of our own for the catalog entry."""
    suffix = uuid.uuid4().hex[:8]
    identity = admin_conn.identity
    made: list[tuple[str, Any]] = []
    try:
        project_a = identity.create_project(name=f"ht-a-{suffix}", domain_id="default")
        made.append(("project", project_a))
        project_b = identity.create_project(name=f"ht-b-{suffix}", domain_id="default")
        made.append(("project", project_b))
        users = {}
        for role in ("admin", "member", "reader"):
            user = identity.create_user(
                name=f"ht-{role}-{suffix}", password=PASSWORD, domain_id="default"
            )
            made.append(("user", user))
            identity.assign_project_role_to_user(project_a, user, identity.find_role(role))
            users[role] = user.name
        identity.assign_project_role_to_user(
            project_b, identity.find_user(users["member"]), identity.find_role("member")
        )
        region = identity.create_region(id=f"ht-region-{suffix}")
        made.append(("region", region))
        yield Cloud(
            project_a=project_a.id,
            project_b=project_b.id,
            admin=users["admin"],
            member=users["member"],
            reader=users["reader"],
            region=region.id,
        )
    finally:
        for kind, thing in reversed(made):
            getattr(identity, f"delete_{kind}")(thing, ignore_missing=True)


@pytest.fixture(scope="module")
def cloud(
    keystone_world: Cloud,
    admin_conn: Any,
    temporal_target: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cloud]:
    """The service with keystone auth and the codec, registered in the catalog as
    `orchestration` in the world's own region."""
    data_dir = tmp_path_factory.mktemp("secure")
    policy_file = data_dir / "policy.yaml"
    # The operator's override the tests rely on: a cloud admin may list every project's stacks.
    policy_file.write_text('"stacks:global_index": "rule:context_is_admin"\n')
    keystone_world.codec_key = new_key()
    service = make_service(
        temporal_target,
        data_dir,
        extra_env={
            "HEAT_TEMPORAL_AUTH_STRATEGY": "keystone",
            "HEAT_TEMPORAL_KEYSTONE_AUTHTOKEN": json.dumps(
                {
                    "www_authenticate_uri": AUTH_URL,
                    "auth_url": AUTH_URL,
                    **SERVICE_USER,
                    "policy_file": str(policy_file),
                }
            ),
            "HEAT_TEMPORAL_CODEC": json.dumps(
                {"keys": {"k1": keystone_world.codec_key}, "primary_key_id": "k1"}
            ),
        },
    )
    identity = admin_conn.identity
    catalog_service = identity.create_service(
        type="orchestration", name=f"heat-temporal-{keystone_world.region}"
    )
    endpoints = [
        identity.create_endpoint(
            service_id=catalog_service.id,
            interface=interface,
            url=f"{service.url}/v1/%(tenant_id)s",
            region_id=keystone_world.region,
        )
        for interface in ("public", "internal")
    ]
    keystone_world.service = service
    try:
        yield keystone_world
    finally:
        service.stop()
        for endpoint in endpoints:
            identity.delete_endpoint(endpoint, ignore_missing=True)
        identity.delete_service(catalog_service, ignore_missing=True)


class Caller:
    """Speaks the Heat API with one token (or none)."""

    def __init__(self, base: str, token: str | None) -> None:
        self.base = base
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token is not None:
            self.headers["X-Auth-Token"] = token

    def call(self, method: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(
            method,
            self.base + path,
            headers=self.headers,
            data=None if body is None else json.dumps(body),
            allow_redirects=False,
            timeout=60,
        )


def caller(cloud: Cloud, token: str | None) -> Caller:
    return Caller(cloud.api.url, token)


def log_tail(service: Service) -> str:
    return "\n".join(Path(p).read_text()[-3000:] for p in service.logs)
