"""Updates (PUT and PATCH), previews, rollback by compensation, cancel, and stack actions."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.conftest import HeatClient, wait_until


def name() -> str:
    return f"u{uuid.uuid4().hex[:10]}"


def template(
    value: str = "a",
    length: int = 8,
    extra: dict[str, Any] | None = None,
    more: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "parameters": {
            "v": {"type": "string", "default": value},
            "broken": {"type": "boolean", "default": False},
        },
        "resources": {
            "t": {
                "type": "OS::Heat::TestResource",
                "properties": {
                    "value": {"get_param": "v"},
                    "fail": {"get_param": "broken"},
                    **(extra or {}),
                },
            },
            "r": {"type": "OS::Heat::RandomString", "properties": {"length": length}},
            **(more or {}),
        },
        "outputs": {
            "o": {"value": {"get_attr": ["t", "output"]}},
            "secret": {"value": {"get_attr": ["r", "value"]}},
        },
    }


def events(heat: HeatClient, stack: str, stack_id: str) -> list[tuple[str, str, str]]:
    body = heat.get(f"/stacks/{stack}/{stack_id}/events?sort_dir=asc").json()["events"]
    return [(e["resource_name"], e["resource_status"], e["resource_status_reason"]) for e in body]


def resources(heat: HeatClient, stack: str, stack_id: str) -> dict[str, dict[str, Any]]:
    body = heat.get(f"/stacks/{stack}/{stack_id}/resources").json()["resources"]
    return {r["resource_name"]: r for r in body}


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in stack["outputs"]}


def put(heat: HeatClient, stack: str, stack_id: str, body: dict[str, Any], method: str = "PUT"):
    return heat.http.request(
        method, f"{heat.endpoint}/stacks/{stack}/{stack_id}", json=body, timeout=60
    )


def created(heat: HeatClient, tmpl: dict[str, Any], **fields: Any) -> tuple[str, str]:
    stack = name()
    stack_id = heat.create(stack, tmpl, **fields)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    return stack, stack_id


def test_put_updates_in_place_and_leaves_unchanged_resources_alone(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template())
    before = resources(heat, stack, stack_id)
    response = put(heat, stack, stack_id, {"template": template(), "parameters": {"v": "b"}})
    assert response.status_code == 202
    assert response.json()["title"] == "Accepted"
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    assert shown["stack_status_reason"] == "Stack UPDATE completed successfully"
    assert shown["updated_time"] is not None
    assert outputs(shown)["o"] == "b"
    after = resources(heat, stack, stack_id)
    assert after["t"]["physical_resource_id"] == before["t"]["physical_resource_id"]
    assert after["t"]["resource_status"] == "UPDATE_COMPLETE"
    assert after["r"] == before["r"]
    seen = events(heat, stack, stack_id)
    update_events = seen[seen.index((stack, "UPDATE_IN_PROGRESS", "Stack UPDATE started")) :]
    assert [e[:2] for e in update_events] == [
        (stack, "UPDATE_IN_PROGRESS"),
        ("t", "UPDATE_IN_PROGRESS"),
        ("t", "UPDATE_COMPLETE"),
        (stack, "UPDATE_COMPLETE"),
    ]
    assert shown["parameters"]["v"] == "b"


def test_a_change_the_schema_forbids_in_place_replaces_create_before_delete(
    heat: HeatClient,
) -> None:
    stack, stack_id = created(heat, template())
    old = resources(heat, stack, stack_id)["r"]["physical_resource_id"]
    assert put(heat, stack, stack_id, {"template": template(length=12)}).status_code == 202
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    new = resources(heat, stack, stack_id)["r"]
    assert new["physical_resource_id"] != old
    assert len(outputs(shown)["secret"]) == 12
    seen = events(heat, stack, stack_id)
    r_events = [status for resource, status, _ in seen if resource == "r"]
    # The replacement is created before the old one is deleted.
    assert r_events[-4:] == [
        "CREATE_IN_PROGRESS",
        "CREATE_COMPLETE",
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
    ]


def test_patch_keeps_the_template_and_merges_parameters(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template(), parameters={"v": "first"})
    response = put(heat, stack, stack_id, {"parameters": {"v": "second"}}, method="PATCH")
    assert response.status_code == 202
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    assert outputs(shown)["o"] == "second"
    env = heat.get(f"/stacks/{stack}/{stack_id}/environment").json()
    assert env["parameters"] == {"v": "second"}
    cleared = put(heat, stack, stack_id, {"clear_parameters": ["v"]}, method="PATCH")
    assert cleared.status_code == 202
    assert outputs(heat.wait_status(stack, stack_id, "UPDATE_COMPLETE"))["o"] == "a"


def test_an_update_adds_and_removes_resources(heat: HeatClient) -> None:
    extra = {"n": {"type": "OS::Heat::None"}}
    stack, stack_id = created(heat, template(more=extra))
    tmpl = template(more={"added": {"type": "OS::Heat::Value", "properties": {"value": 1}}})
    assert put(heat, stack, stack_id, {"template": tmpl}).status_code == 202
    heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    assert set(resources(heat, stack, stack_id)) == {"t", "r", "added"}
    seen = events(heat, stack, stack_id)
    assert ("n", "DELETE_COMPLETE", "state changed") in seen
    assert ("added", "CREATE_COMPLETE", "state changed") in seen


def test_a_failed_update_rolls_back_by_compensation(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template(), disable_rollback=False)
    secret = outputs(heat.stack(stack, stack_id))["secret"]
    body = {
        "template": template(length=20, more={"extra": {"type": "OS::Heat::None"}}),
        "parameters": {"v": "b", "broken": True},
    }
    assert put(heat, stack, stack_id, body).status_code == 202
    shown = heat.wait_status(stack, stack_id, "ROLLBACK_COMPLETE")
    assert shown["stack_status_reason"] == "Stack ROLLBACK completed successfully"
    assert outputs(shown) == {"o": "a", "secret": secret}
    assert set(resources(heat, stack, stack_id)) == {"t", "r"}
    # The template and parameters are the ones from before the update.
    assert heat.get(f"/stacks/{stack}/{stack_id}/template").json() == template()
    assert shown["parameters"]["v"] == "a"
    seen = events(heat, stack, stack_id)
    assert (
        stack,
        "UPDATE_FAILED",
        "Resource UPDATE failed: ValueError: resources.t: Test Resource failed t",
    ) in seen
    rollback = seen[seen.index((stack, "ROLLBACK_IN_PROGRESS", "Stack ROLLBACK started")) :]
    assert ("t", "UPDATE_COMPLETE", "state changed") in rollback  # updated back
    assert ("r", "DELETE_COMPLETE", "state changed") in rollback  # the replacement removed


def test_cancel_update_rolls_back_an_update_in_progress(heat: HeatClient) -> None:
    # (A second update meanwhile would take over: tests/integration/test_update_preemption.py.)
    slow = template(extra={"action_wait_secs": {"update": 10}})
    stack, stack_id = created(heat, slow)
    assert (
        put(heat, stack, stack_id, {"template": slow, "parameters": {"v": "b"}}).status_code == 202
    )
    # Cancelled while t's update runs (on a loaded machine the update may not have reached it).
    wait_until(
        lambda: resources(heat, stack, stack_id)["t"]["resource_status"] == "UPDATE_IN_PROGRESS",
        30,
        "t's update to start",
    )
    cancel = heat.post(f"/stacks/{stack}/{stack_id}/actions", {"cancel_update": None})
    assert cancel.status_code == 200
    shown = heat.wait_status(stack, stack_id, "ROLLBACK_COMPLETE")
    assert outputs(shown)["o"] == "a"
    seen = events(heat, stack, stack_id)
    # cancel_update goes straight to ROLLBACK, as upstream does.
    assert not [e for e in seen if e[:2] == (stack, "UPDATE_FAILED")]
    assert ("t", "UPDATE_FAILED", "UPDATE aborted") in seen


def test_cancel_without_rollback_stops_a_create(heat: HeatClient) -> None:
    """As upstream (test_stack_cancel): the running resource finishes and is recorded, what
    depends on it is never started, the stack ends CREATE_FAILED."""
    stack = name()
    slow = template(
        extra={"action_wait_secs": {"create": 4, "delete": 0}},
        more={"after": {"type": "OS::Heat::None", "depends_on": "t"}},
    )
    stack_id = heat.create(stack, slow, disable_rollback=False)["id"]
    wait_until(
        lambda: resources(heat, stack, stack_id)["t"]["resource_status"] == "CREATE_IN_PROGRESS",
        30,
        "t to start",
    )
    assert (
        heat.post(
            f"/stacks/{stack}/{stack_id}/actions", {"cancel_without_rollback": None}
        ).status_code
        == 200
    )
    shown = heat.wait_status(stack, stack_id, "CREATE_FAILED")
    assert shown["stack_status_reason"] == "Stack CREATE cancelled"
    listed = resources(heat, stack, stack_id)
    assert listed["t"]["resource_status"] == "CREATE_COMPLETE"
    assert listed["after"]["resource_status"] == "INIT_COMPLETE"
    refused = heat.post(f"/stacks/{stack}/{stack_id}/actions", {"cancel_update": None})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        "Cancelling update when stack is CREATE_FAILED is not supported."
    )


def test_patch_with_no_changes_retries_only_what_failed(heat: HeatClient) -> None:
    stack = name()
    tmpl = template(
        more={
            "after": {"type": "OS::Heat::Value", "depends_on": "t", "properties": {"value": "done"}}
        }
    )
    stack_id = heat.create(stack, tmpl, parameters={"broken": True})["id"]
    heat.wait_status(stack, stack_id, "CREATE_FAILED")
    before = resources(heat, stack, stack_id)
    assert before["after"]["resource_status"] == "INIT_COMPLETE"
    response = put(heat, stack, stack_id, {"parameters": {"broken": False}}, method="PATCH")
    assert response.status_code == 202
    heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    after = resources(heat, stack, stack_id)
    assert after["r"] == before["r"]  # it had completed: untouched
    assert after["after"]["resource_status"] == "CREATE_COMPLETE"
    assert after["t"]["physical_resource_id"] != before["t"]["physical_resource_id"]


def test_preview_update_lists_changes_and_changes_nothing(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template(more={"gone": {"type": "OS::Heat::None"}}))
    body = {
        "template": template(length=10, more={"new": {"type": "OS::Heat::None"}}),
        "parameters": {"v": "z"},
    }
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}/preview", json=body, timeout=30
    )
    assert response.status_code == 200
    changes = response.json()["resource_changes"]
    assert {k: [r["resource_name"] for r in v] for k, v in changes.items()} == {
        "added": ["new"],
        "updated": ["t"],
        "replaced": ["r"],
        "unchanged": [],
        "deleted": ["gone"],
    }
    assert changes["updated"][0]["stack_identity"]["stack_id"] == stack_id
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_COMPLETE"


def test_preview_create_shows_the_resources_with_their_properties(heat: HeatClient) -> None:
    from tests.integration.test_stack_api import SMOKE_TEMPLATE, upstream

    response = heat.post("/stacks/preview", {"stack_name": "prev1", "template": SMOKE_TEMPLATE})
    assert response.status_code == 200
    body = response.json()["stack"]
    reference = upstream("31_stack_preview.json")["stack"]
    assert set(body) == set(reference)
    assert body["id"] == "None"
    rand = next(r for r in body["resources"] if r["resource_name"] == "rand")
    ref_rand = next(r for r in reference["resources"] if r["resource_name"] == "rand")
    assert set(rand) == set(ref_rand)
    assert rand["properties"] == ref_rand["properties"]
    assert heat.get("/stacks").json()["stacks"] == []


def test_suspend_resume_and_check_walk_the_resources(heat: HeatClient) -> None:
    stack, stack_id = created(
        heat, template(more={"n": {"type": "OS::Heat::None", "depends_on": "t"}})
    )
    for action in ("suspend", "resume", "check"):
        assert heat.post(f"/stacks/{stack}/{stack_id}/actions", {action: None}).status_code == 200
        shown = heat.wait_status(stack, stack_id, f"{action.upper()}_COMPLETE")
        assert shown["stack_status_reason"] == f"Stack {action.upper()} completed successfully"
    seen = events(heat, stack, stack_id)
    suspends = [r for r, status, _ in seen if status == "SUSPEND_COMPLETE" and r != stack]
    assert suspends.index("n") < suspends.index("t")  # dependents first
    assert ("n", "CHECK_COMPLETE", "CHECK not supported for OS::Heat::None") in seen
    refused = put(heat, stack, stack_id, {"template": template()})
    assert refused.status_code == 202  # CHECK_COMPLETE: updates are allowed again


def test_an_update_of_a_suspended_stack_is_refused(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template())
    heat.post(f"/stacks/{stack}/{stack_id}/actions", {"suspend": None})
    heat.wait_status(stack, stack_id, "SUSPEND_COMPLETE")
    refused = put(heat, stack, stack_id, {"template": template()})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        "Updating a stack when it is suspended is not supported."
    )


def test_a_bad_update_is_400_and_changes_nothing(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template())
    bad = template(more={"x": {"type": "OS::Heat::None", "depends_on": "nope"}})
    response = put(heat, stack, stack_id, {"template": bad})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "InvalidTemplateReference"
    no_template = put(heat, stack, stack_id, {"parameters": {}})
    assert no_template.status_code == 400
    assert no_template.json()["error"]["message"] == "No template specified"
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_COMPLETE"
    bad_action = heat.post(f"/stacks/{stack}/{stack_id}/actions", {"explode": None})
    assert bad_action.status_code == 400
    assert bad_action.json()["error"]["message"] == "Invalid action explode specified"


def test_export_shows_the_stack_data_and_abandon_leaves_the_resources(heat: HeatClient) -> None:
    from tests.integration.test_stack_api import SAMPLES

    stack, stack_id = created(heat, template())
    secret = outputs(heat.stack(stack, stack_id))["secret"]
    exported = heat.get(f"/stacks/{stack}/{stack_id}/export")
    assert exported.status_code == 200
    data = exported.json()
    reference = json.loads(
        (SAMPLES.parent / "api-ref-samples" / "stack-abandon-response.json").read_text()
    )
    assert set(data) == set(reference)
    assert set(data["resources"]["r"]) == set(reference["resources"]["server"])
    assert data["resources"]["r"]["resource_data"] == {"value": secret}
    assert data["template"] == template()
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_COMPLETE"

    abandoned = heat.delete(f"/stacks/{stack}/{stack_id}/abandon")
    assert abandoned.status_code == 200
    assert abandoned.json()["resources"].keys() == data["resources"].keys()
    gone = heat.wait_status(stack, stack_id, "DELETE_COMPLETE")
    assert gone["stack_status_reason"] == "Stack DELETE completed successfully"
    # Abandoned, not deleted: no resource was deleted.
    assert not [
        e for e in events(heat, stack, stack_id) if e[1] == "DELETE_COMPLETE" and e[0] != stack
    ]


def test_adopt_takes_over_abandoned_resources_without_creating_them(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template())
    before = heat.stack(stack, stack_id)
    data = heat.delete(f"/stacks/{stack}/{stack_id}/abandon").json()
    heat.wait_status(stack, stack_id, "DELETE_COMPLETE")
    # As heatclient sends it: the data as JSON text, no template.
    response = heat.post(
        "/stacks", {"stack_name": stack, "adopt_stack_data": json.dumps(data), "parameters": {}}
    )
    assert response.status_code == 201
    new_id = response.json()["stack"]["id"]
    adopted = heat.wait_status(stack, new_id, "ADOPT_COMPLETE")
    assert adopted["stack_status_reason"] == "Stack ADOPT completed successfully"
    assert outputs(adopted) == outputs(before)
    now = resources(heat, stack, new_id)
    assert {n: r["physical_resource_id"] for n, r in now.items()} == {
        n: r["resource_id"] for n, r in data["resources"].items()
    }
    assert {r["resource_status"] for r in now.values()} == {"ADOPT_COMPLETE"}
    assert not [e for e in events(heat, stack, new_id) if e[1] == "CREATE_IN_PROGRESS"]


def test_snapshot_then_restore_returns_to_the_recorded_definition(heat: HeatClient) -> None:
    stack, stack_id = created(heat, template(), parameters={"v": "before"})
    secret = outputs(heat.stack(stack, stack_id))["secret"]
    base = f"/stacks/{stack}/{stack_id}"
    taken = heat.post(base + "/snapshots", {"name": "first"})
    assert taken.status_code == 200
    snapshot = taken.json()
    assert snapshot["name"] == "first" and snapshot["status"] == "IN_PROGRESS"
    heat.wait_status(stack, stack_id, "SNAPSHOT_COMPLETE")
    shown = heat.get(f"{base}/snapshots/{snapshot['id']}").json()["snapshot"]
    assert shown["status"] == "COMPLETE"
    assert shown["status_reason"] == "Stack SNAPSHOT completed successfully"
    assert shown["data"]["resources"]["r"]["resource_data"] == {"value": secret}
    listed = heat.get(base + "/snapshots").json()["snapshots"]
    assert [s["id"] for s in listed] == [snapshot["id"]]

    put(heat, stack, stack_id, {"parameters": {"v": "after"}}, method="PATCH")
    assert outputs(heat.wait_status(stack, stack_id, "UPDATE_COMPLETE"))["o"] == "after"
    restore = heat.post(f"{base}/snapshots/{snapshot['id']}/restore", {})
    assert restore.status_code == 202
    restored = heat.wait_status(stack, stack_id, "RESTORE_COMPLETE")
    assert outputs(restored) == {"o": "before", "secret": secret}

    assert heat.delete(f"{base}/snapshots/{snapshot['id']}").status_code == 204
    assert heat.get(base + "/snapshots").json()["snapshots"] == []
    missing = heat.get(f"{base}/snapshots/{snapshot['id']}")
    assert missing.status_code == 404
    assert (
        missing.json()["error"]["message"] == f"The Snapshot ({snapshot['id']}) could not be found."
    )


def test_cancel_with_rollback_works_on_a_create_too(heat: HeatClient) -> None:
    stack = name()
    slow = template(extra={"action_wait_secs": {"create": 600, "delete": 0}})
    stack_id = heat.create(stack, slow)["id"]
    wait_until(
        lambda: resources(heat, stack, stack_id)["t"]["resource_status"] == "CREATE_IN_PROGRESS",
        30,
        "t to start",
    )
    assert (
        heat.post(f"/stacks/{stack}/{stack_id}/actions", {"cancel_update": None}).status_code == 200
    )
    heat.wait_status(stack, stack_id, "ROLLBACK_COMPLETE")
    assert resources(heat, stack, stack_id) == {}


def test_an_immutable_parameter_cannot_change_and_the_refusal_changes_nothing(
    heat: HeatClient,
) -> None:
    tmpl = template()
    tmpl["parameters"]["zone"] = {"type": "string", "default": "z1", "immutable": True}
    stack, stack_id = created(heat, tmpl)
    response = put(heat, stack, stack_id, {"template": tmpl, "parameters": {"zone": "z2"}})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == {
        "type": "ImmutableParameterModified",
        "traceback": None,
        "message": "The following parameters are immutable and may not be updated: zone",
    }
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_COMPLETE"
    # The same value again, and other parameters, may still change.
    response = put(
        heat, stack, stack_id, {"template": tmpl, "parameters": {"zone": "z1", "v": "b"}}
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    assert outputs(shown)["o"] == "b"
