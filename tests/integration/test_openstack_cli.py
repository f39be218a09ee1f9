"""The README's `openstack` CLI session, run for real with python-openstackclient and heatclient."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import REPO, Service

OPENSTACK = str(Path(sys.executable).parent / "openstack")


def openstack(service: Service, project: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_AUTH_TYPE="none", OS_ENDPOINT=service.endpoint(project))
    result = subprocess.run(
        [OPENSTACK, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"openstack {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def test_the_readme_session_works_unmodified(service: Service) -> None:
    project = f"cli{uuid.uuid4().hex[:6]}"
    created = openstack(
        service,
        project,
        "stack",
        "create",
        "-t",
        "demo.yaml",
        "--parameter",
        "length=16",
        "--wait",
        "demo",
    )
    assert "CREATE_COMPLETE" in created
    listed = openstack(
        service, project, "stack", "list", "-f", "value", "-c", "Stack Name", "-c", "Stack Status"
    )
    assert listed.split() == ["demo", "CREATE_COMPLETE"]
    shown = openstack(
        service, project, "stack", "show", "demo", "-f", "value", "-c", "stack_status"
    )
    assert shown.strip() == "CREATE_COMPLETE"
    resources = openstack(
        service,
        project,
        "stack",
        "resource",
        "list",
        "demo",
        "-f",
        "value",
        "-c",
        "resource_name",
        "-c",
        "resource_status",
    )
    assert sorted(resources.split("\n")[:-1]) == [
        "greeting CREATE_COMPLETE",
        "secret CREATE_COMPLETE",
        "slow CREATE_COMPLETE",
    ]
    secret = openstack(
        service,
        project,
        "stack",
        "resource",
        "show",
        "demo",
        "secret",
        "-f",
        "value",
        "-c",
        "resource_type",
    )
    assert secret.strip() == "OS::Heat::RandomString"
    events = openstack(service, project, "stack", "event", "list", "demo")
    assert "Stack CREATE started" in events and "Stack CREATE completed successfully" in events
    output = openstack(
        service,
        project,
        "stack",
        "output",
        "show",
        "demo",
        "random",
        "-f",
        "value",
        "-c",
        "output_value",
    )
    assert len(output.strip()) == 16
    deleted = openstack(service, project, "stack", "delete", "--yes", "--wait", "demo")
    # heatclient stops polling once the name no longer resolves, as it does against upstream.
    assert "Stack DELETE started" in deleted
    assert openstack(service, project, "stack", "list", "-f", "value").strip() == ""
