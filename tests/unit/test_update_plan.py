"""The pure update plan: how PUT and PATCH merge, and each resource's fate, by upstream's rules."""

from __future__ import annotations

from typing import Any

from workflows.types import ResourceState, StackState, UpdateArgs
from workflows.update_plan import classify, new_definition, plan

TEMPLATE: dict[str, Any] = {
    "heat_template_version": "2018-08-31",
    "parameters": {"v": {"type": "string", "default": "a"}},
    "resources": {
        "t": {"type": "OS::Heat::TestResource", "properties": {"value": {"get_param": "v"}}},
        "r": {"type": "OS::Heat::RandomString", "properties": {"length": 8}},
        "n": {"type": "OS::Heat::None", "properties": {"anything": {"get_param": "v"}}},
    },
}


def state(**resources: ResourceState) -> StackState:
    return StackState(
        stack_id="id",
        stack_name="s",
        project_id="p",
        template=TEMPLATE,
        environment={"parameters": {"v": "a"}, "parameter_defaults": {"w": 1}},
        parameters={"v": "a"},
        tags=["x"],
        resources=resources,
    )


def done(
    name: str,
    type_: str,
    properties: dict[str, Any],
    status: str = "COMPLETE",
    action: str = "CREATE",
) -> ResourceState:
    return ResourceState(
        name=name,
        type=type_,
        properties=properties,
        action=action,
        status=status,
        physical_id=f"{name}-id",
    )


def test_patch_keeps_template_merges_parameters_and_clears_what_it_is_told() -> None:
    current = state()
    patched = new_definition(current, UpdateArgs(existing=True, parameters={"v": "b"}))
    assert patched.template == TEMPLATE
    assert patched.parameters == {"v": "b"}
    assert patched.environment["parameters"] == {"v": "b"}
    assert patched.environment["parameter_defaults"] == {"w": 1}
    assert patched.tags == ["x"]
    cleared = new_definition(current, UpdateArgs(existing=True, clear_parameters=["v", "w"]))
    assert cleared.parameters == {}
    assert cleared.environment["parameters"] == {}
    assert cleared.environment["parameter_defaults"] == {}


def test_put_replaces_the_whole_definition() -> None:
    replaced = new_definition(state(), UpdateArgs(template={"heat_template_version": "2018-08-31"}))
    assert replaced.template == {"heat_template_version": "2018-08-31"}
    assert replaced.parameters == {}
    assert replaced.tags is None


def test_update_allowed_changes_update_in_place_others_replace() -> None:
    test = done("t", "OS::Heat::TestResource", {"value": "a"})
    assert classify(test, "OS::Heat::TestResource", {"value": "b"}, {}) == "updated"
    assert classify(test, "OS::Heat::TestResource", {"value": "a"}, {}) == "unchanged"
    assert classify(test, "OS::Heat::TestResource", {"value": "a"}, {"m": 1}) == "updated"
    assert (
        classify(test, "OS::Heat::TestResource", {"value": "a", "update_replace": True}, {})
        == "replaced"
    )
    rand = done("r", "OS::Heat::RandomString", {"length": 8})
    assert classify(rand, "OS::Heat::RandomString", {"length": 9}, {}) == "replaced"
    assert classify(rand, "OS::Heat::Value", {"length": 8}, {}) == "replaced"


def test_failed_or_unhealthy_resources_are_replaced_and_none_never_changes() -> None:
    failed = done("t", "OS::Heat::TestResource", {"value": "a"}, status="FAILED")
    assert classify(failed, "OS::Heat::TestResource", {"value": "a"}, {}) == "replaced"
    unhealthy = done("t", "OS::Heat::TestResource", {"value": "a"}, "FAILED", "CHECK")
    assert classify(unhealthy, "OS::Heat::TestResource", {"value": "a"}, {}) == "replaced"
    placeholder = done("n", "OS::Heat::None", {"anything": "a"})
    assert classify(placeholder, "OS::Heat::None", {"anything": "b"}, {}) == "unchanged"


def test_a_failed_nested_stack_is_updated_in_place_as_upstreams_stack_resource() -> None:
    def nested(type_: str, status: str = "FAILED", action: str = "CREATE") -> ResourceState:
        resource = done("n", type_, {}, status, action)
        resource.data = {"stack_name": "parent-n-abc"}
        return resource

    for type_ in ("nested.yaml", "OS::Heat::ResourceGroup", "OS::Heat::ResourceChain"):
        assert classify(nested(type_), type_, {}, {}) == "updated", type_
        assert classify(nested(type_, action="UPDATE"), type_, {}, {}) == "updated", type_
        # Histories from before failed-nested-stack-in-place-2026-12 replaced it.
        assert classify(nested(type_), type_, {}, {}, failed_nested_in_place=False) == "replaced"
    # Marked unhealthy (or a failed check), a nested stack's resource is still replaced ...
    assert classify(nested("nested.yaml", action="CHECK"), "nested.yaml", {}, {}) == "replaced"
    # ... and so is one whose nested stack was never made, or an OS::Heat::Stack (upstream's
    # RemoteStack is no StackResource).
    unmade = nested("nested.yaml")
    unmade.physical_id = ""
    assert classify(unmade, "nested.yaml", {}, {}) == "replaced"
    assert classify(nested("OS::Heat::Stack"), "OS::Heat::Stack", {}, {}) == "replaced"


def test_plan_sorts_every_resource_into_one_change() -> None:
    current = state(
        t=done("t", "OS::Heat::TestResource", {"value": "a"}),
        r=done("r", "OS::Heat::RandomString", {"length": 8}),
        gone=done("gone", "OS::Heat::None", {}),
    )
    template = {
        **TEMPLATE,
        "resources": {
            **TEMPLATE["resources"],
            "r": {"type": "OS::Heat::RandomString", "properties": {"length": 9}},
        },
    }
    definition = new_definition(current, UpdateArgs(template=template, parameters={"v": "b"}))
    assert plan(current, definition) == {
        "added": ["n"],
        "updated": ["t"],
        "replaced": ["r"],
        "unchanged": [],
        "deleted": ["gone"],
    }
