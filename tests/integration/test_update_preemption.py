"""An update while a create or update runs takes over from it, as upstream's convergence engine
does; during a rollback or a delete it is refused with 409, as upstream refuses it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import HeatClient, Service, wait_until
from tests.integration.test_openstack_cli import openstack
from tests.integration.test_stack_update import events, outputs, put, resources, template


def name() -> str:
    return f"p{uuid.uuid4().hex[:10]}"


def in_progress(heat: HeatClient, stack: str, stack_id: str, resource: str, action: str) -> None:
    wait_until(
        lambda: (
            resources(heat, stack, stack_id)[resource]["resource_status"] == f"{action}_IN_PROGRESS"
        ),
        60,
        f"{resource} to be {action}_IN_PROGRESS",
    )


def stack_events(heat: HeatClient, stack: str, stack_id: str) -> list[tuple[str, str]]:
    return [
        (status, reason) for who, status, reason in events(heat, stack, stack_id) if who == stack
    ]


def count(seen: list[tuple[str, str, str]], resource: str, status: str) -> int:
    return sum(1 for who, what, _ in seen if (who, what) == (resource, status))


def refused_in_progress(response: Any, stack: str, action: str) -> None:
    assert response.status_code == 409, response.text
    assert response.json()["error"] == {
        "type": "ActionInProgress",
        "traceback": None,
        "message": f"Stack {stack} already has an action ({action}) in progress.",
    }


def test_an_update_during_a_create_takes_over_without_rollback(heat: HeatClient) -> None:
    """The running resource finishes its create, nothing new is started by the create, the
    stack goes straight to UPDATE_IN_PROGRESS and ends UPDATE_COMPLETE with the new template."""
    stack = name()
    slow = template(
        extra={"action_wait_secs": {"create": 8}},
        more={"after": {"type": "OS::Heat::None", "depends_on": "t"}},
    )
    stack_id = heat.create(stack, slow, disable_rollback=False)["id"]
    in_progress(heat, stack, stack_id, "t", "CREATE")
    new = template(length=8, more={"extra": {"type": "OS::Heat::None"}})
    answer = put(heat, stack, stack_id, {"template": new, "parameters": {"v": "b"}})
    assert answer.status_code == 202, answer.text
    # Answered once the listings show the new update.
    assert heat.stack(stack, stack_id)["stack_status"] == "UPDATE_IN_PROGRESS"
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    assert shown["stack_status_reason"] == "Stack UPDATE completed successfully"
    assert outputs(shown)["o"] == "b"
    assert shown["parameters"]["v"] == "b"
    assert heat.get(f"/stacks/{stack}/{stack_id}/template").json() == new
    listed = resources(heat, stack, stack_id)
    assert set(listed) == {"t", "r", "extra"}
    assert {r["resource_status"] for r in listed.values()} <= {"CREATE_COMPLETE", "UPDATE_COMPLETE"}

    seen = events(heat, stack, stack_id)
    # t finished the create it had begun (once), then the update changed it in place.
    assert count(seen, "t", "CREATE_IN_PROGRESS") == 1
    assert count(seen, "t", "CREATE_COMPLETE") == 1
    assert ("t", "UPDATE_COMPLETE", "state changed") in seen
    assert count(seen, "r", "CREATE_COMPLETE") == 1
    # The create started nothing new once superseded: `after` was never made.
    assert count(seen, "after", "CREATE_IN_PROGRESS") == 0
    # The stack went from the create straight to the update: no end of the create, no rollback.
    assert stack_events(heat, stack, stack_id) == [
        ("CREATE_IN_PROGRESS", "Stack CREATE started"),
        ("UPDATE_IN_PROGRESS", "Stack UPDATE started"),
        ("UPDATE_COMPLETE", "Stack UPDATE completed successfully"),
    ]


def test_an_update_during_an_update_takes_over(heat: HeatClient) -> None:
    slow = template(extra={"action_wait_secs": {"update": 8}})
    stack = name()
    stack_id = heat.create(stack, slow, disable_rollback=False)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    secret = outputs(heat.stack(stack, stack_id))["secret"]
    first = put(heat, stack, stack_id, {"template": slow, "parameters": {"v": "b"}})
    assert first.status_code == 202, first.text
    in_progress(heat, stack, stack_id, "t", "UPDATE")
    second = put(heat, stack, stack_id, {"parameters": {"v": "c"}}, method="PATCH")
    assert second.status_code == 202, second.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    assert outputs(shown) == {"o": "c", "secret": secret}
    seen = events(heat, stack, stack_id)
    # The first update's change of t finished and was recorded; the second made its own.
    assert count(seen, "t", "UPDATE_COMPLETE") == 2
    assert count(seen, "t", "CREATE_COMPLETE") == 1
    assert count(seen, "r", "CREATE_COMPLETE") == 1
    assert stack_events(heat, stack, stack_id) == [
        ("CREATE_IN_PROGRESS", "Stack CREATE started"),
        ("CREATE_COMPLETE", "Stack CREATE completed successfully"),
        ("UPDATE_IN_PROGRESS", "Stack UPDATE started"),
        ("UPDATE_IN_PROGRESS", "Stack UPDATE started"),
        ("UPDATE_COMPLETE", "Stack UPDATE completed successfully"),
    ]


def test_an_update_during_a_rollback_or_a_delete_is_refused(heat: HeatClient) -> None:
    # A create that fails and rolls back slowly (the good resource takes a while to delete).
    stack = name()
    failing = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "good": {
                "type": "OS::Heat::TestResource",
                "properties": {"value": "g", "action_wait_secs": {"delete": 6}},
            },
            "bad": {
                "type": "OS::Heat::TestResource",
                "properties": {"value": "b", "fail": True},
                "depends_on": "good",
            },
        },
    }
    stack_id = heat.create(stack, failing, disable_rollback=False)["id"]
    heat.wait_status(stack, stack_id, "ROLLBACK_IN_PROGRESS", deadline=120)
    refused_in_progress(put(heat, stack, stack_id, {"template": template()}), stack, "ROLLBACK")
    heat.wait_status(stack, stack_id, "ROLLBACK_COMPLETE", deadline=120)

    slow_delete = template(extra={"action_wait_secs": {"delete": 6}})
    other = name()
    other_id = heat.create(other, slow_delete)["id"]
    heat.wait_status(other, other_id, "CREATE_COMPLETE")
    assert heat.delete(f"/stacks/{other}/{other_id}").status_code == 204
    refused_in_progress(put(heat, other, other_id, {"template": template()}), other, "DELETE")
    wait_until(
        lambda: (
            heat.get(f"/stacks/{other}/{other_id}").json()["stack"]["stack_status"]
            == "DELETE_COMPLETE"
        ),
        120,
        "the stack to be deleted",
    )


def test_a_delete_during_the_hand_over_deletes_the_stack(heat: HeatClient) -> None:
    """A delete right after an update took over from a create: the delete wins, as upstream."""
    stack = name()
    slow = template(extra={"action_wait_secs": {"create": 8}})
    stack_id = heat.create(stack, slow)["id"]
    in_progress(heat, stack, stack_id, "t", "CREATE")
    assert put(heat, stack, stack_id, {"template": template(value="b")}).status_code == 202
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
    wait_until(
        lambda: (
            heat.get(f"/stacks/{stack}/{stack_id}").json()["stack"]["stack_status"]
            == "DELETE_COMPLETE"
        ),
        120,
        "the stack to be deleted",
    )
    assert count(events(heat, stack, stack_id), "t", "UPDATE_IN_PROGRESS") == 0


def test_the_openstack_cli_updates_a_stack_whose_create_is_in_progress(
    service: Service, tmp_path: Path
) -> None:
    project = f"cli{uuid.uuid4().hex[:6]}"
    slow, new = tmp_path / "slow.yaml", tmp_path / "new.yaml"
    slow.write_text(yaml.safe_dump(template(extra={"action_wait_secs": {"create": 10}})))
    new.write_text(yaml.safe_dump(template(value="cli")))
    openstack(service, project, "stack", "create", "-t", str(slow), "busy")
    heat = HeatClient(service.endpoint(project))
    stack_id = heat.get("/stacks/busy").json()["stack"]["id"]
    in_progress(heat, "busy", stack_id, "t", "CREATE")
    updated = openstack(service, project, "stack", "update", "-t", str(new), "--wait", "busy")
    assert "UPDATE_COMPLETE" in updated
    # It took over from the create (which never ended on its own).
    assert [status for status, _ in stack_events(heat, "busy", stack_id)] == [
        "CREATE_IN_PROGRESS",
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
    ]
    shown = openstack(
        service,
        project,
        "stack",
        "output",
        "show",
        "busy",
        "o",
        "-f",
        "value",
        "-c",
        "output_value",
    )
    assert shown.strip() == "cli"


def _with_input(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> str:
    return json.dumps(
        {
            "heat_template_version": "queens",
            "parameters": {"input": {"type": "string"}},
            "resources": resources,
            "outputs": outputs or {},
        }
    )


def test_an_update_takes_over_from_a_nested_stacks_update_too(heat: HeatClient) -> None:
    """Upstream's test_nested_preemption: an update in progress deep in a nested stack (a
    resource that would take 100 minutes) is taken over by the next update, which drops it."""
    root = _with_input(
        {"nested": {"type": "preempt.yaml", "properties": {"input": {"get_param": "input"}}}},
        {"delay_stack": {"value": {"get_attr": ["nested", "delay_stack"]}}},
    )
    nested = _with_input(
        {"delay_stack": {"type": "delay.yaml", "properties": {"input": {"get_param": "input"}}}},
        {"delay_stack": {"value": {"get_resource": "delay_stack"}}},
    )
    delay = _with_input(
        {
            "delay_resource": {
                "type": "OS::Heat::TestResource",
                "properties": {
                    "action_wait_secs": {"update": 6000},
                    "value": {"get_param": "input"},
                },
            }
        }
    )
    files = {"preempt.yaml": nested, "delay.yaml": delay}
    stack = name()
    stack_id = heat.create(stack, json.loads(root), files=files, parameters={"input": "foo"})["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=120)
    # arn:openstack:heat::<project>:stacks/<name>/<id>
    _, delay_name, delay_id = outputs(shown)["delay_stack"].rsplit("/", 2)
    nested_id = resources(heat, stack, stack_id)["nested"]["physical_resource_id"]
    body = {"template": json.loads(root), "files": files, "parameters": {"input": "bar"}}
    assert put(heat, stack, stack_id, body).status_code == 202
    in_progress(heat, delay_name, delay_id, "delay_resource", "UPDATE")
    emptied = {**files, "preempt.yaml": _with_input({})}
    # (Without the root's output of the nested stack's output that no longer exists: we
    # refuse that update as invalid, which upstream does not.)
    plain_root = {**json.loads(root), "outputs": {}}
    body = {"template": plain_root, "files": emptied, "parameters": {"input": "baz"}}
    answer = put(heat, stack, stack_id, body)
    assert answer.status_code == 202, answer.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    gone = heat.get(f"/stacks/{delay_name}/{delay_id}")
    assert gone.status_code == 404 or gone.json()["stack"]["stack_status"] == "DELETE_COMPLETE"
    # The nested stack was updated in place (its update taken over in turn), not replaced.
    listed = resources(heat, stack, stack_id)
    assert listed["nested"]["resource_status"] == "UPDATE_COMPLETE"
    assert listed["nested"]["physical_resource_id"] == nested_id


def test_a_create_that_fails_after_being_superseded_is_repaired_by_the_update(
    heat: HeatClient,
) -> None:
    """Upstream's SimultaneousUpdateStackTest.test_retrigger_failure: the superseded create's
    resource finishes failing; the update replaces it and the stack ends UPDATE_COMPLETE."""
    stack = name()
    failing = template(extra={"action_wait_secs": {"create": 4}})
    stack_id = heat.create(stack, failing, parameters={"broken": True}, disable_rollback=False)[
        "id"
    ]
    in_progress(heat, stack, stack_id, "t", "CREATE")
    answer = put(heat, stack, stack_id, {"template": template(value="fixed")})
    assert answer.status_code == 202, answer.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    assert outputs(shown)["o"] == "fixed"
    seen = events(heat, stack, stack_id)
    assert ("t", "CREATE_FAILED", "ValueError: resources.t: Test Resource failed t") in seen
    assert not [e for e in seen if e[0] == stack and e[1].startswith(("CREATE_F", "ROLLBACK"))]
    assert resources(heat, stack, stack_id)["t"]["resource_status"] == "CREATE_COMPLETE"


def test_a_cancel_during_the_hand_over_cancels_the_update_that_takes_over(
    heat: HeatClient,
) -> None:
    stack = name()
    slow = template(extra={"action_wait_secs": {"create": 8}})
    stack_id = heat.create(stack, slow, disable_rollback=False)["id"]
    in_progress(heat, stack, stack_id, "t", "CREATE")
    answer = put(heat, stack, stack_id, {"template": template(value="b")})
    assert answer.status_code == 202, answer.text
    # t's create is still finishing: the cancel is the new update's.
    cancel = heat.post(f"/stacks/{stack}/{stack_id}/actions", {"cancel_update": None})
    assert cancel.status_code == 200, cancel.text
    shown = heat.wait_status(stack, stack_id, "ROLLBACK_COMPLETE", deadline=120)
    # Back to the definition the update took over from (the create's).
    assert heat.get(f"/stacks/{stack}/{stack_id}/template").json() == slow
    assert shown["parameters"]["v"] == "a"
    assert count(events(heat, stack, stack_id), "t", "CREATE_COMPLETE") == 1
