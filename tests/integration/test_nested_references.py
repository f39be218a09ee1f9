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


GROUP_TEMPLATE = """
heat_template_version: 2013-05-23
resources:
  random_group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 0
      resource_def:
        type: My::RandomString
        properties:
          length: 30
          salt: initial
outputs:
  random1:
    value: {get_attr: [random_group, resource.0.value]}
"""
BAD_PROVIDER = """
heat_template_version: 2013-05-23
parameters:
  length:
    type: string
    default: 50
  salt:
    type: string
    default: initial
resources:
  random:
    type: OS::Heat::RandomString
    properties:
      length: BAD
"""
BAD_MEMBER = (
    "resources.random_group<nested_stack>.resources.0<provider.yaml>.resources.random: : "
    "Value 'BAD' is not an integer"
)


def test_a_group_of_count_zero_does_not_validate_its_member(heat: HeatClient) -> None:
    """Upstream's ResourceGroupTest.test_resource_group_zero_novalidate."""
    files = {"provider.yaml": BAD_PROVIDER}
    environment = {"resource_registry": {"My::RandomString": "provider.yaml"}}
    name, stack_id, _ = create(heat, GROUP_TEMPLATE, files=files, environment=environment)
    listed = heat.get(f"/stacks/{name}/{stack_id}/resources").json()["resources"]
    assert [(r["resource_name"], r["resource_type"]) for r in listed] == [
        ("random_group", "OS::Heat::ResourceGroup")
    ]
    nested_id = listed[0]["physical_resource_id"]
    nested = heat.get(f"/stacks/{nested_id}/resources", allow_redirects=True)
    assert nested.status_code == 200, nested.text
    assert nested.json()["resources"] == []

    # With members, the first one is validated (down into its provider template): the
    # update and a create are refused with upstream's message, and nothing changes.
    two = GROUP_TEMPLATE.replace("count: 0", "count: 2")
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{name}/{stack_id}",
        json={"template": two, "environment": environment, "files": files},
        timeout=60,
    )
    assert response.status_code == 400, response.text
    assert BAD_MEMBER in response.json()["error"]["message"]
    assert heat.stack(name, stack_id)["stack_status"] == "CREATE_COMPLETE"
    response = heat.post(
        "/stacks",
        {"stack_name": new_name(), "template": two, "environment": environment, "files": files},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "StackValidationFailed"
    assert BAD_MEMBER in response.json()["error"]["message"]


def test_create_preview_lists_what_nested_stacks_hold(heat: HeatClient) -> None:
    """Upstream's StackPreviewTest.test_nested_pass: a provider resource is the list of the
    resources of its stack, named `<stack>-<resource>`, each naming its parent resource."""
    main = {
        "heat_template_version": "2015-04-30",
        "parameters": {"incomming": {"type": "string"}},
        "resources": {
            "main": {"type": "nested.yaml", "properties": {"value": {"get_param": "incomming"}}}
        },
        "outputs": {"main_out": {"value": {"get_attr": ["main", "output"]}}},
    }
    nested = {
        "heat_template_version": "2015-04-30",
        "parameters": {"value": {"type": "string"}},
        "resources": {
            "nested": {
                "type": "OS::Heat::TestResource",
                "properties": {"value": {"get_param": "value"}},
            }
        },
        "outputs": {"output": {"value": {"get_attr": ["nested", "output"]}}},
    }
    name = new_name()
    response = heat.post(
        "/stacks/preview",
        {
            "stack_name": name,
            "template": main,
            "files": {"nested.yaml": yaml.safe_dump(nested)},
            "environment": {"parameters": {"incomming": "abc"}},
            "disable_rollback": True,
        },
    )
    assert response.status_code == 200, response.text
    resources = response.json()["stack"]["resources"]
    assert len(resources) == 1 and isinstance(resources[0], list)
    [inner] = resources[0]
    assert inner["resource_name"] == "nested"
    assert inner["parent_resource"] == "main"
    assert inner["stack_name"] == f"{name}-main"
    assert inner["resource_type"] == "OS::Heat::TestResource"
    assert (inner["resource_action"], inner["resource_status"]) == ("INIT", "COMPLETE")
    assert inner["stack_identity"]["stack_id"] == "None"
    assert inner["resource_identity"]["path"] == "/resources/nested"
    assert inner["properties"]["value"] == "abc"
    assert inner["properties"]["fail"] is False
    assert inner["required_by"] == []
    assert "output" in inner["attributes"]


def test_create_preview_of_a_group_of_provider_templates(heat: HeatClient) -> None:
    """Upstream's StackPreviewTest.test_res_group_with_nested_template: the group is the list
    of its members, a provider member the list of its resources; a get_resource passed down
    is the resource's name, as before anything is made."""
    main = {
        "heat_template_version": "2015-04-30",
        "resources": {
            "fixed_network": {"type": "OS::Heat::None"},
            "rg": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {
                    "count": 1,
                    "resource_def": {
                        "type": "nested.yaml",
                        "properties": {"fixed_network_id": {"get_resource": "fixed_network"}},
                    },
                },
            },
        },
    }
    nested = {
        "heat_template_version": "2015-04-30",
        "parameters": {"fixed_network_id": {"type": "string"}},
        "resources": {
            "port": {
                "type": "OS::Heat::Value",
                "properties": {"value": {"get_param": "fixed_network_id"}},
            }
        },
    }
    name = new_name()
    response = heat.post(
        "/stacks/preview",
        {"stack_name": name, "template": main, "files": {"nested.yaml": yaml.safe_dump(nested)}},
    )
    assert response.status_code == 200, response.text
    resources = response.json()["stack"]["resources"]
    assert resources[0]["resource_name"] == "fixed_network"
    # As upstream's own test reads it: result['resources'][1][0][0]['resource_name'].
    assert resources[1][0][0]["resource_name"] == "port"
    [member] = resources[1]
    [port] = member
    assert port["stack_name"] == f"{name}-rg-0"
    assert port["parent_resource"] == "0"
    assert port["properties"]["value"] == "fixed_network"


def test_any_attribute_name_of_a_provider_resource_passes_validation_and_fails_where_read(
    heat: HeatClient,
) -> None:
    """Upstream's TemplateResource: get_attr is not checked against the provider's outputs
    (the create is accepted); a name that is no output (OS::stack_id included, unless the
    nested template has that output) fails where it is read, as upstream's get_output."""
    nested: dict[str, Any] = {
        "heat_template_version": "2016-10-14",
        "resources": {"inner": {"type": "OS::Heat::RandomString"}},
        "outputs": {"out": {"value": {"get_attr": ["inner", "value"]}}},
    }
    template = {
        "heat_template_version": "2016-10-14",
        "resources": {"prov": {"type": "nested.yaml"}},
        "outputs": {
            "known": {"value": {"get_attr": ["prov", "out"]}},
            "unknown": {"value": {"get_attr": ["prov", "nosuch"]}},
            "stack_id": {"value": {"get_attr": ["prov", "OS::stack_id"]}},
            "inner": {"value": {"get_attr": ["prov", "resource.inner.value"]}},
        },
    }
    files = {"nested.yaml": yaml.safe_dump(nested)}
    _, _, shown = create(heat, template, files=files)
    by_key = {o["output_key"]: o for o in shown["outputs"]}
    assert len(by_key["known"]["output_value"]) == 32
    assert by_key["inner"]["output_value"] == by_key["known"]["output_value"]
    for key, attribute in (("unknown", "nosuch"), ("stack_id", "OS::stack_id")):
        assert by_key[key]["output_value"] is None
        assert by_key[key]["output_error"] == (
            f"The Referenced Attribute (prov {attribute}) is incorrect."
        )

    # With an OS::stack_id output, get_attr reads it as any other output.
    nested["outputs"]["OS::stack_id"] = {"value": "transparent"}
    files = {"nested.yaml": yaml.safe_dump(nested)}
    _, _, shown = create(heat, template, files=files)
    assert outputs(shown)["stack_id"] == "transparent"

    # A resource whose property reads a name that is no output fails, and the stack with it.
    reader = {
        "heat_template_version": "2016-10-14",
        "resources": {
            "prov": {"type": "nested.yaml"},
            "val": {
                "type": "OS::Heat::Value",
                "properties": {"value": {"get_attr": ["prov", "nosuch"]}},
            },
        },
    }
    name = new_name()
    stack_id = heat.create(name, reader, files=files)["id"]
    failed = heat.wait_status(name, stack_id, "CREATE_FAILED")
    assert "The Referenced Attribute (prov nosuch) is incorrect." in failed["stack_status_reason"]
