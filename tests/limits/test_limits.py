"""Requests too big for Heat or for the engine are refused up front with Heat's error, and
nothing is created; large but acceptable parameters and outputs go all the way through."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.conftest import HeatClient

VERSION = "2018-08-31"


def none_template(count: int) -> dict[str, Any]:
    return {
        "heat_template_version": VERSION,
        "resources": {f"r{i}": {"type": "OS::Heat::None"} for i in range(count)},
    }


def echo_template() -> dict[str, Any]:
    """A parameter carried through a resource's attribute to an output."""
    return {
        "heat_template_version": VERSION,
        "parameters": {"blob": {"type": "string"}},
        "resources": {
            "holder": {"type": "OS::Heat::Value", "properties": {"value": {"get_param": "blob"}}}
        },
        "outputs": {"blob": {"value": {"get_attr": ["holder", "value"]}}},
    }


def assert_refused(response: Any, message: str) -> None:
    assert response.status_code == 400, response.text[:500]
    body = response.json()
    assert body["error"]["type"] == "RequestLimitExceeded"
    assert body["error"]["message"] == message
    assert body["error"]["traceback"] is None


def test_a_json_body_over_one_megabyte_is_refused_as_upstream_words_it(heat: HeatClient) -> None:
    body = {
        "stack_name": "huge",
        "template": none_template(1),
        "parameters": {"p": "x" * 1_100_000},
    }
    size = len(json.dumps(body).encode())
    response = heat.post("/stacks", body)
    assert_refused(
        response,
        f"Request limit exceeded: JSON body size ({size} bytes) exceeds maximum allowed size "
        "(1048576 bytes).",
    )
    assert heat.get("/stacks").json()["stacks"] == []


def test_a_template_over_max_template_size_is_refused(heat: HeatClient) -> None:
    template = {"heat_template_version": VERSION, "description": "d" * 600_000}
    response = heat.post("/stacks", {"stack_name": "bigtemplate", "template": template})
    assert_refused(
        response,
        f"Request limit exceeded: Template size ({len(str(template))} bytes) exceeds maximum "
        "allowed size (524288 bytes).",
    )


def test_more_resources_than_max_resources_per_stack_are_refused(heat: HeatClient) -> None:
    message = "Request limit exceeded: Maximum resources per stack exceeded."
    assert_refused(
        heat.post("/stacks", {"stack_name": "many", "template": none_template(1001)}), message
    )
    assert_refused(
        heat.post("/stacks/preview", {"stack_name": "many", "template": none_template(1001)}),
        message,
    )
    # An update to too many is refused too, and leaves the stack as it was.
    name = f"grows{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, none_template(2))["id"]
    heat.wait_status(name, stack_id, "CREATE_COMPLETE")
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{name}/{stack_id}",
        json={"template": none_template(1001)},
        timeout=60,
    )
    assert_refused(response, message)
    assert heat.stack(name, stack_id)["stack_status"] == "CREATE_COMPLETE"


def test_parameters_too_big_for_the_engine_are_refused_instead_of_hanging(
    heat: HeatClient,
) -> None:
    # 400 KB flowing into an attribute and an output made the operation's result 2.4 MB, over
    # Temporal's 2 MB payload limit: the stack hung CREATE_IN_PROGRESS for ever.
    body = {
        "stack_name": "heavy",
        "template": echo_template(),
        "parameters": {"blob": "z" * 400_000},
    }
    response = heat.post("/stacks", body)
    assert response.status_code == 400, response.text[:300]
    message = response.json()["error"]["message"]
    assert message.startswith("Request limit exceeded: Stack size (")
    assert message.endswith("exceeds maximum allowed size (524288 bytes).")
    assert heat.get("/stacks").json()["stacks"] == []


def test_a_parameter_of_100_kb_goes_through_to_the_output(heat: HeatClient) -> None:
    blob = "b" * 100_000
    name = f"blob{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, echo_template(), parameters={"blob": blob})["id"]
    stack = heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=120)
    assert stack["outputs"][0]["output_value"] == blob
