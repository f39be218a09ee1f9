"""References into nested stacks (`resource.<name>` attributes), the create preview of nested
stacks, and a group's member validation, as upstream's NestedAttributesTest, test_preview and
ResourceGroupTest.test_resource_group_zero_novalidate check them."""

from __future__ import annotations

import uuid
from typing import Any

import yaml

from tests.conftest import HeatClient

MAIN = {
    "heat_template_version": "2014-10-16",
    "resources": {"secret2": {"type": "My::NestedSecret"}},
    "outputs": {
        "old_way": {"value": {"get_attr": ["secret2", "nested_str"]}},
        "test_attr1": {"value": {"get_attr": ["secret2", "resource.secret1", "value"]}},
        "test_attr2": {"value": {"get_attr": ["secret2", "resource.secret1.value"]}},
        "test_inner_ref": {"value": {"get_attr": ["secret2", "resource.secret1"]}},
        "test_ref": {"value": {"get_resource": "secret2"}},
    },
}
NESTED = {
    "heat_template_version": "2014-10-16",
    "resources": {"secret1": {"type": "OS::Heat::RandomString"}},
    "outputs": {"nested_str": {"value": {"get_attr": ["secret1", "value"]}}},
}
ENVIRONMENT = {"resource_registry": {"My::NestedSecret": "nested.yaml"}}


def new_name() -> str:
    return f"r{uuid.uuid4().hex[:10]}"


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in stack["outputs"]}


def create(heat: HeatClient, template: Any, **fields: Any) -> tuple[str, str, dict[str, Any]]:
    name = new_name()
    stack_id = heat.create(name, template, **fields)["id"]
    return name, stack_id, heat.wait_status(name, stack_id, "CREATE_COMPLETE")


def test_resource_attributes_of_a_provider_templates_inner_resources(heat: HeatClient) -> None:
    files = {"nested.yaml": yaml.safe_dump(NESTED)}
    _, _, shown = create(heat, MAIN, environment=ENVIRONMENT, files=files)
    values = outputs(shown)
    assert isinstance(values["old_way"], str) and len(values["old_way"]) == 32
    # Upstream's NestedAttributesTest.test_nested_attributes: both spellings read the
    # inner resource's attribute.
    assert values["test_attr1"] == values["old_way"]
    assert values["test_attr2"] == values["old_way"]
    # `resource.<inner>` alone is the inner resource's reference (a RandomString's is its
    # value), and the provider resource's own reference is its stack's ARN (test_stack_ref).
    assert values["test_inner_ref"] == values["old_way"]
    assert "arn:openstack:heat:" in values["test_ref"]


def test_transparent_reference_through_os_stack_id(heat: HeatClient) -> None:
    nested = {
        **NESTED,
        "outputs": {
            "OS::stack_id": {"value": {"get_resource": "secret1"}},
            "nested_str": {"value": {"get_attr": ["secret1", "value"]}},
        },
    }
    _, _, shown = create(
        heat, MAIN, environment=ENVIRONMENT, files={"nested.yaml": yaml.safe_dump(nested)}
    )
    values = outputs(shown)
    assert "arn:openstack:heat" not in values["test_ref"]
    assert values["test_ref"] == values["old_way"] == values["test_attr1"]


def test_inner_attributes_follow_an_update_and_feed_other_resources(heat: HeatClient) -> None:
    nested = {
        "heat_template_version": "2014-10-16",
        "parameters": {"text": {"type": "string"}},
        "resources": {
            "inner": {"type": "OS::Heat::Value", "properties": {"value": {"get_param": "text"}}}
        },
    }
    template: dict[str, Any] = {
        "heat_template_version": "2014-10-16",
        "resources": {
            "wrapper": {"type": "My::Wrapper", "properties": {"text": "first"}},
            "reader": {
                "type": "OS::Heat::Value",
                "properties": {"value": {"get_attr": ["wrapper", "resource.inner", "value"]}},
            },
        },
        "outputs": {"read": {"value": {"get_attr": ["reader", "value"]}}},
    }
    environment = {"resource_registry": {"My::Wrapper": "wrapper.yaml"}}
    files = {"wrapper.yaml": yaml.safe_dump(nested)}
    name, stack_id, shown = create(heat, template, environment=environment, files=files)
    assert outputs(shown)["read"] == "first"

    template["resources"]["wrapper"]["properties"]["text"] = "second"
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{name}/{stack_id}",
        json={"template": template, "environment": environment, "files": files},
        timeout=60,
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(name, stack_id, "UPDATE_COMPLETE")
    assert outputs(shown)["read"] == "second"


def test_a_group_members_reference_and_attribute(heat: HeatClient) -> None:
    template = {
        "heat_template_version": "2014-10-16",
        "resources": {
            "group": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {"count": 2, "resource_def": {"type": "OS::Heat::RandomString"}},
            }
        },
        "outputs": {
            "ref1": {"value": {"get_attr": ["group", "resource.1"]}},
            "value1": {"value": {"get_attr": ["group", "resource.1", "value"]}},
            "value1_dotted": {"value": {"get_attr": ["group", "resource.1.value"]}},
            "refs_map": {"value": {"get_attr": ["group", "refs_map"]}},
        },
    }
    _, _, shown = create(heat, template)
    values = outputs(shown)
    # As upstream's get_nested_attrs: `resource.<n>` alone is the member's reference.
    assert values["ref1"] == values["refs_map"]["1"]
    assert values["value1"] == values["value1_dotted"]
    assert isinstance(values["value1"], str) and len(values["value1"]) == 32
