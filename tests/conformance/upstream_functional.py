"""Run upstream Heat's own API (gabbi) and functional tests against this service, by hand.

Not part of `make test`: it needs tempest in a venv of its own and a few minutes. It starts a
Temporal dev server and the service with keystone auth against the minicloud's Keystone, puts
the service in the catalog under a region of its own (so tests that read the catalog in
RegionOne are not disturbed), makes a project and a member user for the tests, writes a
tempest.conf and runs the tests with stestr; everything it made is removed at the end.

    python -m tests.conformance.upstream_functional run [REGEX ...]   # set up, run, tear down
    python -m tests.conformance.upstream_functional serve            # set up and wait (Ctrl-C)

`serve` prints the environment to run stestr by hand in the work directory, which is how a
failure is looked at. REGEX selects tests as stestr does, e.g. `test_heat_api` or
`functional.test_create_update`; with none, the gabbi tests and the functional tests listed in
NO_CLOUD_TESTS run. The tests come from PyPI: heat-tempest-plugin (gabbi and some functional
tests) and the openstack-heat sdist's heat_integrationtests (most functional tests).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openstack import connection

from service.launcher import temporal_binary
from tests.conftest import Service, free_port, make_service, wait_for_port
from workflows.ids import SEARCH_ATTRIBUTE_NAMES

AUTH_URL = "http://127.0.0.1:5000/v3"
HEAT_VERSION = "27.0.1"
SERVICE_USER = {"username": "ksm", "password": "ksmpass", "project_name": "service"}
# The functional tests that need no server, network or volume: they use OS::Heat::TestResource,
# RandomString, provider templates and the like.
NO_CLOUD_TESTS = [
    "heat_tempest_plugin.tests.api",
    "heat_integrationtests.functional.test_create_update",
    "heat_integrationtests.functional.test_template_resource",
    "heat_integrationtests.functional.test_resource_group",
    "heat_integrationtests.functional.test_conditions",
    "heat_integrationtests.functional.test_conditional_exposure",
    "heat_integrationtests.functional.test_default_parameters",
    "heat_integrationtests.functional.test_env_merge",
    "heat_integrationtests.functional.test_immutable_parameters",
    "heat_integrationtests.functional.test_nested_get_attr",
    "heat_integrationtests.functional.test_update_restricted",
    "heat_integrationtests.functional.test_preview_update",
    "heat_integrationtests.functional.test_abandon_adopt",
    "heat_integrationtests.functional.test_cancel_update",
    "heat_integrationtests.functional.test_stack_cancel",
    "heat_integrationtests.functional.test_delete",
    "heat_integrationtests.functional.test_purge",
    "heat_integrationtests.functional.test_resource_chain",
    "heat_integrationtests.functional.test_simultaneous_update",
    "heat_integrationtests.functional.test_snapshot_restore",
    "heat_integrationtests.functional.test_template_versions",
    "heat_integrationtests.functional.test_translation",
    "heat_integrationtests.functional.test_validation",
    "heat_integrationtests.functional.test_heat_autoscaling",
    "heat_integrationtests.functional.test_replace_deprecated",
    "heat_integrationtests.functional.test_versionnegotiation",
    "heat_tempest_plugin.tests.functional.test_hooks",
    "heat_tempest_plugin.tests.functional.test_preview",
    "heat_tempest_plugin.tests.functional.test_stack_events",
    "heat_tempest_plugin.tests.functional.test_stack_outputs",
    "heat_tempest_plugin.tests.functional.test_stack_tags",
    "heat_tempest_plugin.tests.functional.test_template_validate",
    "heat_tempest_plugin.tests.functional.test_templates",
    "heat_tempest_plugin.tests.functional.test_unicode_template",
    "heat_tempest_plugin.tests.functional.test_resources_list",
    "heat_tempest_plugin.tests.functional.test_software_config",
    "heat_tempest_plugin.tests.functional.test_os_wait_condition",
    "heat_tempest_plugin.tests.functional.test_waitcondition",
    "heat_tempest_plugin.tests.functional.test_encrypted_parameter",
]


@dataclass
class World:
    """What the run made in Keystone, and the service it registered."""

    region: str
    project: str
    username: str
    password: str
    service: Service


def ensure_tempest(venv: Path, work: Path) -> None:
    """Tempest, the plugin and gabbi in their own venv; heat_integrationtests unpacked in work."""
    if not (venv / "bin" / "stestr").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "tempest", "heat-tempest-plugin", "gabbi"],
            check=True,
        )
    if not (work / "heat_integrationtests").exists():
        dl = work / "sdist"
        subprocess.run(
            [
                str(venv / "bin" / "pip"),
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                str(dl),
                f"openstack-heat=={HEAT_VERSION}",
            ],
            check=True,
        )
        prefix = f"openstack_heat-{HEAT_VERSION}/heat_integrationtests/"
        with tarfile.open(dl / f"openstack_heat-{HEAT_VERSION}.tar.gz") as tar:
            members = [m for m in tar.getmembers() if m.name.startswith(prefix)]
            for member in members:
                member.name = member.name[len(f"openstack_heat-{HEAT_VERSION}/") :]
            tar.extractall(work, members=members, filter="data")


@contextmanager
def temporal_server() -> Iterator[str]:
    port, ui_port = free_port(), free_port()
    command = [temporal_binary(), "server", "start-dev", "--ip", "127.0.0.1"]
    command += ["--port", str(port), "--ui-port", str(ui_port), "--log-level", "error"]
    for name in SEARCH_ATTRIBUTE_NAMES:
        command += ["--search-attribute", f"{name}=Keyword"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port)
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def admin_connection() -> Any:
    return connection.Connection(
        auth_url=AUTH_URL,
        username="admin",
        password="secret",
        project_name="admin",
        user_domain_name="Default",
        project_domain_name="Default",
        region_name="RegionOne",
    )


@contextmanager
def keystone_world(temporal_target: str, work: Path) -> Iterator[World]:
    """A project, a member user, a region with the service's catalog entry; the service."""
    suffix = uuid.uuid4().hex[:8]
    conn = admin_connection()
    identity = conn.identity
    made: list[tuple[str, Any]] = []
    service: Service | None = None
    try:
        project = identity.create_project(name=f"ht-upstream-{suffix}", domain_id="default")
        made.append(("project", project))
        password = "Up-" + uuid.uuid4().hex
        user = identity.create_user(
            name=f"ht-upstream-{suffix}", password=password, domain_id="default"
        )
        made.append(("user", user))
        identity.assign_project_role_to_user(project, user, identity.find_role("member"))
        region = identity.create_region(id=f"ht-upstream-{suffix}")
        made.append(("region", region))
        service = make_service(
            temporal_target,
            work / f"service-{suffix}",
            extra_env={
                "HEAT_TEMPORAL_AUTH_STRATEGY": "keystone",
                "HEAT_TEMPORAL_KEYSTONE_AUTHTOKEN": json.dumps(
                    {"www_authenticate_uri": AUTH_URL, "auth_url": AUTH_URL, **SERVICE_USER}
                ),
            },
        )
        catalog_service = identity.create_service(
            type="orchestration", name=f"heat-temporal-{region.id}"
        )
        made.insert(0, ("service", catalog_service))
        for interface in ("public", "internal", "admin"):
            endpoint = identity.create_endpoint(
                service_id=catalog_service.id,
                interface=interface,
                url=f"{service.url}/v1/%(tenant_id)s",
                region_id=region.id,
            )
            made.append(("endpoint", endpoint))
        # The other services' endpoints in the region too: the tests look every client up
        # in the region they are given (nova, neutron, cinder for the server tests).
        for endpoint in list(identity.endpoints(region_id="RegionOne")):
            if endpoint.service_id == catalog_service.id:
                continue
            made.append(
                (
                    "endpoint",
                    identity.create_endpoint(
                        service_id=endpoint.service_id,
                        interface=endpoint.interface,
                        url=endpoint.url,
                        region_id=region.id,
                    ),
                )
            )
        # The network the server tests boot on ([heat_plugin] fixed_network_name).
        network = conn.network.create_network(name="heat-net", project_id=project.id)
        made.insert(0, ("network", network))
        conn.network.create_subnet(
            network_id=network.id,
            project_id=project.id,
            ip_version=4,
            cidr="10.250.0.0/24",
            name="heat-subnet",
        )
        yield World(region.id, project.name, user.name, password, service)
    finally:
        if service is not None:
            service.stop()
        for kind, thing in reversed(made):
            if kind == "network":
                delete_network(conn, thing)
            else:
                getattr(identity, f"delete_{kind}")(thing, ignore_missing=True)
        conn.close()


def delete_network(conn: Any, network: Any) -> None:
    """The test network, with the ports the tests left on it."""
    for port in conn.network.ports(network_id=network.id):
        conn.network.delete_port(port, ignore_missing=True)
    for subnet in conn.network.subnets(network_id=network.id):
        conn.network.delete_subnet(subnet, ignore_missing=True)
    conn.network.delete_network(network, ignore_missing=True)


def write_tempest_conf(work: Path, world: World) -> Path:
    etc = work / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    conf = etc / "tempest.conf"
    conf.write_text(
        f"""[DEFAULT]
log_file = {work / "tempest.log"}
debug = true

[auth]
use_dynamic_credentials = false
admin_username = admin
admin_password = secret
admin_project_name = admin
admin_domain_name = Default

[identity]
uri_v3 = {AUTH_URL}
auth_version = v3
region = {world.region}

[identity-feature-enabled]
api_v2 = false

[service_available]
heat = true

[orchestration]
catalog_type = orchestration
region = {world.region}

[heat_plugin]
auth_url = {AUTH_URL}
auth_version = 3
username = {world.username}
password = {world.password}
project_name = {world.project}
admin_username = admin
admin_password = secret
admin_project_name = admin
user_domain_name = Default
project_domain_name = Default
region = {world.region}
skip_scenario_tests = true
convergence_engine_enabled = true
build_timeout = 120
build_interval = 1
instance_type = m1.fake
minimal_instance_type = m1.fake
image_ref = fake-img
minimal_image_ref = fake-img
fixed_network_name = heat-net
fixed_subnet_name = heat-subnet

[heat_features_enabled]
stack_cancel = true
"""
    )
    (work / ".stestr.conf").write_text("[DEFAULT]\ntest_path=./heat_integrationtests\ntop_dir=./\n")
    return conf


def test_env(work: Path) -> dict[str, str]:
    return dict(
        os.environ,
        TEMPEST_CONFIG_DIR=str(work / "etc"),
        TEMPEST_CONFIG="tempest.conf",
        PYTHONPATH=str(work),
    )


def run_tests(venv: Path, work: Path, selection: list[str], concurrency: int) -> int:
    env = test_env(work)
    if not (work / ".stestr").exists():
        subprocess.run([str(venv / "bin" / "stestr"), "init"], cwd=work, env=env, check=True)
    command = [str(venv / "bin" / "stestr"), "run", "--concurrency", str(concurrency)]
    command += ["|".join(f"({s})" for s in selection)]
    return subprocess.run(command, cwd=work, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["run", "serve"])
    parser.add_argument("tests", nargs="*", help="stestr regexes (default: the no-cloud set)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/upstream-run"))
    parser.add_argument("--venv", type=Path, default=Path("/tmp/upstream-venv"))
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    ensure_tempest(args.venv, args.work)
    with temporal_server() as target, keystone_world(target, args.work) as world:
        write_tempest_conf(args.work, world)
        if args.mode == "serve":
            print(f"service {world.service.url} region {world.region} project {world.project}")
            print(
                f"cd {args.work} && TEMPEST_CONFIG_DIR={args.work / 'etc'} "
                f"TEMPEST_CONFIG=tempest.conf PYTHONPATH={args.work} "
                f"{args.venv / 'bin' / 'stestr'} run REGEX",
                flush=True,
            )
            stop = False

            def on_signal(*_: Any) -> None:
                nonlocal stop
                stop = True

            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
            while not stop:
                time.sleep(1)
            return 0
        return run_tests(args.venv, args.work, args.tests or NO_CLOUD_TESTS, args.concurrency)


if __name__ == "__main__":
    sys.exit(main())
