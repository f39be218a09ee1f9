"""Adopting a stack whose resources include nested stacks, as upstream's ResourceGroupAdoptTest
and TemplateResourceAdoptTest (heat_integrationtests/functional) do it: the abandon data of a
nested stack's resource is that stack's own data, and the adopt makes the nested stack anew by
adopting its resources, never creating them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import HeatClient, Service
from tests.integration.test_openstack_cli import openstack

NESTED: dict[str, Any] = {
    "heat_template_version": "2016-10-14",
    "parameters": {"one": {"type": "string", "default": "foo"}},
    "resources": {
        "RealRandom": {
            "type": "OS::Heat::RandomString",
            "properties": {"salt": {"get_param": "one"}},
        },
        "tr": {"type": "OS::Heat::TestResource", "properties": {"value": {"get_param": "one"}}},
    },
    "outputs": {
        "the_str": {"value": {"get_attr": ["RealRandom", "value"]}},
        "tr_out": {"value": {"get_attr": ["tr", "output"]}},
    },
}
INLINE = {
    "heat_template_version": "2016-10-14",
    "resources": {"inner": {"type": "OS::Heat::TestResource", "properties": {"value": "inline"}}},
    "outputs": {"out": {"value": {"get_attr": ["inner", "output"]}}},
}
PARENT = {
    "heat_template_version": "2016-10-14",
    "resources": {
        "the_nested": {"type": "the.yaml", "properties": {"one": "my_name"}},
        "group": {
            "type": "OS::Heat::ResourceGroup",
            "properties": {
                "count": 2,
                "resource_def": {
                    "type": "OS::Heat::TestResource",
                    "properties": {"value": "member %index%"},
                },
            },
        },
        "stack": {"type": "OS::Heat::Stack", "properties": {"template": yaml.safe_dump(INLINE)}},
        "chain": {
            "type": "OS::Heat::ResourceChain",
            "properties": {"resources": ["OS::Heat::RandomString", "OS::Heat::TestResource"]},
        },
    },
    "outputs": {
        "value": {"value": {"get_attr": ["the_nested", "the_str"]}},
        "tr": {"value": {"get_attr": ["the_nested", "tr_out"]}},
        "members": {"value": {"get_attr": ["group", "output"]}},
        "refs": {"value": {"get_attr": ["group", "refs"]}},
        "inline": {"value": {"get_attr": ["stack", "outputs", "out"]}},
        "chained": {"value": {"get_attr": ["chain", "resource.0", "value"]}},
    },
}
# What each nested stack holds, by the parent's resource that made it.
INNER = {
    "the_nested": {"RealRandom", "tr"},
    "group": {"0", "1"},
    "stack": {"inner"},
    "chain": {"0", "1"},
}


def nested_ids(heat: HeatClient, name: str, stack_id: str) -> dict[tuple[str, str], str]:
    """(parent resource, inner resource) -> the inner resource's physical id."""
    listed = heat.get(f"/stacks/{name}/{stack_id}/resources?nested_depth=1").json()["resources"]
    return {
        (r["parent_resource"], r["resource_name"]): r["physical_resource_id"]
        for r in listed
        if r.get("parent_resource")
    }


def outputs(heat: HeatClient, name: str, stack_id: str) -> dict[str, Any]:
    shown = heat.stack(name, stack_id)
    return {o["output_key"]: o["output_value"] for o in shown["outputs"]}


def test_abandon_then_adopt_keeps_every_nested_resource_through_the_cli(
    service: Service, heat: HeatClient, tmp_path: Path
) -> None:
    """ResourceGroupAdoptTest / TemplateResourceAdoptTest: create, `stack abandon`, `stack
    adopt` the data; the outputs and the nested resources' ids are the same, and nothing
    inside a nested stack was created again."""
    project = heat.endpoint.rsplit("/", 1)[1]
    name = f"ad{uuid.uuid4().hex[:8]}"
    template = tmp_path / "parent.yaml"
    template.write_text(yaml.safe_dump(PARENT))
    (tmp_path / "the.yaml").write_text(yaml.safe_dump(NESTED))
    created = openstack(service, project, "stack", "create", "-t", str(template), "--wait", name)
    assert "CREATE_COMPLETE" in created, created
    stack_id = (
        heat.get(f"/stacks/{name}", allow_redirects=False).headers["Location"].rsplit("/")[-1]
    )
    before = outputs(heat, name, stack_id)
    assert before["tr"] == "my_name"
    assert before["members"] == ["member 0", "member 1"]
    assert before["inline"] == "inline"
    assert isinstance(before["chained"], str) and len(before["chained"]) == 32
    inner_before = nested_ids(heat, name, stack_id)
    assert {key[0] for key in inner_before} == set(INNER)

    abandoned = tmp_path / "abandon.json"
    openstack(service, project, "stack", "abandon", "--output-file", str(abandoned), name)
    data = json.loads(abandoned.read_text())
    assert set(data["resources"]["group"]["resources"]) == INNER["group"]
    adopted = openstack(
        service, project, "stack", "adopt", "--adopt-file", str(abandoned), "--wait", name
    )
    assert "ADOPT_COMPLETE" in adopted, adopted
    new_id = heat.get(f"/stacks/{name}", allow_redirects=False).headers["Location"].rsplit("/")[-1]
    assert new_id != stack_id

    assert outputs(heat, name, new_id) == before
    assert nested_ids(heat, name, new_id) == inner_before
    events = heat.get(f"/stacks/{name}/{new_id}/events?nested_depth=2").json()["events"]
    statuses = {e["resource_status"] for e in events}
    assert statuses <= {"ADOPT_IN_PROGRESS", "ADOPT_COMPLETE"}, statuses
    inner_events = {e["resource_name"] for e in events}
    for parent_resource, inner in INNER.items():
        assert inner <= inner_events, parent_resource
        nested = heat.get(f"/stacks/{name}/{new_id}/resources/{parent_resource}").json()
        assert nested["resource"]["resource_status"] == "ADOPT_COMPLETE"


def test_adopt_data_written_by_hand_gives_the_nested_resources_their_ids(
    heat: HeatClient,
) -> None:
    """TemplateResourceAdoptTest.test_adopt's data: the provider resource's entry has only its
    type and its nested stack's resources."""
    main = {
        "heat_template_version": "2016-10-14",
        "resources": {"the_nested": {"type": "the.yaml", "properties": {"one": "my_name"}}},
        "outputs": {"value": {"value": {"get_attr": ["the_nested", "the_str"]}}},
    }
    nested = {**NESTED, "resources": {"RealRandom": NESTED["resources"]["RealRandom"]}}
    nested = {**nested, "outputs": {"the_str": NESTED["outputs"]["the_str"]}}
    data = {
        "resources": {
            "the_nested": {
                "type": "the.yaml",
                "resources": {
                    "RealRandom": {
                        "type": "OS::Heat::RandomString",
                        "resource_data": {"value": "goopie"},
                        "resource_id": "froggy",
                    }
                },
            }
        },
        "environment": {"parameters": {}},
        "template": main,
    }
    name = f"ad{uuid.uuid4().hex[:8]}"
    response = heat.post(
        "/stacks",
        {
            "stack_name": name,
            "template": main,
            "files": {"the.yaml": yaml.safe_dump(nested)},
            "adopt_stack_data": json.dumps(data),
        },
    )
    assert response.status_code == 201, response.text
    stack_id = response.json()["stack"]["id"]
    heat.wait_status(name, stack_id, "ADOPT_COMPLETE")
    assert outputs(heat, name, stack_id) == {"value": "goopie"}
    assert nested_ids(heat, name, stack_id) == {("the_nested", "RealRandom"): "froggy"}
