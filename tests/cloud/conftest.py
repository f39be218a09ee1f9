"""Fixtures of the cloud tests: the minicloud (a real OpenStack on loopback) and a service
whose worker makes resources in it, plus the `openstack` CLI against both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import openstack
import pytest
import yaml
from openstack.config import OpenStackConfig
from openstack.identity.v3._proxy import Proxy as IdentityV3

from tests.conftest import REPO, Service, make_service

MINICLOUD_DIR = Path(os.environ.get("MINICLOUD_DIR", "/tmp/minicloud"))
# shared/ lies beside the repository, here and in CI.
START_SCRIPT = REPO.parent / "shared" / "minicloud" / "start.sh"
CLOUDS_YAML = MINICLOUD_DIR / "clouds.yaml"
OPENSTACK = str(Path(sys.executable).with_name("openstack"))
# The worker acts as the demo user; the admin makes what only an admin may (external nets).
WORKER_CLOUD = "minicloud-demo"


def _keystone_answers() -> bool:
    try:
        with urllib.request.urlopen("http://127.0.0.1:5000/v3", timeout=3) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="session")
def minicloud() -> Path:
    """The minicloud's clouds.yaml, after starting it if it is not up (start.sh is idempotent,
    ~190 s from nothing; CI starts it before the tests)."""
    if not (CLOUDS_YAML.exists() and _keystone_answers()):
        subprocess.run([str(START_SCRIPT)], check=True, timeout=900)
    return CLOUDS_YAML


def sdk_connection(
    cloud: str = WORKER_CLOUD, clouds_yaml: Path = CLOUDS_YAML
) -> openstack.connection.Connection:
    """An openstacksdk connection to the minicloud, for checks cheaper than a CLI run."""
    # The file given, not OS_CLIENT_CONFIG_FILE (which would take precedence).
    config = OpenStackConfig(config_files=[str(clouds_yaml)], load_envvars=False)
    return openstack.connection.Connection(config=config.get_one(cloud=cloud))


def cloud_cli(cloud: str, *args: str) -> Any:
    """The real `openstack` CLI against the minicloud (not our API); JSON output parsed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_CLIENT_CONFIG_FILE=str(CLOUDS_YAML), OS_CLOUD=cloud)
    quiet = args[-2] in ("delete", "unset") or "delete" in args
    formatted = [*args] if quiet else [*args, "-f", "json"]
    result = subprocess.run(
        [OPENSTACK, *formatted], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"openstack {' '.join(args)} failed:\n{result.stderr}"
    return json.loads(result.stdout) if result.stdout.strip() else None


def heat_cli(service: Service, project: str, *args: str) -> str:
    """The real `openstack` CLI against our API (noauth, as Heat's standalone mode)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_AUTH_TYPE="none", OS_ENDPOINT=service.endpoint(project))
    result = subprocess.run(
        [OPENSTACK, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"openstack {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def cloud_service(
    minicloud: Path, temporal_target: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """API and worker processes whose worker reaches the minicloud as the demo user."""
    extra = {"OS_CLIENT_CONFIG_FILE": str(minicloud), "HEAT_TEMPORAL_CLOUD__NAME": WORKER_CLOUD}
    service = make_service(
        temporal_target, tmp_path_factory.mktemp("cloud-service"), extra_env=extra
    )
    try:
        yield service
    finally:
        service.stop()


@dataclass
class IsolatedCloud:
    """A project of its own in the minicloud, and a service whose worker acts in it."""

    clouds_yaml: Path
    cloud: str
    service: Service

    def connection(self) -> openstack.connection.Connection:
        return sdk_connection(self.cloud, self.clouds_yaml)


@pytest.fixture
def isolated_cloud(
    minicloud: Path, temporal_target: str, tmp_path: Path
) -> Iterator[IsolatedCloud]:
    """A new Keystone project and member user, for tests whose templates let Nova pick the
    project's network: in the shared demo project, networks other tests left or are making
    meanwhile make Nova refuse ("Multiple possible networks found")."""
    identity = cast(IdentityV3, sdk_connection("minicloud-admin").identity)
    name = f"isolated-{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    project = identity.create_project(name=name, domain_id="default")
    user = identity.create_user(
        name=name, password=password, default_project_id=project.id, domain_id="default"
    )
    member = identity.find_role("member")
    assert member is not None
    identity.assign_project_role_to_user(project, user, member)
    config = yaml.safe_load(minicloud.read_text())
    entry = json.loads(json.dumps(config["clouds"][WORKER_CLOUD]))
    entry["auth"].update(username=name, password=password, project_name=name)
    config["clouds"][name] = entry
    clouds_yaml = tmp_path / "clouds.yaml"
    clouds_yaml.write_text(yaml.safe_dump(config))
    extra = {"OS_CLIENT_CONFIG_FILE": str(clouds_yaml), "HEAT_TEMPORAL_CLOUD__NAME": name}
    service = make_service(temporal_target, tmp_path / "service", extra_env=extra)
    try:
        yield IsolatedCloud(clouds_yaml=clouds_yaml, cloud=name, service=service)
    finally:
        service.stop()
        identity.delete_user(user.id)
        identity.delete_project(project.id)


@dataclass
class ExternalNetwork:
    name: str
    id: str


@pytest.fixture(scope="session")
def external_network(minicloud: Path) -> Iterator[ExternalNetwork]:
    """An external network with a subnet, for routers' gateways and floating IPs."""
    name = f"cloudext-{uuid.uuid4().hex[:8]}"
    network = cloud_cli("minicloud-admin", "network", "create", "--external", name)
    cloud_cli(
        "minicloud-admin",
        "subnet",
        "create",
        "--network",
        network["id"],
        "--subnet-range",
        "203.0.113.0/24",
        "--no-dhcp",
        f"{name}-subnet",
    )
    try:
        yield ExternalNetwork(name=name, id=network["id"])
    finally:
        cloud_cli("minicloud-admin", "network", "delete", network["id"])


def leftovers(
    prefix: str,
    network_id: str | None = None,
    conn: openstack.connection.Connection | None = None,
) -> dict[str, list[str]]:
    """What the demo project (or `conn`'s) still has whose name starts with `prefix` (stack
    resources are named `<stack>-<resource>-<id>`), and the floating IPs left on
    `network_id`. Listed with openstacksdk: nine `openstack` CLI runs would cost half a
    minute."""
    conn = conn or sdk_connection()
    listings = {
        "servers": conn.compute.servers(),
        "networks": conn.network.networks(),
        "subnets": conn.network.subnets(),
        "ports": conn.network.ports(),
        "routers": conn.network.routers(),
        "security groups": conn.network.security_groups(),
        "volumes": conn.block_storage.volumes(),
        "keypairs": conn.compute.keypairs(),
        "images": conn.image.images(visibility="private"),
    }
    found = {
        what: [str(item.name) for item in items if (item.name or "").startswith(prefix)]
        for what, items in listings.items()
    }
    if network_id is not None:
        ips = conn.network.ips(floating_network_id=network_id)
        found["floating ips"] = [str(ip.floating_ip_address) for ip in ips]
    return {what: names for what, names in found.items() if names}
