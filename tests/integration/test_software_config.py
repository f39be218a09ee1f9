"""Software configs and deployments: the APIs, the resource types, and a server's signals."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from tests.conftest import HeatClient, wait_until

OPENSTACK = str(Path(sys.executable).parent / "openstack")


def new_name() -> str:
    return f"sc{uuid.uuid4().hex[:10]}"


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in stack["outputs"]}


def test_software_config_api_through_the_cli(heat: HeatClient) -> None:
    cli = [OPENSTACK, "--os-auth-type", "none", "--os-endpoint", heat.endpoint]

    def run(*args: str) -> Any:
        done = subprocess.run(
            [*cli, *args], check=True, capture_output=True, text=True, timeout=120
        )
        return json.loads(done.stdout) if "-f" in args else done.stdout

    body = {
        "name": "hello",
        "group": "script",
        "config": "#!/bin/sh\necho hi",
        "inputs": [{"name": "foo", "type": "String"}],
        "outputs": [{"name": "result"}],
    }
    response = heat.post("/software_configs", body)
    assert response.status_code == 200, response.text
    created = response.json()["software_config"]
    assert {k: created[k] for k in body} == body
    shown = run("software", "config", "show", created["id"], "-f", "json")
    assert shown["config"] == "#!/bin/sh\necho hi" and shown["group"] == "script"
    listed = run("software", "config", "list", "-f", "json")
    assert created["id"] in [c["id"] for c in listed]
    run("software", "config", "delete", created["id"])
    missing = heat.get(f"/software_configs/{created['id']}")
    assert missing.status_code == 404
    assert (
        missing.json()["error"]["message"] == f"Software config with id {created['id']} not found"
    )


TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "parameters": {"server": {"type": "string"}},
    "resources": {
        "config": {
            "type": "OS::Heat::SoftwareConfig",
            "properties": {
                "group": "script",
                "config": "#!/bin/sh\necho $greeting > $heat_outputs_path.result",
                "inputs": [{"name": "greeting"}],
                "outputs": [{"name": "result"}],
            },
        },
        "deploy": {
            "type": "OS::Heat::SoftwareDeployment",
            "properties": {
                "config": {"get_resource": "config"},
                "server": {"get_param": "server"},
                "input_values": {"greeting": "hello"},
                "signal_transport": "HEAT_SIGNAL",
            },
        },
        "cloud": {
            "type": "OS::Heat::CloudConfig",
            "properties": {"cloud_config": {"packages": ["nginx"]}},
        },
    },
    "outputs": {
        "result": {"value": {"get_attr": ["deploy", "result"]}},
        "stdout": {"value": {"get_attr": ["deploy", "deploy_stdout"]}},
        "cloud": {"value": {"get_attr": ["cloud", "config"]}},
    },
}


def metadata_for(heat: HeatClient, server: str) -> list[dict[str, Any]]:
    response = heat.get(f"/software_deployments/metadata/{server}")
    assert response.status_code == 200, response.text
    return list(response.json()["metadata"])


def test_a_deployment_waits_for_its_server_and_takes_its_outputs(heat: HeatClient) -> None:
    server = str(uuid.uuid4())
    stack = new_name()
    stack_id = heat.create(stack, TEMPLATE, parameters={"server": server})["id"]
    # The server's agent finds its deployment's config, with the inputs filled in.
    [config] = wait_until(lambda: metadata_for(heat, server), 30, "the server's metadata")
    inputs = {i["name"]: i.get("value") for i in config["inputs"]}
    assert inputs["greeting"] == "hello"
    assert inputs["deploy_server_id"] == server
    assert inputs["deploy_action"] == "CREATE"
    assert inputs["deploy_signal_id"].endswith(
        f"/stacks/{stack}/{stack_id}/resources/deploy/signal"
    )
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_IN_PROGRESS"
    # It signals with its outputs, as heat-config-notify does.
    response = heat.post(
        f"/stacks/{stack}/{stack_id}/resources/deploy/signal",
        {"deploy_status_code": 0, "deploy_stdout": "done", "result": "hello\n"},
    )
    assert response.status_code == 200, response.text
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    got = outputs(shown)
    assert got["result"] == "hello\n" and got["stdout"] == "done"
    assert got["cloud"] == "#cloud-config\npackages:\n- nginx\n"
    [deployment] = heat.get(f"/software_deployments?server_id={server}").json()[
        "software_deployments"
    ]
    assert (deployment["status"], deployment["status_reason"]) == ("COMPLETE", "Outputs received")
    assert deployment["output_values"]["result"] == "hello\n"

    # Deleting the stack removes the deployment and the configs it made.
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
    heat.wait_status(stack, stack_id, "DELETE_COMPLETE")
    assert metadata_for(heat, server) == []


def test_a_failed_deployment_reported_by_put_fails_the_stack(heat: HeatClient) -> None:
    server = str(uuid.uuid4())
    stack = new_name()
    stack_id = heat.create(stack, TEMPLATE, parameters={"server": server})["id"]

    def deployment() -> dict[str, Any] | None:
        listed = heat.get(f"/software_deployments?server_id={server}").json()
        return next(iter(listed["software_deployments"]), None)

    found = wait_until(deployment, 30, "the deployment")
    response = heat.http.put(
        f"{heat.endpoint}/software_deployments/{found['id']}",
        json={"status": "FAILED", "output_values": {"deploy_status_code": 3}},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    shown = heat.wait_status(stack, stack_id, "CREATE_FAILED")
    assert shown["stack_status_reason"] == (
        "Resource CREATE failed: Error: resources.deploy: Deployment to server failed: "
        "deploy_status_code : Deployment exited with non-zero status code: 3"
    )


def test_a_deployment_group_deploys_to_each_server(heat: HeatClient) -> None:
    servers = {"a": str(uuid.uuid4()), "b": str(uuid.uuid4())}
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "config": {"type": "OS::Heat::SoftwareConfig", "properties": {"config": "echo"}},
            "deploys": {
                "type": "OS::Heat::SoftwareDeploymentGroup",
                "properties": {
                    "config": {"get_resource": "config"},
                    "servers": servers,
                    "signal_transport": "HEAT_SIGNAL",
                },
            },
        },
        "outputs": {"stdouts": {"value": {"get_attr": ["deploys", "deploy_stdouts"]}}},
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    for name, server in servers.items():

        def metadata(server: str = server) -> list[dict[str, Any]]:
            return metadata_for(heat, server)

        [config] = wait_until(metadata, 30, f"{name}'s metadata")
        signal_url = {i["name"]: i.get("value") for i in config["inputs"]}["deploy_signal_id"]
        path = signal_url.split("/v1/", 1)[1].split("/", 1)[1]
        response = heat.post(f"/{path}", {"deploy_status_code": 0, "deploy_stdout": name})
        assert response.status_code == 200, response.text
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    assert outputs(shown)["stdouts"] == {"a": "a", "b": "b"}


def test_the_hidden_deployments_type_creates_and_updates_in_place_to_its_successor(
    heat: HeatClient,
) -> None:
    """OS::Heat::SoftwareDeployments (hidden upstream) still creates, and an update to
    SoftwareDeploymentGroup with the same properties updates it in place, as upstream's
    resource type substitution (test_replace_deprecated)."""
    servers = {"a": str(uuid.uuid4())}

    def template(type_name: str) -> dict[str, Any]:
        return {
            "heat_template_version": "2018-08-31",
            "resources": {
                "config": {"type": "OS::Heat::SoftwareConfig", "properties": {"config": "x"}},
                "deploys": {
                    "type": type_name,
                    "properties": {
                        "config": {"get_resource": "config"},
                        "servers": servers,
                        "signal_transport": "NO_SIGNAL",
                    },
                },
            },
        }

    stack = new_name()
    stack_id = heat.create(stack, template("OS::Heat::SoftwareDeployments"))["id"]
    try:
        heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
        path = f"/stacks/{stack}/{stack_id}/resources/deploys"
        before = heat.get(path).json()["resource"]
        assert before["resource_type"] == "OS::Heat::SoftwareDeployments"
        response = heat.http.put(
            f"{heat.endpoint}/stacks/{stack}/{stack_id}",
            json={"template": template("OS::Heat::SoftwareDeploymentGroup")},
            timeout=30,
        )
        assert response.status_code == 202, response.text
        heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
        after = heat.get(path).json()["resource"]
        assert after["resource_type"] == "OS::Heat::SoftwareDeploymentGroup"
        assert after["resource_status"] == "UPDATE_COMPLETE"
        assert after["physical_resource_id"] == before["physical_resource_id"]
    finally:
        heat.delete(f"/stacks/{stack}/{stack_id}")
        heat.wait_status(stack, stack_id, "DELETE_COMPLETE")


def test_a_deployment_still_waiting_when_the_stack_times_out_is_failed(heat: HeatClient) -> None:
    """Upstream's ParallelDeploymentsTest.test_deployments_timeout_failed: the stack fails
    'Timed out' and its deployment, never signalled, is FAILED 'Deployment cancelled.' (what
    the server's agent and the deployment listing read). Its default transport, CFN_SIGNAL,
    has a pre-signed signal URL."""
    server = str(uuid.uuid4())
    template = json.loads(json.dumps(TEMPLATE))
    del template["resources"]["deploy"]["properties"]["signal_transport"]
    stack = new_name()
    stack_id = heat.create(stack, template, parameters={"server": server}, timeout_mins=1)["id"]
    [config] = wait_until(lambda: metadata_for(heat, server), 30, "the server's metadata")
    inputs = {i["name"]: i.get("value") for i in config["inputs"]}
    assert inputs["deploy_signal_transport"] == "CFN_SIGNAL"
    url, _, query = inputs["deploy_signal_id"].partition("?")
    assert url.endswith(f"/stacks/{stack}/{stack_id}/resources/deploy/signal")
    assert query.startswith("token=") and len(query) > len("token=")

    shown = heat.wait_status(stack, stack_id, "CREATE_FAILED", deadline=150)
    assert "Timed out" in shown["stack_status_reason"]
    [deployment] = heat.get(f"/software_deployments?server_id={server}").json()[
        "software_deployments"
    ]
    assert (deployment["status"], deployment["status_reason"]) == (
        "FAILED",
        "Deployment cancelled.",
    )
