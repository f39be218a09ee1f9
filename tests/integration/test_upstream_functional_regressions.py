"""Behaviours upstream Heat's functional tests check that this service got wrong, through the API.

Each test names the upstream test (heat_integrationtests or heat_tempest_plugin) that found it;
tests/conformance/upstream_functional.py runs those against the service.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from tests.conftest import HeatClient, wait_until


def new_name() -> str:
    return f"uf{uuid.uuid4().hex[:10]}"


def one_test_resource(**properties: Any) -> dict[str, Any]:
    return {
        "heat_template_version": "2013-05-23",
        "resources": {
            "bar": {
                "type": "OS::Heat::TestResource",
                "properties": {"value": "1234", "update_replace": False, **properties},
            }
        },
    }


def created(heat: HeatClient, template: dict[str, Any], **fields: Any) -> tuple[str, str]:
    stack = new_name()
    stack_id = heat.create(stack, template, disable_rollback=True, **fields)["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE")
    return stack, stack_id


def update(heat: HeatClient, stack: str, stack_id: str, **body: Any) -> None:
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}",
        json={"disable_rollback": True, **body},
        timeout=60,
    )
    assert response.status_code == 202, response.text


def resource_events(heat: HeatClient, stack: str, stack_id: str, name: str) -> list[Any]:
    response = heat.get(f"/stacks/{stack}/{stack_id}/resources/{name}/events?sort_dir=asc")
    return [(e["resource_status"], e["resource_status_reason"]) for e in response.json()["events"]]


def resource(heat: HeatClient, stack: str, stack_id: str, name: str) -> dict[str, Any]:
    return dict(heat.get(f"/stacks/{stack}/{stack_id}/resources/{name}").json()["resource"])


def test_restricted_actions_fail_the_update_and_leave_the_resource(heat: HeatClient) -> None:
    """test_update_restricted: `restricted_actions` in the registry's per-resource entries."""
    both = {
        "resource_registry": {"resources": {"bar": {"restricted_actions": ["update", "replace"]}}}
    }
    replace_only = {"resource_registry": {"resources": {"*ar": {"restricted_actions": "replace"}}}}
    stack, stack_id = created(heat, one_test_resource())

    update(heat, stack, stack_id, template=one_test_resource(value="4567"), environment=both)
    failed = heat.wait_status(stack, stack_id, "UPDATE_FAILED")
    assert failed["stack_status_reason"] == (
        "Resource UPDATE failed: ResourceActionRestricted: update is restricted for resource."
    )
    assert resource(heat, stack, stack_id, "bar")["resource_status"] == "CREATE_COMPLETE"
    assert ("UPDATE_FAILED", "update is restricted for resource.") in resource_events(
        heat, stack, stack_id, "bar"
    )

    # An in-place update is allowed when only replace is restricted; a replacement is not.
    update(
        heat, stack, stack_id, template=one_test_resource(value="4567"), environment=replace_only
    )
    heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    assert resource(heat, stack, stack_id, "bar")["resource_status"] == "UPDATE_COMPLETE"
    update(
        heat,
        stack,
        stack_id,
        template=one_test_resource(value="89", update_replace=True),
        environment=replace_only,
    )
    heat.wait_status(stack, stack_id, "UPDATE_FAILED")
    assert ("UPDATE_FAILED", "replace is restricted for resource.") in resource_events(
        heat, stack, stack_id, "bar"
    )
    assert resource(heat, stack, stack_id, "bar")["resource_status"] == "UPDATE_COMPLETE"


def test_a_test_resource_set_to_fail_fails_an_update_that_keeps_its_value(
    heat: HeatClient,
) -> None:
    """test_create_update's test_stack_update_with_new_env: only `fail` changes, the update
    fails (upstream's check_update_complete raises for any update while fail is set)."""
    stack, stack_id = created(heat, one_test_resource())
    update(heat, stack, stack_id, template=one_test_resource(fail=True))
    failed = heat.wait_status(stack, stack_id, "UPDATE_FAILED")
    assert failed["stack_status_reason"] == (
        "Resource UPDATE failed: ValueError: resources.bar: Test Resource failed bar"
    )


def paused_times(
    heat: HeatClient, stack: str, stack_id: str, event: Any, times: int
) -> Callable[[], bool]:
    def reached() -> bool:
        return resource_events(heat, stack, stack_id, "step2").count(event) == times

    return reached


def test_a_pre_update_hook_pauses_unchanged_and_replaced_resources(heat: HeatClient) -> None:
    """test_hooks' test_hook_pre_update_nochange and _replace: the hook is hit before the
    engine decides whether the resource changes."""
    template: dict[str, Any] = {
        "heat_template_version": "2014-10-16",
        "resources": {
            "step1": {"type": "OS::Heat::RandomString"},
            "step2": {"type": "OS::Heat::RandomString", "depends_on": "step1"},
        },
    }
    environment = {"resource_registry": {"resources": {"step2": {"hooks": "pre-update"}}}}
    stack, stack_id = created(heat, template, environment=environment)
    before = resource(heat, stack, stack_id, "step2")["physical_resource_id"]
    paused = ("CREATE_COMPLETE", "UPDATE paused until Hook pre-update is cleared")
    cleared = ("CREATE_COMPLETE", "Hook pre-update is cleared")

    for round_, properties in enumerate(({}, {"length": 10}), start=1):
        template["resources"]["step2"]["properties"] = properties
        update(heat, stack, stack_id, template=template, environment=environment)
        wait_until(paused_times(heat, stack, stack_id, paused, round_), 30, "the hook")
        assert heat.stack(stack, stack_id)["stack_status"] == "UPDATE_IN_PROGRESS"
        signal = heat.post(
            f"/stacks/{stack}/{stack_id}/resources/step2/signal", {"unset_hook": "pre-update"}
        )
        assert signal.status_code == 200, signal.text
        heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
        assert resource_events(heat, stack, stack_id, "step2").count(cleared) == round_
    # Unchanged the first time, replaced the second.
    assert resource(heat, stack, stack_id, "step2")["physical_resource_id"] != before


def test_parameter_defaults_give_a_provider_templates_parameter_its_default(
    heat: HeatClient,
) -> None:
    """test_default_parameters (no_temp_default): the nested template's parameter has no
    default; the environment's parameter_defaults supply it, so the property is not required."""
    template = {
        "heat_template_version": "2013-05-23",
        "resources": {"random1": {"type": "nested_random.yaml"}},
        "outputs": {"random1": {"value": {"get_attr": ["random1", "random1_value"]}}},
    }
    nested = (
        "heat_template_version: 2013-05-23\n"
        "parameters:\n  length:\n    type: string\n"
        "resources:\n  random1:\n    type: OS::Heat::RandomString\n"
        "    properties:\n      length: {get_param: length}\n"
        "outputs:\n  random1_value:\n    value: {get_resource: random1}\n"
    )
    stack, stack_id = created(
        heat,
        template,
        files={"nested_random.yaml": nested},
        environment={"parameter_defaults": {"length": 12}},
    )
    shown = heat.stack(stack, stack_id)
    assert len(shown["outputs"][0]["output_value"]) == 12


def test_a_patch_drops_kept_parameters_the_new_template_no_longer_declares(
    heat: HeatClient,
) -> None:
    """test_template_resource's TemplateResourceRemovedParamTest: PATCH with a template that
    dropped a parameter the stack was created with."""
    template: dict[str, Any] = {
        "heat_template_version": "2013-05-23",
        "parameters": {"value1": {"type": "string", "default": "foo"}},
        "resources": {
            "test": {"type": "OS::Heat::TestResource", "properties": {"value": "x"}},
        },
    }
    stack, stack_id = created(heat, template, environment={"parameters": {"value1": "spam"}})
    del template["parameters"]
    response = heat.http.patch(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}", json={"template": template}, timeout=60
    )
    assert response.status_code == 202, response.text
    heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    environment = heat.get(f"/stacks/{stack}/{stack_id}/environment").json()
    assert "value1" not in environment["parameters"]


NESTED_FILES = {
    "nested1.yaml": "heat_template_version: 2016-04-08\n"
    "resources:\n  nested2:\n    type: nested2.yaml\n",
    "nested2.yaml": "heat_template_version: 2016-04-08\n"
    "resources:\n  random:\n    type: OS::Heat::RandomString\n",
}


def test_preview_show_nested_names_the_parent_resource_all_the_way_down(
    heat: HeatClient,
) -> None:
    """test_preview_update's UpdatePreviewStackTestNested: each change inside a nested stack
    carries `parent_resource`, and a replaced nested stack lists everything it holds, however
    deep, as deleted."""
    parent = {
        "heat_template_version": "2016-04-08",
        "resources": {"nested1": {"type": "nested1.yaml"}},
    }
    stack, stack_id = created(heat, parent, files=NESTED_FILES)
    url = f"{heat.endpoint}/stacks/{stack}/{stack_id}/preview?show_nested=true"

    def changes(template: dict[str, Any]) -> dict[str, list[tuple[str, str | None]]]:
        response = heat.http.put(url, json={"template": template, "files": NESTED_FILES})
        assert response.status_code == 200, response.text
        return {
            change: sorted((r["resource_name"], r.get("parent_resource")) for r in listed)
            for change, listed in response.json()["resource_changes"].items()
        }

    same = changes(parent)
    assert same["unchanged"] == [("random", "nested2")]
    assert same["updated"] == [("nested1", None), ("nested2", "nested1")]
    replaced = changes({**parent, "resources": {"nested1": {"type": "OS::Heat::None"}}})
    assert replaced["replaced"] == [("nested1", None)]
    assert replaced["deleted"] == [("nested2", "nested1"), ("random", "nested2")]


def test_a_new_alias_of_the_same_provider_template_updates_in_place(heat: HeatClient) -> None:
    """test_create_update's test_stack_update_provider_type: My::TestResource and
    My::TestResource2 map to one provider template; changing the type keeps the nested stack
    and shows the new type."""
    provider = (
        "heat_template_version: 2013-05-23\n"
        "resources:\n  test1:\n    type: OS::Heat::TestResource\n"
        "    properties:\n      value: test_provider_template\n"
    )
    files = {"provider.template": provider}
    environment = {
        "resource_registry": {
            "My::TestResource": "provider.template",
            "My::TestResource2": "provider.template",
        }
    }
    template: dict[str, Any] = {
        "heat_template_version": "2013-05-23",
        "resources": {"test1": {"type": "My::TestResource"}},
    }
    stack, stack_id = created(heat, template, files=files, environment=environment)
    nested_before = resource(heat, stack, stack_id, "test1")["physical_resource_id"]
    template["resources"]["test1"]["type"] = "My::TestResource2"
    update(heat, stack, stack_id, template=template, files=files, environment=environment)
    heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    after = resource(heat, stack, stack_id, "test1")
    assert after["resource_type"] == "My::TestResource2"
    assert after["physical_resource_id"] == nested_before


def test_abandon_carries_the_nested_stacks_data_which_can_be_adopted(heat: HeatClient) -> None:
    """test_abandon_adopt's NestedStackAdoptTest and TemplateResourceAdoptTest.test_abandon: a
    nested stack's resource in the abandon data is that stack's own abandon data."""
    nested = (
        "heat_template_version: 2014-10-16\n"
        "resources:\n  inner:\n    type: OS::Heat::TestResource\n"
        "    properties:\n      value: nested_value\n"
        "outputs:\n  out:\n    value: {get_attr: [inner, output]}\n"
    )
    parent = {
        "heat_template_version": "2014-10-16",
        "resources": {"nested": {"type": "nested.yaml"}},
    }
    stack, stack_id = created(heat, parent, files={"nested.yaml": nested})
    exported = heat.get(f"/stacks/{stack}/{stack_id}/export").json()
    response = heat.delete(f"/stacks/{stack}/{stack_id}/abandon")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["resources"]["nested"] == exported["resources"]["nested"]
    nested_data = data["resources"]["nested"]
    assert nested_data["template"]["resources"]["inner"]["properties"]["value"] == "nested_value"
    inner_id = nested_data["resources"]["inner"]["resource_id"]

    adopted_name = new_name()
    adopt = {
        "template": nested_data["template"],
        "resources": nested_data["resources"],
        "environment": {"parameters": {}},
    }
    adopted_id = heat.create(adopted_name, nested_data["template"], adopt_stack_data=adopt)["id"]
    shown = heat.wait_status(adopted_name, adopted_id, "ADOPT_COMPLETE")
    assert shown["outputs"][0]["output_value"] == "nested_value"
    assert resource(heat, adopted_name, adopted_id, "inner")["physical_resource_id"] == inner_id


def test_a_type_mapped_to_a_template_means_the_plugin_inside_that_template(
    heat: HeatClient,
) -> None:
    """test_template_resource's test_no_infinite_recursion: `OS::Heat::RandomString:
    nested.yaml`, and nested.yaml itself uses a RandomString."""
    template = {
        "heat_template_version": "2013-05-23",
        "resources": {"secret1": {"type": "OS::Heat::RandomString"}},
        "outputs": {"out": {"value": {"get_attr": ["secret1", "value"]}}},
    }
    nested = (
        "heat_template_version: 2013-05-23\n"
        "resources:\n  secret2:\n    type: OS::Heat::RandomString\n"
        "outputs:\n  value:\n    value: {get_attr: [secret2, value]}\n"
    )
    environment = {"resource_registry": {"OS::Heat::RandomString": "nested.yaml"}}
    stack, stack_id = created(
        heat, template, files={"nested.yaml": nested}, environment=environment
    )
    secret1 = resource(heat, stack, stack_id, "secret1")
    assert any(link["rel"] == "nested" for link in secret1["links"])
    assert len(heat.stack(stack, stack_id)["outputs"][0]["output_value"]) == 32


FACADE_TEMPLATE = {
    "heat_template_version": "2015-10-15",
    "resources": {"thisone": {"type": "OS::Thingy", "properties": {"one": "pre", "two": "post"}}},
    "outputs": {"one": {"value": {"get_attr": ["thisone", "here-it-is"]}}},
}
FACADE_ENVIRONMENT = {
    "resource_registry": {
        "OS::Thingy": "facade.yaml",
        "resources": {"thisone": {"OS::Thingy": "concrete.yaml"}},
    }
}
FACADE = (
    "heat_template_version: 2015-04-30\n"
    "parameters:\n  one:\n    type: string\n  two:\n    type: string\n"
    "outputs:\n  here-it-is:\n    value: noop\n"
)


def test_a_provider_behind_a_facade_must_offer_what_the_facade_offers(heat: HeatClient) -> None:
    """test_template_resource's ValidateFacadeTest: a per-resource provider template checked
    against the type's global one."""
    missing_param = (
        "heat_template_version: 2015-04-30\n"
        "parameters:\n  one:\n    type: string\n"
        "outputs:\n  here-it-is:\n    value: x\n"
    )
    missing_output = (
        "heat_template_version: 2015-04-30\n"
        "parameters:\n  one:\n    type: string\n  two:\n    type: string\n"
        "outputs:\n  nothing-here:\n    value: x\n"
    )
    without_two = {
        **FACADE_TEMPLATE,
        "resources": {"thisone": {"type": "OS::Thingy", "properties": {"one": "pre"}}},
    }
    for template, concrete, message in (
        (
            without_two,
            missing_param,
            "Required property two for facade OS::Thingy missing in provider",
        ),
        (
            FACADE_TEMPLATE,
            missing_output,
            "Attribute here-it-is for facade OS::Thingy missing in provider",
        ),
    ):
        response = heat.post(
            "/stacks",
            {
                "stack_name": new_name(),
                "template": template,
                "environment": FACADE_ENVIRONMENT,
                "files": {"facade.yaml": FACADE, "concrete.yaml": concrete},
            },
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"]["message"] == message


def test_validate_registers_a_template_type_and_shows_nested_values(heat: HeatClient) -> None:
    """test_template_validate's nested tests: a type that is a template file shows in the
    answer's registry; with show_nested the values the resource passes show as Value."""
    parent = {
        "heat_template_version": "2014-10-16",
        "description": "the parent template",
        "parameters": {"pparam": {"type": "number", "default": 5}},
        "resources": {
            "nres": {"type": "mynested.yaml", "properties": {"aparam": {"get_param": "pparam"}}}
        },
    }
    nested = (
        "heat_template_version: 2014-10-16\n"
        "description: the stack description\n"
        "parameters:\n  aparam:\n    type: number\n    default: 10\n"
        "resources:\n  myres:\n    type: OS::Heat::RandomString\n"
    )
    body = {"template": parent, "files": {"mynested.yaml": nested}}
    plain = heat.post("/validate", body).json()
    assert plain["Environment"]["resource_registry"] == {
        "mynested.yaml": "mynested.yaml",
        "resources": {},
    }
    shown = heat.post("/validate?show_nested=true", body).json()
    assert shown["NestedParameters"]["nres"] == {
        "Description": "the stack description",
        "Parameters": {
            "aparam": {
                "Default": 10,
                "Description": "",
                "Label": "aparam",
                "NoEcho": "false",
                "Type": "Number",
                "Value": 5,
            }
        },
        "Type": "mynested.yaml",
    }


def test_resource_facade_metadata_reaches_the_nested_stack(heat: HeatClient) -> None:
    """test_template_resource's TemplateResourceFacadeTest.test_metadata."""
    template = {
        "heat_template_version": "2013-05-23",
        "resources": {"the_nested": {"type": "the.yaml", "metadata": {"foo": "bar"}}},
        "outputs": {"value": {"value": {"get_attr": ["the_nested", "output"]}}},
    }
    nested = (
        "heat_template_version: 2013-05-23\n"
        "resources:\n  test:\n    type: OS::Heat::TestResource\n    properties:\n"
        '      value: {"Fn::Select": [foo, {resource_facade: metadata}]}\n'
        "outputs:\n  output:\n    value: {get_attr: [test, output]}\n"
    )
    stack, stack_id = created(heat, template, files={"the.yaml": nested})
    assert heat.stack(stack, stack_id)["outputs"][0]["output_value"] == "bar"


def test_check_fails_a_test_resource_that_was_never_created(heat: HeatClient) -> None:
    """test_template_resource's TemplateResourceCheckTest.test_check_fail: a check goes on
    past the failed resource's siblings and ends CHECK_FAILED; its dependents stay INIT."""
    template = {
        "heat_template_version": "2013-05-23",
        "resources": {
            "good": {"type": "OS::Heat::TestResource"},
            "failed": {
                "type": "OS::Heat::TestResource",
                "properties": {"fail": True, "action_wait_secs": {"create": 1}},
            },
            "after": {"type": "OS::Heat::TestResource", "depends_on": "failed"},
        },
    }
    stack = new_name()
    stack_id = heat.create(stack, template, disable_rollback=True)["id"]
    heat.wait_status(stack, stack_id, "CREATE_FAILED")
    assert heat.post(f"/stacks/{stack}/{stack_id}/actions", {"check": None}).status_code == 200
    heat.wait_status(stack, stack_id, "CHECK_FAILED")
    assert resource(heat, stack, stack_id, "good")["resource_status"] == "CHECK_COMPLETE"
    failed = resource(heat, stack, stack_id, "failed")
    assert failed["resource_status"] == "CHECK_FAILED"
    assert failed["resource_status_reason"].endswith("Resource not created")
    assert resource(heat, stack, stack_id, "after")["resource_status"] == "INIT_COMPLETE"


def test_a_resource_inside_a_nested_stack_names_its_parent_resource(heat: HeatClient) -> None:
    """test_template_resource's test_nested_env: resource show inside a nested stack carries
    `parent_resource`."""
    template = {
        "heat_template_version": "2013-05-23",
        "resources": {"secret1": {"type": "nested.yaml"}},
    }
    nested = (
        "heat_template_version: 2013-05-23\n"
        "resources:\n  secret2:\n    type: OS::Heat::RandomString\n"
    )
    stack, stack_id = created(heat, template, files={"nested.yaml": nested})
    link = next(
        link["href"]
        for link in resource(heat, stack, stack_id, "secret1")["links"]
        if link["rel"] == "nested"
    )
    nested_path = link.split("/stacks", 1)[1]
    shown = heat.get(f"/stacks{nested_path}/resources/secret2").json()["resource"]
    assert shown["parent_resource"] == "secret1"
    top = resource(heat, stack, stack_id, "secret1")
    assert "parent_resource" not in top


def test_a_nested_output_error_reaches_the_parents_get_attr(heat: HeatClient) -> None:
    """test_stack_outputs' test_output_error_nested."""
    template = {
        "heat_template_version": "2015-10-15",
        "resources": {"parent": {"type": "1.yaml"}},
        "outputs": {
            "a": {"value": {"get_attr": ["parent", "resource_output_a"]}},
            "b": {"value": {"get_attr": ["parent", "resource_output_b"]}},
        },
    }
    nested = (
        "heat_template_version: 2015-10-15\n"
        "resources:\n  test_resource_a:\n    type: OS::Heat::TestResource\n"
        "    properties:\n      value: a\n"
        "outputs:\n  resource_output_a:\n    value: {get_attr: [test_resource_a, output]}\n"
        "  resource_output_b:\n    value: {get_param: foo}\n"
    )
    stack, stack_id = created(heat, template, files={"1.yaml": nested})
    outputs = {o["output_key"]: o for o in heat.stack(stack, stack_id)["outputs"]}
    assert outputs["a"]["output_value"] == "a"
    assert outputs["b"]["output_value"] is None
    assert outputs["b"]["output_error"] == (
        "Error in parent output resource_output_b: The Parameter (foo) was not provided."
    )


def test_a_groups_member_attribute_by_a_dotted_name(heat: HeatClient) -> None:
    """test_resource_group's test_create and test_heat_autoscaling's test_path_attrs:
    `get_attr: [group, resource.0.value]`."""
    template = {
        "heat_template_version": "2013-05-23",
        "resources": {
            "random_group": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {
                    "count": 2,
                    "resource_def": {
                        "type": "OS::Heat::RandomString",
                        "properties": {"length": 30},
                    },
                },
            }
        },
        "outputs": {
            "random1": {"value": {"get_attr": ["random_group", "resource.0.value"]}},
            "all_values": {"value": {"get_attr": ["random_group", "value"]}},
        },
    }
    stack, stack_id = created(heat, template)
    outputs = {o["output_key"]: o["output_value"] for o in heat.stack(stack, stack_id)["outputs"]}
    assert len(outputs["random1"]) == 30
    assert outputs["random1"] == outputs["all_values"][0]


def test_a_failed_nested_stack_is_updated_in_place(heat: HeatClient) -> None:
    """TemplateResourceUpdateFailedTest.test_update_on_failed_create and upstream's
    StackResource._needs_update: an update of a parent whose nested stack failed updates that
    nested stack (same id) rather than replacing it; inside it, the failed resource is
    replaced and the others are left as they are."""
    nested = {
        "heat_template_version": "2016-10-14",
        "parameters": {"fail": {"type": "boolean", "default": False}},
        "resources": {
            "ok": {"type": "OS::Heat::RandomString"},
            "tr": {
                "type": "OS::Heat::TestResource",
                "properties": {"fail": {"get_param": "fail"}, "value": "v"},
            },
        },
        "outputs": {"out": {"value": {"get_attr": ["tr", "output"]}}},
    }

    def parent(fail: bool) -> dict[str, Any]:
        return {
            "heat_template_version": "2016-10-14",
            "resources": {
                "the_nested": {"type": "the.yaml", "properties": {"fail": fail}},
                "group": {
                    "type": "OS::Heat::ResourceGroup",
                    "properties": {
                        "count": 2,
                        "resource_def": {
                            "type": "OS::Heat::TestResource",
                            "properties": {"fail": fail, "value": "m"},
                        },
                    },
                },
            },
            "outputs": {"out": {"value": {"get_attr": ["the_nested", "out"]}}},
        }

    files = {"the.yaml": json.dumps(nested)}
    stack = new_name()
    stack_id = heat.create(stack, parent(True), files=files, disable_rollback=True)["id"]
    heat.wait_status(stack, stack_id, "CREATE_FAILED")

    def listed() -> dict[tuple[str | None, str], dict[str, Any]]:
        rows = heat.get(f"/stacks/{stack}/{stack_id}/resources?nested_depth=1").json()
        return {(r.get("parent_resource"), r["resource_name"]): r for r in rows["resources"]}

    before = listed()
    assert before[(None, "the_nested")]["resource_status"] == "CREATE_FAILED"
    assert before[(None, "group")]["resource_status"] == "CREATE_FAILED"
    update(heat, stack, stack_id, template=parent(False), files=files)
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE")
    assert shown["outputs"][0]["output_value"] == "v"
    after = listed()
    for name in ("the_nested", "group"):
        assert after[(None, name)]["resource_status"] == "UPDATE_COMPLETE"
        # The same nested stack, updated: not a replacement.
        assert (
            after[(None, name)]["physical_resource_id"]
            == before[(None, name)]["physical_resource_id"]
        )
        events = resource_events(heat, stack, stack_id, name)
        assert ("UPDATE_COMPLETE", "state changed") in events
        assert not [e for e in events if e[0].startswith("DELETE")], events
    # Inside, the resource that had not failed is untouched; the failed one was replaced.
    assert after[("the_nested", "ok")] == before[("the_nested", "ok")]
    assert after[("the_nested", "tr")]["resource_status"] == "CREATE_COMPLETE"
    replaced_tr = after[("the_nested", "tr")]["physical_resource_id"]
    assert replaced_tr != before[("the_nested", "tr")]["physical_resource_id"]
    assert {after[("group", m)]["resource_status"] for m in ("0", "1")} == {"CREATE_COMPLETE"}
