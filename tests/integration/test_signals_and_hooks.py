"""Wait conditions signalled with their own curl_cli, hooks, mark unhealthy, deletion policy."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.conftest import HeatClient, wait_until

OPENSTACK = str(Path(sys.executable).parent / "openstack")


def new_name() -> str:
    return f"w{uuid.uuid4().hex[:10]}"


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in stack["outputs"]}


def events(heat: HeatClient, stack: str, stack_id: str) -> list[tuple[str, str, str]]:
    body = heat.get(f"/stacks/{stack}/{stack_id}/events?sort_dir=asc").json()["events"]
    return [(e["resource_name"], e["resource_status"], e["resource_status_reason"]) for e in body]


WAIT_TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "parameters": {"count": {"type": "number", "default": 2}},
    "resources": {
        "handle": {"type": "OS::Heat::WaitConditionHandle"},
        "wait": {
            "type": "OS::Heat::WaitCondition",
            "properties": {
                "handle": {"get_resource": "handle"},
                "count": {"get_param": "count"},
                "timeout": 600,
            },
        },
        "after": {
            "type": "OS::Heat::Value",
            "depends_on": "wait",
            "properties": {"value": "done"},
        },
    },
    "outputs": {
        "curl": {"value": {"get_attr": ["handle", "curl_cli"]}},
        "data": {"value": {"get_attr": ["wait", "data"]}},
    },
}


def curl_signal(curl_cli: str, body: dict[str, Any]) -> None:
    command = [*shlex.split(curl_cli), "--silent", "--fail", "--data-binary", json.dumps(body)]
    subprocess.run(command, check=True, capture_output=True, timeout=30)


def test_a_wait_condition_waits_for_its_signals_sent_with_curl_cli(heat: HeatClient) -> None:
    stack = new_name()
    stack_id = heat.create(stack, WAIT_TEMPLATE)["id"]

    def curl_cli() -> str | None:
        handle = heat.get(f"/stacks/{stack}/{stack_id}/resources/handle").json()["resource"]
        if handle["resource_status"] != "CREATE_COMPLETE":
            return None
        return str(handle["attributes"]["curl_cli"])

    command = wait_until(curl_cli, 30, "the handle to be made")
    assert command.startswith("curl -i -X POST -H 'X-Auth-Token: ")
    assert command.endswith(f"/stacks/{stack}/{stack_id}/resources/handle/signal")
    curl_signal(command, {"status": "SUCCESS", "data": "first", "id": "a"})
    # One of two: still waiting, and the signal is recorded in the handle's metadata.
    wait_until(
        lambda: (
            "a"
            in heat.get(f"/stacks/{stack}/{stack_id}/resources/handle/metadata").json()["metadata"]
        ),
        30,
        "the first signal in the handle's metadata",
    )
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_IN_PROGRESS"
    curl_signal(command, {"data": "second"})
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    assert json.loads(outputs(shown)["data"]) == {"a": "first", "2": "second"}
    assert ("handle", "SIGNAL_COMPLETE", "Signal: status:SUCCESS reason:Signal 2 received") in (
        events(heat, stack, stack_id)
    )


def test_a_failure_signal_fails_the_wait_condition(heat: HeatClient) -> None:
    stack = new_name()
    stack_id = heat.create(stack, WAIT_TEMPLATE)["id"]
    wait_until(
        lambda: (
            heat.get(f"/stacks/{stack}/{stack_id}/resources/handle").json()["resource"][
                "resource_status"
            ]
            == "CREATE_COMPLETE"
        ),
        30,
        "the handle",
    )
    response = heat.post(
        f"/stacks/{stack}/{stack_id}/resources/handle/signal",
        {"status": "FAILURE", "reason": "boot script broke"},
    )
    assert response.status_code == 200, response.text
    shown = heat.wait_status(stack, stack_id, "CREATE_FAILED")
    assert shown["stack_status_reason"] == (
        "Resource CREATE failed: WaitConditionFailure: resources.wait: boot script broke"
    )


def test_signals_heat_refuses(heat: HeatClient) -> None:
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {"v": {"type": "OS::Heat::Value", "properties": {"value": 1}}},
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    not_signalable = heat.post(f"/stacks/{stack}/{stack_id}/resources/v/signal", {})
    assert not_signalable.status_code == 400
    assert not_signalable.json()["error"]["message"] == "signal is not supported for resource."
    missing = heat.post(f"/stacks/{stack}/{stack_id}/resources/nope/signal", {})
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "ResourceNotFound"
    no_hook = heat.post(
        f"/stacks/{stack}/{stack_id}/resources/v/signal", {"unset_hook": "pre-create"}
    )
    assert no_hook.status_code == 400
    assert no_hook.json()["error"]["type"] == "InvalidBreakPointHook"
    assert no_hook.json()["error"]["message"].startswith('The "pre-create" hook is not defined on')


def test_a_hook_pauses_the_create_until_the_cli_clears_it(heat: HeatClient) -> None:
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "first": {"type": "OS::Heat::Value", "properties": {"value": 1}},
            "second": {
                "type": "OS::Heat::Value",
                "properties": {"value": {"get_attr": ["first", "value"]}},
            },
        },
    }
    environment = {"resource_registry": {"resources": {"second": {"hooks": "pre-create"}}}}
    stack = new_name()
    stack_id = heat.create(stack, template, environment=environment)["id"]
    paused = ("second", "INIT_COMPLETE", "CREATE paused until Hook pre-create is cleared")
    wait_until(lambda: paused in events(heat, stack, stack_id), 30, "the hook to be reached")
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_IN_PROGRESS"
    cli = [OPENSTACK, "--os-auth-type", "none", "--os-endpoint", heat.endpoint]
    polled = subprocess.run(
        [*cli, "stack", "hook", "poll", stack, "-f", "json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert [h["Resource Name"] for h in json.loads(polled.stdout)] == ["second"], polled.stdout
    subprocess.run(
        [*cli, "stack", "hook", "clear", "--pre-create", stack, "second"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    assert ("second", "INIT_COMPLETE", "Hook pre-create is cleared") in events(
        heat, stack, stack_id
    )


def test_mark_unhealthy_with_the_cli_and_the_next_update_replaces_it(heat: HeatClient) -> None:
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {"r": {"type": "OS::Heat::RandomString", "properties": {"length": 9}}},
        "outputs": {"value": {"value": {"get_attr": ["r", "value"]}}},
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    before = outputs(heat.wait_status(stack, stack_id, "CREATE_COMPLETE"))["value"]
    cli = [OPENSTACK, "--os-auth-type", "none", "--os-endpoint", heat.endpoint]
    subprocess.run(
        [*cli, "stack", "resource", "mark", "unhealthy", stack, "r", "disk on fire"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shown = heat.get(f"/stacks/{stack}/{stack_id}/resources/r").json()["resource"]
    assert (shown["resource_status"], shown["resource_status_reason"]) == (
        "CHECK_FAILED",
        "disk on fire",
    )
    response = heat.http.patch(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}", json={"existing": True}, timeout=60
    )
    assert response.status_code == 202, response.text
    after = outputs(heat.wait_status(stack, stack_id, "UPDATE_COMPLETE"))["value"]
    assert after != before and len(after) == 9


def test_retain_keeps_the_resource_out_of_the_delete(heat: HeatClient) -> None:
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "kept": {
                "type": "OS::Heat::TestResource",
                "deletion_policy": "Retain",
                "properties": {"value": "x", "action_wait_secs": {"delete": 600}},
            }
        },
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    # The resource's own delete would take ten minutes; Retain skips it.
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
    heat.wait_status(stack, stack_id, "DELETE_COMPLETE", deadline=30)


def test_a_cfn_wait_condition_completes_on_a_put_to_its_handle_url(heat: HeatClient) -> None:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
            "Wait": {
                "Type": "AWS::CloudFormation::WaitCondition",
                "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": 600},
            },
        },
        "Outputs": {
            "Url": {"Value": {"Ref": "Handle"}},
            "Data": {"Value": {"Fn::GetAtt": ["Wait", "Data"]}},
        },
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]

    def handle_made() -> bool:
        handle = heat.get(f"/stacks/{stack}/{stack_id}/resources/Handle").json()["resource"]
        return bool(handle["resource_status"] == "CREATE_COMPLETE")

    wait_until(handle_made, 30, "the handle")
    # A signal without its token (and with a wrong one) is refused; incomplete data too.
    wrong = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}/resources/Handle/signal?token=nope",
        json={"Status": "SUCCESS", "Reason": "ok", "UniqueId": "1", "Data": "x"},
        timeout=30,
    )
    assert wrong.status_code == 403, wrong.text
    incomplete = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}/resources/Handle/signal",
        json={"Status": "SUCCESS"},
        timeout=30,
    )
    assert incomplete.status_code == 400, incomplete.text
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_IN_PROGRESS"
    ok = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}/resources/Handle/signal",
        json={"Status": "SUCCESS", "Reason": "booted", "UniqueId": "i-1", "Data": "hello"},
        timeout=30,
    )
    assert ok.status_code == 200, ok.text
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    got = outputs(shown)
    assert json.loads(got["Data"]) == {"i-1": "hello"}
    assert got["Url"].startswith(f"{heat.endpoint}/stacks/{stack}/{stack_id}/resources/Handle")
    assert "?token=" in got["Url"]
    # The URL itself authorises the signal: a PUT to it is accepted.
    again = heat.http.put(
        got["Url"],
        json={"Status": "SUCCESS", "Reason": "again", "UniqueId": "i-2", "Data": "x"},
        timeout=30,
    )
    assert again.status_code == 200, again.text


def test_delay_and_external_id(heat: HeatClient) -> None:
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "pause": {"type": "OS::Heat::Delay", "properties": {"min_wait": 2}},
            "taken": {
                "type": "OS::Heat::TestResource",
                "external_id": "existing-thing-42",
                "properties": {"value": "v", "action_wait_secs": {"delete": 600}},
            },
            "after": {
                "type": "OS::Heat::Value",
                "depends_on": "pause",
                "properties": {"value": {"get_resource": "taken"}},
            },
        },
        "outputs": {"ref": {"value": {"get_attr": ["after", "value"]}}},
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    assert outputs(shown)["ref"] == "existing-thing-42"
    listed = {
        e[0]: e[1] for e in events(heat, stack, stack_id) if e[0] in ("pause", "after", "taken")
    }
    assert listed["taken"] == "ADOPT_COMPLETE"
    # The delay held `after` back by its two seconds (event times are whole seconds).
    body = heat.get(f"/stacks/{stack}/{stack_id}/events?sort_dir=asc").json()["events"]
    times = {
        (e["resource_name"], e["resource_status"]): datetime.fromisoformat(e["event_time"])
        for e in body
    }
    held = times[("after", "CREATE_IN_PROGRESS")] - times[("pause", "CREATE_IN_PROGRESS")]
    assert held.total_seconds() >= 1
    # The external resource is not deleted with the stack (its delete would take 10 min).
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
    heat.wait_status(stack, stack_id, "DELETE_COMPLETE", deadline=30)
