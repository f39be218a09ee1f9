"""Provider templates and OS::Heat::Stack run as nested stacks with entities of their own."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import HeatClient, wait_until

PROVIDER = {
    "heat_template_version": "2018-08-31",
    "parameters": {
        "greeting": {"type": "string"},
        "names": {"type": "comma_delimited_list", "default": []},
        "broken": {"type": "boolean", "default": False},
    },
    "resources": {
        "inner": {
            "type": "OS::Heat::TestResource",
            "properties": {
                "value": {"list_join": ["-", [{"get_param": "greeting"}, "inner"]]},
                "fail": {"get_param": "broken"},
            },
        },
        "count": {
            "type": "OS::Heat::Value",
            "properties": {"value": {"list_join": ["+", {"get_param": "names"}]}},
        },
    },
    "outputs": {
        "said": {"value": {"get_attr": ["inner", "output"]}},
        "how_many": {"value": {"get_attr": ["count", "value"]}},
    },
}


def parent_template(greeting: str = "hello", broken: bool = False) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "first": {"type": "OS::Heat::Value", "properties": {"value": greeting}},
            "child": {
                "type": "My::Greeter",
                "properties": {
                    "greeting": {"get_attr": ["first", "value"]},
                    "names": ["a", "b", "c"],
                    "broken": broken,
                },
            },
        },
        "outputs": {
            "said": {"value": {"get_attr": ["child", "said"]}},
            "how_many": {"value": {"get_attr": ["child", "how_many"]}},
            "ref": {"value": {"get_resource": "child"}},
        },
    }


ENVIRONMENT = {"resource_registry": {"My::Greeter": "greeter.yaml"}}
FILES = {"greeter.yaml": yaml.safe_dump(PROVIDER)}


def new_name() -> str:
    return f"n{uuid.uuid4().hex[:10]}"


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in stack["outputs"]}


def resource(heat: HeatClient, stack: str, stack_id: str, name: str) -> dict[str, Any]:
    response = heat.get(f"/stacks/{stack}/{stack_id}/resources/{name}")
    assert response.status_code == 200, response.text
    return dict(response.json()["resource"])


def nested_stacks(heat: HeatClient, parent_id: str) -> list[dict[str, Any]]:
    listed = heat.get("/stacks?show_nested=true").json()["stacks"]
    return [s for s in listed if s.get("parent") == parent_id]


def test_provider_template_runs_as_a_nested_stack(heat: HeatClient) -> None:
    stack = new_name()
    stack_id = heat.create(stack, parent_template(), environment=ENVIRONMENT, files=FILES)["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    assert outputs(shown)["said"] == "hello-inner"
    # A list property reaches the comma_delimited_list parameter as upstream passes it.
    assert outputs(shown)["how_many"] == "a+b+c"

    child = resource(heat, stack, stack_id, "child")
    assert child["resource_type"] == "My::Greeter"
    nested_id = child["physical_resource_id"]
    assert outputs(shown)["ref"] == f"arn:openstack:heat::{heat.endpoint.rsplit('/', 1)[1]}" + (
        f":stacks/{nested_stacks(heat, stack_id)[0]['stack_name']}/{nested_id}"
    )

    # The nested stack is a stack of its own: hidden from the plain list, shown with
    # show_nested, named after its parent and resource, readable by the API.
    plain = [s["id"] for s in heat.get("/stacks").json()["stacks"]]
    assert stack_id in plain and nested_id not in plain
    [nested] = nested_stacks(heat, stack_id)
    assert nested["id"] == nested_id
    assert nested["stack_name"].startswith(f"{stack}-child-")
    nested_shown = heat.stack(nested["stack_name"], nested_id)
    assert nested_shown["stack_status"] == "CREATE_COMPLETE"
    assert nested_shown["parent"] == stack_id
    assert outputs(nested_shown)["said"] == "hello-inner"
    inner = resource(heat, nested["stack_name"], nested_id, "inner")
    assert inner["resource_status"] == "CREATE_COMPLETE"

    # Update: the new property value flows into the nested stack's parameters.
    response = heat.http.patch(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}",
        json={"template": parent_template("bonjour"), "environment": ENVIRONMENT, "files": FILES},
        timeout=60,
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    assert outputs(shown)["said"] == "bonjour-inner"
    assert resource(heat, stack, stack_id, "child")["physical_resource_id"] == nested_id
    assert heat.stack(nested["stack_name"], nested_id)["stack_status"] == "UPDATE_COMPLETE"

    # Delete takes the nested stack with it.
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
    heat.wait_status(stack, stack_id, "DELETE_COMPLETE")
    assert heat.stack(nested["stack_name"], nested_id)["stack_status"] == "DELETE_COMPLETE"
    assert heat.get(f"/stacks/{nested['stack_name']}").status_code == 404


def test_a_failing_nested_stack_fails_and_rolls_back_its_parent(heat: HeatClient) -> None:
    stack = new_name()
    stack_id = heat.create(
        stack,
        parent_template(broken=True),
        environment=ENVIRONMENT,
        files=FILES,
        disable_rollback=False,
    )["id"]
    shown = heat.wait_status(stack, stack_id, "ROLLBACK_COMPLETE")
    # Upstream's wording: the nested resource's path is prefixed with the parent's resource.
    expected = "ValueError: resources.child.resources.inner: Test Resource failed inner"
    assert expected in [
        e["resource_status_reason"]
        for e in heat.get(f"/stacks/{stack}/{stack_id}/events").json()["events"]
        if e["resource_name"] == "child"
    ]
    assert shown["stack_status_reason"] == "Stack ROLLBACK completed successfully"
    # The rollback deleted the nested stack it had made.
    wait_until(lambda: not nested_stacks(heat, stack_id), 30, "the nested stack to be deleted")


def test_os_heat_stack_creates_a_stack_from_its_template_property(heat: HeatClient) -> None:
    inner = {
        "heat_template_version": "2018-08-31",
        "parameters": {"n": {"type": "number"}},
        "resources": {"r": {"type": "OS::Heat::RandomString", "properties": {"length": 5}}},
        "outputs": {"len": {"value": {"get_param": "n"}}},
    }
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "sub": {
                "type": "OS::Heat::Stack",
                "properties": {"template": yaml.safe_dump(inner), "parameters": {"n": 5}},
            }
        },
        "outputs": {
            "outs": {"value": {"get_attr": ["sub", "outputs"]}},
            "name": {"value": {"get_attr": ["sub", "stack_name"]}},
            "id": {"value": {"get_resource": "sub"}},
        },
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    got = outputs(shown)
    assert got["outs"] == {"len": 5}
    assert got["name"].startswith(f"{stack}-sub-")
    assert got["id"] == resource(heat, stack, stack_id, "sub")["physical_resource_id"]
    assert heat.stack(got["name"], got["id"])["stack_status"] == "CREATE_COMPLETE"


def test_a_nested_template_error_fails_the_resource_with_upstreams_message(
    heat: HeatClient,
) -> None:
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "sub": {
                "type": "OS::Heat::Stack",
                "properties": {
                    "template": yaml.safe_dump(
                        {
                            "heat_template_version": "2018-08-31",
                            "parameters": {"needed": {"type": "string"}},
                            "resources": {},
                        }
                    )
                },
            }
        },
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_FAILED")
    assert "resources.sub" in shown["stack_status_reason"]
    assert "needed" in shown["stack_status_reason"]
    assert not nested_stacks(heat, stack_id)


def group_template(count: int, removal: list[str] | None = None) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "group": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {
                    "count": count,
                    "removal_policies": [{"resource_list": removal or []}],
                    "resource_def": {
                        "type": "OS::Heat::Value",
                        "properties": {"value": "member-%index%"},
                    },
                },
            }
        },
        "outputs": {
            "values": {"value": {"get_attr": ["group", "value"]}},
            "second": {"value": {"get_attr": ["group", "resource.1", "value"]}},
            "refs": {"value": {"get_attr": ["group", "refs"]}},
            "removed": {"value": {"get_attr": ["group", "removed_rsrc_list"]}},
        },
    }


def test_resource_group_creates_resizes_and_removes_members_by_policy(heat: HeatClient) -> None:
    stack = new_name()
    stack_id = heat.create(stack, group_template(3))["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    got = outputs(shown)
    assert got["values"] == ["member-0", "member-1", "member-2"], shown["outputs"]
    assert got["second"] == "member-1"
    assert len(got["refs"]) == 3 and all(got["refs"])
    [nested] = nested_stacks(heat, stack_id)
    members = heat.get(f"/stacks/{nested['stack_name']}/{nested['id']}/resources").json()
    assert sorted(r["resource_name"] for r in members["resources"]) == ["0", "1", "2"]

    def update(body: dict[str, Any]) -> dict[str, Any]:
        response = heat.http.put(
            f"{heat.endpoint}/stacks/{stack}/{stack_id}", json=body, timeout=60
        )
        assert response.status_code == 202, response.text
        return heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")

    # Grow to 5, then shrink to 3 removing member "1" by name: its name is never reused.
    got = outputs(update({"template": group_template(5)}))
    assert got["values"] == [f"member-{i}" for i in range(5)]
    got = outputs(update({"template": group_template(3, removal=["1"])}))
    assert got["values"] == ["member-0", "member-2", "member-3"]
    assert got["removed"] == ["1"]
    members = heat.get(f"/stacks/{nested['stack_name']}/{nested['id']}/resources").json()
    assert sorted(r["resource_name"] for r in members["resources"]) == ["0", "2", "3"]


def test_resource_chain_creates_each_member_after_the_one_before(heat: HeatClient) -> None:
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "chain": {
                "type": "OS::Heat::ResourceChain",
                "properties": {
                    "resources": ["OS::Heat::RandomString", "OS::Heat::RandomString"],
                    "resource_properties": {"length": 7},
                },
            }
        },
        "outputs": {"values": {"value": {"get_attr": ["chain", "value"]}}},
    }
    stack = new_name()
    stack_id = heat.create(stack, template)["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    values = outputs(shown)["values"]
    assert [len(v) for v in values] == [7, 7]
    [nested] = nested_stacks(heat, stack_id)
    listed = heat.get(f"/stacks/{nested['stack_name']}/{nested['id']}/resources").json()
    required = {r["resource_name"]: r["required_by"] for r in listed["resources"]}
    assert required == {"0": ["1"], "1": []}


def test_a_group_of_a_thousand_scales_to_two_thousand_and_back(heat: HeatClient) -> None:
    def template(count: int) -> dict[str, Any]:
        return {
            "heat_template_version": "2018-08-31",
            "resources": {
                "group": {
                    "type": "OS::Heat::ResourceGroup",
                    "properties": {"count": count, "resource_def": {"type": "OS::Heat::None"}},
                }
            },
            "outputs": {"refs": {"value": {"get_attr": ["group", "refs"]}}},
        }

    stack = new_name()
    stack_id = heat.create(stack, template(1000))["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=300)
    assert len(outputs(shown)["refs"]) == 1000
    [nested] = nested_stacks(heat, stack_id)
    members = f"/stacks/{nested['stack_name']}/{nested['id']}/resources"

    for count in (2000, 1000):
        response = heat.http.put(
            f"{heat.endpoint}/stacks/{stack}/{stack_id}", json={"template": template(count)}
        )
        assert response.status_code == 202, response.text
        shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=300)
        assert len(outputs(shown)["refs"]) == count
        listed = heat.get(members).json()["resources"]
        assert sorted(int(r["resource_name"]) for r in listed) == list(range(count))


def test_preview_with_show_nested_lists_the_changes_inside_the_nested_stack(
    heat: HeatClient,
) -> None:
    stack = new_name()
    stack_id = heat.create(stack, parent_template(), environment=ENVIRONMENT, files=FILES)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    changed = parent_template()
    changed["resources"]["child"]["properties"]["greeting"] = "bonjour"
    body = {"template": changed, "environment": ENVIRONMENT, "files": FILES}
    url = f"{heat.endpoint}/stacks/{stack}/{stack_id}/preview"

    def names(query: str) -> dict[str, list[str]]:
        response = heat.http.put(url + query, json=body, timeout=30)
        assert response.status_code == 200, response.text
        changes = response.json()["resource_changes"]
        return {change: sorted(r["resource_name"] for r in v) for change, v in changes.items()}

    assert names("") == {
        "added": [],
        "updated": ["child"],
        "replaced": [],
        "unchanged": ["first"],
        "deleted": [],
    }
    # Inside: the greeting reaches `inner` (updated in place); `count` keeps its value.
    assert names("?show_nested=true") == {
        "added": [],
        "updated": ["child", "inner"],
        "replaced": [],
        "unchanged": ["count", "first"],
        "deleted": [],
    }
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_COMPLETE"


def test_resource_and_event_lists_with_nested_depth_through_the_cli(heat: HeatClient) -> None:
    openstack = str(Path(sys.executable).parent / "openstack")
    stack = new_name()
    stack_id = heat.create(stack, parent_template(), environment=ENVIRONMENT, files=FILES)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    cli = [openstack, "--os-auth-type", "none", "--os-endpoint", heat.endpoint]

    def run(*args: str) -> Any:
        done = subprocess.run(
            [*cli, *args, "-f", "json"], check=True, capture_output=True, text=True, timeout=120
        )
        return json.loads(done.stdout)

    flat = run("stack", "resource", "list", stack)
    assert sorted(r["resource_name"] for r in flat) == ["child", "first"]
    deep = run("stack", "resource", "list", "--nested-depth", "1", stack)
    assert sorted(r["resource_name"] for r in deep) == ["child", "count", "first", "inner"]
    [nested] = nested_stacks(heat, stack_id)
    assert {r["resource_name"]: r["stack_name"] for r in deep}["inner"] == nested["stack_name"]
    child = heat.get(f"/stacks/{stack}/{stack_id}/resources").json()["resources"]
    links = {r["resource_name"]: {link["rel"] for link in r["links"]} for r in child}
    assert links == {"child": {"self", "stack", "nested"}, "first": {"self", "stack"}}

    events = run("stack", "event", "list", "--nested-depth", "1", stack)
    assert {"inner", "count", "child", "first"} <= {e["resource_name"] for e in events}


ASG_TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "asg": {
            "type": "OS::Heat::AutoScalingGroup",
            "properties": {
                "min_size": 1,
                "max_size": 3,
                "resource": {"type": "OS::Heat::RandomString", "properties": {"length": 6}},
            },
        },
        "up": {
            "type": "OS::Heat::ScalingPolicy",
            "properties": {
                "auto_scaling_group_id": {"get_resource": "asg"},
                "adjustment_type": "change_in_capacity",
                "scaling_adjustment": 1,
            },
        },
        "down": {
            "type": "OS::Heat::ScalingPolicy",
            "properties": {
                "auto_scaling_group_id": {"get_resource": "asg"},
                "adjustment_type": "percent_change_in_capacity",
                "scaling_adjustment": -50,
            },
        },
    },
    "outputs": {
        "size": {"value": {"get_attr": ["asg", "current_size"]}},
        "values": {"value": {"get_attr": ["asg", "outputs_list", "value"]}},
        "up_url": {"value": {"get_attr": ["up", "signal_url"]}},
        "up_alarm": {"value": {"get_attr": ["up", "alarm_url"]}},
    },
}


def test_scaling_policies_resize_their_group_when_signalled(heat: HeatClient) -> None:
    stack = new_name()
    stack_id = heat.create(stack, ASG_TEMPLATE)["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    got = outputs(shown)
    assert got["size"] == 1 and len(got["values"]) == 1
    assert got["up_url"].endswith(f"/stacks/{stack}/{stack_id}/resources/up/signal")
    openstack = str(Path(sys.executable).parent / "openstack")
    cli = [openstack, "--os-auth-type", "none", "--os-endpoint", heat.endpoint]

    def size() -> int:
        return int(outputs(heat.stack(stack, stack_id))["size"])

    # Up twice (the CLI, then the URL itself), bounded by max_size on the third.
    subprocess.run([*cli, "stack", "resource", "signal", stack, "up"], check=True, timeout=120)
    wait_until(lambda: size() == 2, 60, "the group to grow to 2")
    assert heat.http.post(got["up_url"], timeout=30).status_code == 200
    wait_until(lambda: size() == 3, 60, "the group to grow to 3")
    # The alarm URL carries its own token, which the stack accepts (a wrong one it refuses).
    assert "?token=" in got["up_alarm"]
    assert heat.http.post(got["up_alarm"] + "x", timeout=30).status_code == 403
    assert heat.http.post(got["up_alarm"], timeout=30).status_code == 200
    down = heat.post(f"/stacks/{stack}/{stack_id}/resources/down/signal", {})
    assert down.status_code == 200
    # 3 at most; then -50% of 3 rounds to -1.
    wait_until(lambda: size() == 2, 60, "the group to shrink to 2")
    shown = heat.stack(stack, stack_id)
    assert shown["stack_status"] == "CREATE_COMPLETE"
    assert len(outputs(shown)["values"]) == 2
    [nested] = nested_stacks(heat, stack_id)
    members = heat.get(f"/stacks/{nested['stack_name']}/{nested['id']}/resources").json()
    assert len(members["resources"]) == 2


def test_a_hook_on_a_resource_inside_a_nested_stack_pauses_it_until_cleared(
    heat: HeatClient,
) -> None:
    environment = {
        "resource_registry": {
            "My::Greeter": "greeter.yaml",
            "resources": {"child": {"inner": {"hooks": "pre-create"}}},
        }
    }
    stack = new_name()
    stack_id = heat.create(stack, parent_template(), environment=environment, files=FILES)["id"]

    def paused_nested() -> dict[str, Any] | None:
        for nested in nested_stacks(heat, stack_id):
            path = f"/stacks/{nested['stack_name']}/{nested['id']}/events"
            reasons = [e["resource_status_reason"] for e in heat.get(path).json()["events"]]
            if "CREATE paused until Hook pre-create is cleared" in reasons:
                return nested
        return None

    nested = wait_until(paused_nested, 60, "the nested resource to reach its hook")
    assert heat.stack(stack, stack_id)["stack_status"] == "CREATE_IN_PROGRESS"
    cleared = heat.post(
        f"/stacks/{nested['stack_name']}/{nested['id']}/resources/inner/signal",
        {"unset_hook": "pre-create"},
    )
    assert cleared.status_code == 200, cleared.text
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    assert outputs(shown)["said"] == "hello-inner"


def test_the_cli_clears_a_hook_inside_a_nested_stack_by_its_path(heat: HeatClient) -> None:
    environment = {
        "resource_registry": {
            "My::Greeter": "greeter.yaml",
            "resources": {"child": {"inner": {"hooks": "pre-create"}}},
        }
    }
    stack = new_name()
    stack_id = heat.create(stack, parent_template(), environment=environment, files=FILES)["id"]
    openstack = str(Path(sys.executable).parent / "openstack")
    cli = [openstack, "--os-auth-type", "none", "--os-endpoint", heat.endpoint]

    def polled() -> list[dict[str, Any]]:
        done = subprocess.run(
            [*cli, "stack", "hook", "poll", "--nested-depth", "1", stack, "-f", "json"],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return list(json.loads(done.stdout))

    hooks = wait_until(polled, 60, "the CLI to see the nested hook")
    assert [h["Resource Name"] for h in hooks] == ["inner"]
    cleared = subprocess.run(
        [*cli, "stack", "hook", "clear", "--pre-create", stack, "child/inner"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cleared.returncode == 0, cleared.stderr
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
