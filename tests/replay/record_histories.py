"""Records the Temporal histories of representative stack operations as replay fixtures.

Run it after a deliberate, patched workflow change (`python -m tests.replay.record_histories`):
it starts a dev server, a worker and an API, drives each scenario through the Heat API, and
writes every workflow run of the scenario's project (the stack entity and each operation's
child) to tests/replay/histories/<scenario>.json. Existing fixtures are kept as well: the point
is that histories recorded by older code still replay.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.temporal import connect
from tests.conftest import HeatClient, make_service, wait_until
from tests.dev_server import DevServer

HISTORIES = Path(__file__).resolve().parent / "histories"


def _test_resource(value: str, **props: Any) -> dict[str, Any]:
    return {"type": "OS::Heat::TestResource", "properties": {"value": value, **props}}


def _template(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"heat_template_version": "2018-08-31", "resources": resources, "outputs": outputs or {}}


# A little of everything the engine runs: in-engine types (batched local activities), a remote
# type (activities, polling timers), a dependency chain and outputs.
MIXED = _template(
    {
        "secret": {"type": "OS::Heat::RandomString", "properties": {"length": 12}},
        "label": {"type": "OS::Heat::Value", "properties": {"value": {"get_resource": "secret"}}},
        "slot": {"type": "OS::Heat::None"},
        "server": {**_test_resource("one"), "depends_on": ["label"]},
    },
    {"value": {"value": {"get_attr": ["server", "output"]}}},
)


def _path(stack: dict[str, Any]) -> str:
    return f"/stacks/{stack['stack_name']}/{stack['id']}"


def _settled(heat: HeatClient, stack: dict[str, Any], status: str) -> dict[str, Any]:
    return heat.wait_status(stack["stack_name"], stack["id"], status, deadline=120)


def _create(heat: HeatClient, name: str, template: dict[str, Any], **fields: Any) -> dict:
    created = heat.create(name, template, **fields)
    return {"stack_name": name, "id": created["id"]}


def _delete(heat: HeatClient, stack: dict[str, Any]) -> None:
    assert heat.delete(_path(stack)).status_code == 204
    wait_until(
        lambda: heat.get(_path(stack)).json()["stack"]["stack_status"] == "DELETE_COMPLETE",
        120,
        "the stack to be deleted",
    )


def _patch(heat: HeatClient, stack: dict[str, Any], body: dict[str, Any]) -> None:
    response = heat.http.patch(heat.endpoint + _path(stack), json=body, timeout=60)
    assert response.status_code == 202, response.text


def _action(heat: HeatClient, stack: dict[str, Any], action: str) -> None:
    response = heat.post(_path(stack) + "/actions", {action: None})
    assert response.status_code == 200, response.text


def create_with_rollback(heat: HeatClient) -> None:
    broken = _template({"ok": _test_resource("fine"), "bad": _test_resource("x", fail=True)})
    stack = _create(heat, "rollback", broken, disable_rollback=False)
    _settled(heat, stack, "ROLLBACK_COMPLETE")
    _delete(heat, stack)


def update_with_replace(heat: HeatClient) -> None:
    stack = _create(heat, "replace", MIXED)
    _settled(heat, stack, "CREATE_COMPLETE")
    replaced = json.loads(json.dumps(MIXED))
    replaced["resources"]["server"]["properties"].update(value="two", update_replace=True)
    replaced["resources"]["extra"] = {"type": "OS::Heat::None"}
    del replaced["resources"]["slot"]
    _patch(heat, stack, {"template": replaced})
    _settled(heat, stack, "UPDATE_COMPLETE")
    _delete(heat, stack)


def delete_during_create(heat: HeatClient) -> None:
    slow = _template({"slow": _test_resource("s", wait_secs=30), "quick": _test_resource("q")})
    stack = _create(heat, "interrupted", slow)
    wait_until(
        lambda: any(
            r["resource_status"] == "CREATE_IN_PROGRESS" and r["resource_name"] == "slow"
            for r in heat.get(_path(stack) + "/resources").json()["resources"]
        ),
        60,
        "the slow resource to be in progress",
    )
    _delete(heat, stack)


def suspend_and_resume(heat: HeatClient) -> None:
    stack = _create(heat, "suspended", MIXED)
    _settled(heat, stack, "CREATE_COMPLETE")
    _action(heat, stack, "suspend")
    _settled(heat, stack, "SUSPEND_COMPLETE")
    _action(heat, stack, "resume")
    _settled(heat, stack, "RESUME_COMPLETE")
    _action(heat, stack, "check")
    _settled(heat, stack, "CHECK_COMPLETE")
    _delete(heat, stack)


def snapshot_and_restore(heat: HeatClient) -> None:
    stack = _create(heat, "snapped", MIXED)
    _settled(heat, stack, "CREATE_COMPLETE")
    response = heat.post(_path(stack) + "/snapshots", {"name": "before"})
    assert response.status_code == 200, response.text
    snapshot_id = response.json()["id"]
    _settled(heat, stack, "SNAPSHOT_COMPLETE")
    changed = json.loads(json.dumps(MIXED))
    changed["resources"]["server"]["properties"]["value"] = "changed"
    _patch(heat, stack, {"template": changed})
    _settled(heat, stack, "UPDATE_COMPLETE")
    response = heat.post(_path(stack) + f"/snapshots/{snapshot_id}/restore", {})
    assert response.status_code == 202, response.text
    _settled(heat, stack, "RESTORE_COMPLETE")
    _delete(heat, stack)


def cancel_update(heat: HeatClient) -> None:
    stack = _create(heat, "cancelled", MIXED)
    _settled(heat, stack, "CREATE_COMPLETE")
    slow = json.loads(json.dumps(MIXED))
    slow["resources"]["server"]["properties"].update(value="slow", wait_secs=30)
    _patch(heat, stack, {"template": slow})
    wait_until(
        lambda: (
            heat.stack(stack["stack_name"], stack["id"])["stack_status"] == "UPDATE_IN_PROGRESS"
        ),
        60,
        "the update to be in progress",
    )
    _action(heat, stack, "cancel_update")
    _settled(heat, stack, "ROLLBACK_COMPLETE")
    _delete(heat, stack)


def _group(count: int, value: str, **policies: Any) -> dict[str, Any]:
    group: dict[str, Any] = {
        "type": "OS::Heat::ResourceGroup",
        "properties": {"count": count, "resource_def": _test_resource(f"%index%-{value}")},
    }
    if policies:
        group["update_policy"] = policies
    return _template({"group": group}, {"refs": {"value": {"get_attr": ["group", "refs"]}}})


def group_in_batches(heat: HeatClient) -> None:
    """A group large enough for its members to run in StackBatch workflows (300 members)."""
    stack = _create(heat, "batched", _group(300, "a"))
    _settled(heat, stack, "CREATE_COMPLETE")
    _patch(heat, stack, {"template": _group(300, "b")})
    _settled(heat, stack, "UPDATE_COMPLETE")
    _delete(heat, stack)


def rolling_pause(heat: HeatClient) -> None:
    """batch_create and rolling_update with a pause_time: waves with a timer between."""
    wave = {"max_batch_size": 2, "pause_time": 1}
    policies = {"batch_create": wave, "rolling_update": wave}
    stack = _create(heat, "paused", _group(4, "a", **policies))
    _settled(heat, stack, "CREATE_COMPLETE")
    _patch(heat, stack, {"template": _group(4, "b", **policies)})
    _settled(heat, stack, "UPDATE_COMPLETE")
    _delete(heat, stack)


def update_with_converge(heat: HeatClient) -> None:
    stack = _create(heat, "converge", MIXED)
    _settled(heat, stack, "CREATE_COMPLETE")
    _patch(heat, stack, {"converge": True})
    _settled(heat, stack, "UPDATE_COMPLETE")
    _delete(heat, stack)


_INNER = {
    "heat_template_version": "2018-08-31",
    "parameters": {"text": {"type": "string"}},
    "resources": {
        "inner": {"type": "OS::Heat::Value", "properties": {"value": {"get_param": "text"}}}
    },
}


def _reading_inner(text: str) -> dict[str, Any]:
    return _template(
        {
            "wrapper": {"type": "My::Wrapper", "properties": {"text": text}},
            "reader": {
                "type": "OS::Heat::Value",
                "properties": {"value": {"get_attr": ["wrapper", "resource.inner", "value"]}},
            },
        },
        {"inner_ref": {"value": {"get_attr": ["wrapper", "resource.inner"]}}},
    )


def nested_inner_resources(heat: HeatClient) -> None:
    """A provider template's resource read by its parent (`resource.<inner>`): the nested
    stack's operations answer with the inner resources the parent names."""
    fields = {
        "environment": {"resource_registry": {"My::Wrapper": "wrapper.yaml"}},
        "files": {"wrapper.yaml": json.dumps(_INNER)},
    }
    stack = _create(heat, "inner", _reading_inner("a"), **fields)
    _settled(heat, stack, "CREATE_COMPLETE")
    _patch(heat, stack, {"template": _reading_inner("b"), **fields})
    _settled(heat, stack, "UPDATE_COMPLETE")
    _delete(heat, stack)


def deployment_cancelled(heat: HeatClient) -> None:
    """A deployment waiting for its server when a delete stops the create: it is failed
    'Deployment cancelled.' first (deployment-cancelled-2026-12)."""
    server = str(uuid.uuid4())
    template = _template(
        {
            "config": {"type": "OS::Heat::SoftwareConfig", "properties": {"config": "true"}},
            "deploy": {
                "type": "OS::Heat::SoftwareDeployment",
                "properties": {"config": {"get_resource": "config"}, "server": server},
            },
        }
    )
    stack = _create(heat, "deploying", template)
    wait_until(
        lambda: heat.get(f"/software_deployments?server_id={server}").json()[
            "software_deployments"
        ],
        60,
        "the deployment to be written",
    )
    _delete(heat, stack)


def _resource_status(heat: HeatClient, stack: dict[str, Any], name: str) -> str:
    listed = heat.get(_path(stack) + "/resources").json()["resources"]
    return next(r["resource_status"] for r in listed if r["resource_name"] == name)


def update_preempts_update(heat: HeatClient) -> None:
    """An update takes over from a create, then from an update, in progress
    (update-preempts-update-2026-12); a failing update then rolls back, its operation telling
    the entity first."""
    slow = json.loads(json.dumps(MIXED))
    slow["resources"]["server"]["properties"]["action_wait_secs"] = {"create": 3, "update": 3}
    stack = _create(heat, "preempted", slow, disable_rollback=False)
    wait_until(
        lambda: _resource_status(heat, stack, "server") == "CREATE_IN_PROGRESS",
        60,
        "the server's create to be in progress",
    )
    taking_over = json.loads(json.dumps(slow))
    taking_over["resources"]["server"]["properties"]["value"] = "two"
    taking_over["resources"]["extra"] = {"type": "OS::Heat::None"}
    _patch(heat, stack, {"template": taking_over})
    _settled(heat, stack, "UPDATE_COMPLETE")
    again = json.loads(json.dumps(taking_over))
    again["resources"]["server"]["properties"]["value"] = "three"
    _patch(heat, stack, {"template": again})
    wait_until(
        lambda: _resource_status(heat, stack, "server") == "UPDATE_IN_PROGRESS",
        60,
        "the server's update to be in progress",
    )
    again["resources"]["server"]["properties"]["value"] = "four"
    _patch(heat, stack, {"template": again})
    _settled(heat, stack, "UPDATE_COMPLETE")
    broken = json.loads(json.dumps(again))
    broken["resources"]["server"]["properties"].update(value="five", fail=True)
    _patch(heat, stack, {"template": broken})
    _settled(heat, stack, "ROLLBACK_COMPLETE")
    _delete(heat, stack)


def _port_stack(mac: str, failing: bool = False) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": "10.95.0.0/24"},
        },
        "port": {
            "type": "OS::Neutron::Port",
            "properties": {
                "network": {"get_resource": "net"},
                "mac_address": mac,
                "fixed_ips": [{"subnet": {"get_resource": "subnet"}, "ip_address": "10.95.0.50"}],
            },
        },
    }
    if failing:
        resources["after"] = {**_test_resource("x", fail=True), "depends_on": ["port"]}
    return _template(resources)


def port_replace_rollback(heat: HeatClient) -> None:
    """A port with a fixed IP replaced (its prepare_for_replace steps), then replaced again by
    an update that fails and rolls back (its restore_prev step): prepare-for-replace-2026-12.
    Needs the minicloud (MINICLOUD_CLOUDS_YAML, default /tmp/minicloud/clouds.yaml)."""
    stack = _create(heat, "portfip", _port_stack("fa:16:3e:95:00:01"))
    _settled(heat, stack, "CREATE_COMPLETE")
    _patch(heat, stack, {"template": _port_stack("fa:16:3e:95:00:02")})
    _settled(heat, stack, "UPDATE_COMPLETE")
    body = {"template": _port_stack("fa:16:3e:95:00:03", failing=True), "disable_rollback": False}
    _patch(heat, stack, body)
    _settled(heat, stack, "ROLLBACK_COMPLETE")
    _delete(heat, stack)


def _with_input(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {
            "heat_template_version": "queens",
            "parameters": {"input": {"type": "string"}},
            "resources": resources,
            "outputs": outputs or {},
        }
    )


def nested_update_preempted(heat: HeatClient) -> None:
    """Upstream's test_nested_preemption: an update takes over from one in progress two nested
    stacks deep; the parent's operation leaves the nested stack's update to the new one, whose
    update of the nested stack takes over there in turn and deletes the innermost stack."""
    root = _template(
        {"nested": {"type": "preempt.yaml", "properties": {"input": {"get_param": "input"}}}}
    )
    root["parameters"] = {"input": {"type": "string"}}
    slow = {
        "type": "OS::Heat::TestResource",
        "properties": {"value": {"get_param": "input"}, "action_wait_secs": {"update": 6000}},
    }
    files = {
        "preempt.yaml": _with_input(
            {"delay": {"type": "delay.yaml", "properties": {"input": {"get_param": "input"}}}}
        ),
        "delay.yaml": _with_input({"slow": slow}),
    }
    stack = _create(heat, "nestedpreempt", root, files=files, parameters={"input": "foo"})
    _settled(heat, stack, "CREATE_COMPLETE")
    _patch(heat, stack, {"files": files, "parameters": {"input": "bar"}})
    wait_until(
        lambda: any(
            e["resource_name"] == "slow" and e["resource_status"] == "UPDATE_IN_PROGRESS"
            for e in heat.get(_path(stack) + "/events?nested_depth=3").json()["events"]
        ),
        60,
        "the innermost resource's update to be in progress",
    )
    emptied = {**files, "preempt.yaml": _with_input({})}
    _patch(heat, stack, {"files": emptied, "parameters": {"input": "baz"}})
    _settled(heat, stack, "UPDATE_COMPLETE")
    _delete(heat, stack)


def _port_under_server(mac: str, ip_address: str) -> dict[str, Any]:
    template = _port_stack(mac)
    port = template["resources"]["port"]["properties"]
    port["fixed_ips"][0]["ip_address"] = ip_address
    template["resources"]["server"] = {
        "type": "OS::Nova::Server",
        "properties": {
            "image": "fake-img",
            "flavor": "m1.fake",
            "networks": [{"port": {"get_resource": "port"}}],
        },
    }
    return template


def retired_port_delete(heat: HeatClient) -> None:
    """A port's replacement fails under its server without rollback (the old port retired,
    the server still on it); the delete takes the old port down right after its namesake,
    once the server is gone: retired-with-namesake-2026-12. Needs the minicloud."""
    stack = _create(heat, "retiredport", _port_under_server("fa:16:3e:95:01:01", "10.95.0.60"))
    _settled(heat, stack, "CREATE_COMPLETE")
    body = {
        "template": _port_under_server("fa:16:3e:95:01:02", "10.95.1.60"),
        "disable_rollback": True,
    }
    _patch(heat, stack, body)
    _settled(heat, stack, "UPDATE_FAILED")
    _delete(heat, stack)


# Scenarios whose worker acts in the minicloud.
CLOUD_SCENARIOS = {"port_replace_rollback", "retired_port_delete"}


def adopt_nested(heat: HeatClient) -> None:
    """An abandoned stack with nested stacks (a provider template's, a group's) adopted: each
    nested stack is made anew by adopting its resources (adopt-nested-stacks-2026-12)."""
    nested = _template(
        {"inner": _test_resource("inside")}, {"out": {"value": {"get_attr": ["inner", "output"]}}}
    )
    template = _template(
        {
            "wrapper": {"type": "wrapper.yaml"},
            "group": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {"count": 2, "resource_def": _test_resource("member")},
            },
        },
        {"out": {"value": {"get_attr": ["wrapper", "out"]}}},
    )
    stack = _create(heat, "adopted", template, files={"wrapper.yaml": json.dumps(nested)})
    _settled(heat, stack, "CREATE_COMPLETE")
    abandoned = heat.delete(_path(stack) + "/abandon")
    assert abandoned.status_code == 200, abandoned.text
    data = abandoned.json()
    adopted = heat.post(
        "/stacks",
        {"stack_name": "adopted", "files": data["files"], "adopt_stack_data": json.dumps(data)},
    )
    assert adopted.status_code == 201, adopted.text
    stack = {"stack_name": "adopted", "id": adopted.json()["stack"]["id"]}
    _settled(heat, stack, "ADOPT_COMPLETE")
    _delete(heat, stack)


def failed_nested_update(heat: HeatClient) -> None:
    """A provider template's nested stack failed its create; the parent's update fixes it by
    updating that nested stack in place (failed-nested-stack-in-place-2026-12)."""
    nested = {
        "heat_template_version": "2018-08-31",
        "parameters": {"fail": {"type": "boolean", "default": False}},
        "resources": {
            "ok": {"type": "OS::Heat::None"},
            "tr": _test_resource("v", fail={"get_param": "fail"}),
        },
    }

    def parent(fail: bool) -> dict[str, Any]:
        return _template({"wrapper": {"type": "wrapper.yaml", "properties": {"fail": fail}}})

    files = {"wrapper.yaml": json.dumps(nested)}
    stack = _create(heat, "fixed", parent(True), files=files, disable_rollback=True)
    _settled(heat, stack, "CREATE_FAILED")
    response = heat.http.put(
        heat.endpoint + _path(stack), json={"template": parent(False), "files": files}, timeout=60
    )
    assert response.status_code == 202, response.text
    _settled(heat, stack, "UPDATE_COMPLETE")
    _delete(heat, stack)


SCENARIOS: dict[str, Callable[[HeatClient], None]] = {
    "create_with_rollback": create_with_rollback,
    "update_with_replace": update_with_replace,
    "delete_during_create": delete_during_create,
    "suspend_and_resume": suspend_and_resume,
    "snapshot_and_restore": snapshot_and_restore,
    "cancel_update": cancel_update,
    "group_in_batches": group_in_batches,
    "rolling_pause": rolling_pause,
    "update_with_converge": update_with_converge,
    "deployment_cancelled": deployment_cancelled,
    "nested_inner_resources": nested_inner_resources,
    "update_preempts_update": update_preempts_update,
    "nested_update_preempted": nested_update_preempted,
    "port_replace_rollback": port_replace_rollback,
    "retired_port_delete": retired_port_delete,
    "adopt_nested": adopt_nested,
    "failed_nested_update": failed_nested_update,
}


async def project_histories(target: str, project: str) -> list[dict[str, Any]]:
    """Every run of every workflow of the project, oldest first, as Temporal's JSON history."""
    client = await connect(target, "default")
    runs = [w async for w in client.list_workflows(f'ProjectId = "{project}"')]
    histories = []
    for run in sorted(runs, key=lambda w: (w.start_time, w.id)):
        history = await client.get_workflow_handle(run.id, run_id=run.run_id).fetch_history()
        histories.append(
            {"workflow_id": run.id, "workflow_type": run.workflow_type, **history.to_json_dict()}
        )
    return histories


def record(names: list[str]) -> None:
    HISTORIES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="heat-temporal-record-") as scratch:
        server = DevServer()
        server.start()
        extra: dict[str, str] = {}
        if CLOUD_SCENARIOS & set(names):
            clouds = os.environ.get("MINICLOUD_CLOUDS_YAML", "/tmp/minicloud/clouds.yaml")
            extra = {"OS_CLIENT_CONFIG_FILE": clouds, "HEAT_TEMPORAL_CLOUD__NAME": "minicloud-demo"}
        service = make_service(server.target, Path(scratch) / "service", extra_env=extra)
        try:
            for name in names:
                project = f"replay-{name}-{uuid.uuid4().hex[:6]}"
                SCENARIOS[name](HeatClient(service.endpoint(project)))
                histories = asyncio.run(project_histories(server.target, project))
                text = json.dumps({"scenario": name, "histories": histories}) + "\n"
                out = HISTORIES / f"{name}.json"
                if len(text) > 1_000_000:  # kept gzipped: a batched group's runs are ~10 MB
                    out = out.with_suffix(".json.gz")
                    out.write_bytes(gzip.compress(text.encode(), mtime=0))
                else:
                    out.write_text(text)
                print(f"{out}: {len(histories)} workflow runs")
        finally:
            service.stop()
            server.stop()


if __name__ == "__main__":
    record(sys.argv[1:] or list(SCENARIOS))
