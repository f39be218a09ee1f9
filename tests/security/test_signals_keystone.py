"""With keystone auth, a wait handle's curl_cli still signals with the handle's own token."""

from __future__ import annotations

import shlex
import subprocess
import uuid

import requests

from tests.conftest import wait_until
from tests.security.conftest import Cloud, caller

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "handle": {"type": "OS::Heat::WaitConditionHandle"},
        "wait": {
            "type": "OS::Heat::WaitCondition",
            "properties": {"handle": {"get_resource": "handle"}, "timeout": 120},
        },
    },
    "outputs": {"data": {"value": {"get_attr": ["wait", "data"]}}},
}


def test_a_wait_condition_is_signalled_by_its_handles_curl_cli(cloud: Cloud) -> None:
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    name = f"waiting-{uuid.uuid4().hex[:6]}"
    created = member.call(
        "POST", f"/v1/{cloud.project_a}/stacks", {"stack_name": name, "template": TEMPLATE}
    )
    assert created.status_code == 201, created.text
    path = f"/v1/{cloud.project_a}/stacks/{name}/{created.json()['stack']['id']}"

    def curl_cli() -> str | None:
        shown = member.call("GET", path + "/resources/handle").json()["resource"]
        return shown["attributes"].get("curl_cli")

    command = wait_until(curl_cli, 30, "the handle's curl_cli")
    # The operation that made the handle still runs: the entity checks the token all the same.
    assert member.call("GET", path).json()["stack"]["stack_status"] == "CREATE_IN_PROGRESS"
    signal = path + "/resources/handle/signal"

    # Neither a wrong handle token nor no token at all gets through.
    wrong = caller(cloud, "not-the-handles-token").call("POST", signal, {"status": "SUCCESS"})
    assert wrong.status_code == 403, wrong.text
    assert caller(cloud, None).call("POST", signal, {"status": "SUCCESS"}).status_code == 401

    sent = subprocess.run(
        [*shlex.split(command), "--silent", "--fail", "--data-binary", '{"data": "ready"}'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert sent.returncode == 0, sent.stdout + sent.stderr
    done = wait_until(
        lambda: (
            (s := member.call("GET", path).json()["stack"])["stack_status"] == "CREATE_COMPLETE"
            and s
        ),
        60,
        "the wait condition to complete",
    )
    assert "ready" in done["outputs"][0]["output_value"]


def test_a_deployment_is_signalled_by_its_pre_signed_url_without_a_token(cloud: Cloud) -> None:
    """A deployment's default transport, CFN_SIGNAL, gives the server a pre-signed URL, as
    upstream's EC2-signed one: the server POSTs its outputs with no Keystone token
    (ParallelDeploymentsTest.signal_deployments)."""
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    server = str(uuid.uuid4())
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "config": {"type": "OS::Heat::SoftwareConfig", "properties": {"config": "true"}},
            "deploy": {
                "type": "OS::Heat::SoftwareDeployment",
                "properties": {"config": {"get_resource": "config"}, "server": server},
            },
        },
        "outputs": {"stdout": {"value": {"get_attr": ["deploy", "deploy_stdout"]}}},
    }
    name = f"deploying-{uuid.uuid4().hex[:6]}"
    created = member.call(
        "POST", f"/v1/{cloud.project_a}/stacks", {"stack_name": name, "template": template}
    )
    assert created.status_code == 201, created.text
    path = f"/v1/{cloud.project_a}/stacks/{name}/{created.json()['stack']['id']}"

    def signal_url() -> str | None:
        answer = member.call("GET", f"/v1/{cloud.project_a}/software_deployments/metadata/{server}")
        for config in answer.json()["metadata"]:
            inputs = {i["name"]: i.get("value") for i in config["inputs"]}
            return str(inputs["deploy_signal_id"])
        return None

    url = wait_until(signal_url, 30, "the deployment's signal URL")
    plain = url.split("?", 1)[0]
    # Without its token the URL is refused like any call without credentials.
    assert requests.post(plain, json={"deploy_stdout": "x"}, timeout=30).status_code == 401
    forged = requests.post(plain + "?token=forged", json={"deploy_stdout": "x"}, timeout=30)
    assert forged.status_code == 403, forged.text
    sent = requests.post(url, json={"deploy_stdout": "done", "deploy_status_code": 0}, timeout=30)
    assert sent.status_code == 200, sent.text
    done = wait_until(
        lambda: (
            (s := member.call("GET", path).json()["stack"])["stack_status"] == "CREATE_COMPLETE"
            and s
        ),
        60,
        "the deployment to complete",
    )
    assert done["outputs"][0]["output_value"] == "done"
    assert member.call("DELETE", path).status_code == 204
