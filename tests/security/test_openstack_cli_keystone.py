"""The `openstack` CLI as a cloud user runs it: password auth, the service found in the catalog."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import REPO
from tests.security.conftest import AUTH_URL, PASSWORD, Cloud

OPENSTACK = str(Path(sys.executable).parent / "openstack")


def openstack(
    cloud: Cloud, user: str, project: str, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    command = [
        OPENSTACK,
        "--os-auth-url",
        AUTH_URL,
        "--os-identity-api-version",
        "3",
        "--os-username",
        user,
        "--os-password",
        PASSWORD,
        "--os-user-domain-name",
        "Default",
        "--os-project-id",
        project,
        "--os-region-name",
        cloud.region,
        *args,
    ]
    return subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=180)


def test_a_member_creates_and_lists_stacks_through_the_catalog(cloud: Cloud) -> None:
    name = f"cli-{uuid.uuid4().hex[:6]}"
    created = openstack(
        cloud,
        cloud.member,
        cloud.project_a,
        "stack",
        "create",
        "-t",
        "demo.yaml",
        "--parameter",
        "length=16",
        "--wait",
        name,
    )
    assert created.returncode == 0, created.stderr
    assert "CREATE_COMPLETE" in created.stdout
    listed = openstack(
        cloud,
        cloud.member,
        cloud.project_a,
        "stack",
        "list",
        "-f",
        "value",
        "-c",
        "Stack Name",
        "-c",
        "Stack Status",
    )
    assert listed.returncode == 0, listed.stderr
    assert f"{name} CREATE_COMPLETE" in listed.stdout.splitlines()

    # The same user in project B sees none of A's stacks.
    in_b = openstack(cloud, cloud.member, cloud.project_b, "stack", "list", "-f", "value")
    assert in_b.returncode == 0, in_b.stderr
    assert name not in in_b.stdout

    # A reader lists, but may not create: upstream's policy message reaches the CLI.
    read = openstack(cloud, cloud.reader, cloud.project_a, "stack", "list", "-f", "value")
    assert read.returncode == 0, read.stderr
    assert name in read.stdout
    refused = openstack(
        cloud, cloud.reader, cloud.project_a, "stack", "create", "-t", "demo.yaml", "nope"
    )
    assert refused.returncode != 0
    assert "You are not authorized to use stacks:create." in refused.stderr

    deleted = openstack(
        cloud, cloud.member, cloud.project_a, "stack", "delete", "--yes", "--wait", name
    )
    assert deleted.returncode == 0, deleted.stderr
