"""With keystone auth, a wait handle's curl_cli still signals with the handle's own token."""

from __future__ import annotations

import shlex
import subprocess
import uuid

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
