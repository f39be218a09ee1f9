"""A deployment runs its config on the actions it lists (DELETE, SUSPEND, RESUME too), and the
transports that need Swift or Zaqar are refused in upstream's words."""

from __future__ import annotations

import copy
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from tests.conftest import HeatClient, wait_until
from tests.integration.test_software_config import TEMPLATE, metadata_for

OPENSTACK = str(Path(sys.executable).parent / "openstack")


def template(actions: list[str] | None = None, transport: str = "HEAT_SIGNAL") -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(TEMPLATE)
    deploy = body["resources"]["deploy"]["properties"]
    deploy["signal_transport"] = transport
    if actions is not None:
        deploy["actions"] = actions
    return body


def cli(heat: HeatClient, *args: str) -> subprocess.CompletedProcess[str]:
    command = [OPENSTACK, "--os-auth-type", "none", "--os-endpoint", heat.endpoint, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def deployment_of(heat: HeatClient, server: str) -> dict[str, Any]:
    listed = heat.get(f"/software_deployments?server_id={server}").json()
    [deployment] = listed["software_deployments"]
    return dict(deployment)


def run_on_server(heat: HeatClient, stack: str, stack_id: str, server: str, action: str) -> None:
    """What the server's agent does: find the config for `action`, run it, signal back."""

    def config_for_action() -> dict[str, Any] | None:
        for config in metadata_for(heat, server):
            inputs = {i["name"]: i.get("value") for i in config["inputs"]}
            if inputs.get("deploy_action") == action:
                return config
        return None

    wait_until(config_for_action, 60, f"the {action} config on the server")
    assert deployment_of(heat, server)["status"] == "IN_PROGRESS"
    assert deployment_of(heat, server)["action"] == action
    response = heat.post(
        f"/stacks/{stack}/{stack_id}/resources/deploy/signal",
        {"deploy_status_code": 0, "deploy_stdout": f"{action} done", "result": action},
    )
    assert response.status_code == 200, response.text


def test_a_deployment_runs_its_config_on_suspend_resume_and_delete_when_listed(
    heat: HeatClient,
) -> None:
    server = str(uuid.uuid4())
    stack = f"da{uuid.uuid4().hex[:10]}"
    body = template(["CREATE", "SUSPEND", "RESUME", "DELETE"])
    stack_id = heat.create(stack, body, parameters={"server": server})["id"]
    run_on_server(heat, stack, stack_id, server, "CREATE")
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")

    # Suspend through the CLI: the stack waits for the server to run the SUSPEND config.
    suspended = cli(heat, "stack", "suspend", stack_id)
    assert suspended.returncode == 0, suspended.stderr
    wait_until(
        lambda: heat.stack(stack, stack_id)["stack_status"] == "SUSPEND_IN_PROGRESS",
        30,
        "the suspend to start",
    )
    run_on_server(heat, stack, stack_id, server, "SUSPEND")
    heat.wait_status(stack, stack_id, "SUSPEND_COMPLETE")
    assert deployment_of(heat, server)["output_values"]["result"] == "SUSPEND"

    response = heat.post(f"/stacks/{stack}/{stack_id}/actions", {"resume": None})
    assert response.status_code == 200, response.text
    run_on_server(heat, stack, stack_id, server, "RESUME")
    heat.wait_status(stack, stack_id, "RESUME_COMPLETE")

    # Delete through the CLI: the deployment stays until the server ran the DELETE config.
    deleted = cli(heat, "stack", "delete", "--yes", stack_id)
    assert deleted.returncode == 0, deleted.stderr
    run_on_server(heat, stack, stack_id, server, "DELETE")
    heat.wait_status(stack, stack_id, "DELETE_COMPLETE")
    assert metadata_for(heat, server) == []


def test_actions_not_listed_do_not_wait_for_the_server(heat: HeatClient) -> None:
    server = str(uuid.uuid4())
    stack = f"da{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(stack, template(["CREATE"]), parameters={"server": server})["id"]
    run_on_server(heat, stack, stack_id, server, "CREATE")
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    response = heat.post(f"/stacks/{stack}/{stack_id}/actions", {"suspend": None})
    assert response.status_code == 200, response.text
    heat.wait_status(stack, stack_id, "SUSPEND_COMPLETE")
    assert [
        {i["name"]: i.get("value") for i in c["inputs"]}["deploy_action"]
        for c in metadata_for(heat, server)
    ] == ["CREATE"]
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
    heat.wait_status(stack, stack_id, "DELETE_COMPLETE")
    assert metadata_for(heat, server) == []


def test_temp_url_and_zaqar_transports_are_refused_for_want_of_the_service(
    heat: HeatClient,
) -> None:
    server = str(uuid.uuid4())
    stack = f"da{uuid.uuid4().hex[:10]}"
    stack_id = heat.create(
        stack, template(transport="TEMP_URL_SIGNAL"), parameters={"server": server}
    )["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_FAILED")
    assert shown["stack_status_reason"] == (
        "Resource CREATE failed: EndpointNotFound: resources.deploy: "
        "public endpoint for object-store service not found"
    )
    assert (
        heat.get(f"/software_deployments?server_id={server}").json()["software_deployments"] == []
    )

    # Through the CLI, as a user would see it.
    name = f"dz{uuid.uuid4().hex[:10]}"
    path = Path(f"/tmp/{name}.json")
    import json

    path.write_text(json.dumps(template(transport="ZAQAR_SIGNAL")))
    try:
        created = cli(
            heat,
            "stack",
            "create",
            "-t",
            str(path),
            "--parameter",
            f"server={server}",
            "--wait",
            name,
        )
    finally:
        path.unlink()
    assert created.returncode != 0
    assert (
        "EndpointNotFound: resources.deploy: public endpoint for messaging service not found"
        in created.stdout + created.stderr
    )
