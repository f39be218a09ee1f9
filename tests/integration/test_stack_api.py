"""Stacks through the Heat v1 API against the real service: create, read, fail, delete."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from tests.conftest import REPO, HeatClient, wait_until

SAMPLES = REPO.parent / "shared" / "reference" / "upstream-samples"
SMOKE_TEMPLATE = """\
heat_template_version: 2018-08-31
description: heatref smoke test
parameters:
  length:
    type: number
    default: 12
resources:
  rand:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: length}
  none:
    type: OS::Heat::None
  val:
    type: OS::Heat::Value
    properties:
      value: {get_attr: [rand, value]}
  test:
    type: OS::Heat::TestResource
    properties:
      value: hello
      wait_secs: 0
    depends_on: none
outputs:
  random:
    value: {get_attr: [rand, value]}
  test_out:
    value: {get_attr: [test, output]}
"""


def upstream(sample: str) -> dict[str, Any]:
    """A response body recorded from upstream Heat (shared/reference/upstream-samples)."""
    data = json.loads((SAMPLES / sample).read_text())
    return dict(data["response"]["body_json"])


def name() -> str:
    return f"s{uuid.uuid4().hex[:10]}"


def test_versions_answer_300_with_the_v1_link(heat: HeatClient) -> None:
    response = heat.http.get(heat.endpoint.split("/v1/")[0] + "/", timeout=10)
    assert response.status_code == 300
    body = response.json()
    assert body["versions"][0]["id"] == "v1.0"
    assert body["versions"][0]["links"][0]["href"].endswith("/v1/")


def test_create_then_read_everything_as_upstream_shapes_it(heat: HeatClient) -> None:
    stack_name = name()
    created = heat.create(
        stack_name, SMOKE_TEMPLATE, parameters={"length": 16}, timeout_mins=10, tags="a,b"
    )
    stack_id = created["id"]
    assert created["links"][0]["href"].endswith(f"/stacks/{stack_name}/{stack_id}")
    stack = heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")

    reference = upstream("12_stack_show.json")["stack"]
    assert set(stack) == set(reference)
    assert stack["parameters"]["length"] == "16"
    assert stack["parameters"]["OS::stack_name"] == stack_name
    assert stack["tags"] == ["a", "b"]
    assert stack["timeout_mins"] == 10
    assert stack["stack_status_reason"] == "Stack CREATE completed successfully"
    outputs = {o["output_key"]: o for o in stack["outputs"]}
    assert len(outputs["random"]["output_value"]) == 16
    assert outputs["test_out"]["output_value"] == "hello"
    assert outputs["random"]["description"] == "No description given"

    resources = heat.get(f"/stacks/{stack_name}/{stack_id}/resources").json()["resources"]
    by_name = {r["resource_name"]: r for r in resources}
    assert set(by_name) == {"rand", "none", "val", "test"}
    reference_resource = upstream("16_resource_list.json")["resources"][0]
    assert set(by_name["test"]) == set(reference_resource)
    assert by_name["none"]["required_by"] == ["test"]
    assert by_name["rand"]["required_by"] == ["val"]
    assert all(r["resource_status"] == "CREATE_COMPLETE" for r in resources)
    assert by_name["rand"]["physical_resource_id"].startswith(f"{stack_name}-rand-")

    shown = heat.get(f"/stacks/{stack_name}/{stack_id}/resources/val").json()["resource"]
    assert shown["attributes"]["value"] == outputs["random"]["output_value"]
    assert set(shown) == set(upstream("18_resource_show.json")["resource"])

    events = heat.get(f"/stacks/{stack_name}/{stack_id}/events").json()["events"]
    assert set(events[0]) == set(upstream("20_event_list.json")["events"][0])
    # Newest first by default, the stack's own events at both ends.
    assert events[0]["resource_name"] == stack_name
    assert events[0]["resource_status"] == "CREATE_COMPLETE"
    assert events[-1]["resource_status_reason"] == "Stack CREATE started"
    assert len(events) == 2 + 2 * 4
    event = heat.get(
        f"/stacks/{stack_name}/{stack_id}/resources/rand/events/"
        + next(e["id"] for e in events if e["resource_name"] == "rand")
    ).json()["event"]
    assert event["resource_properties"] == {"length": 16}
    assert event["resource_type"] == "OS::Heat::RandomString"

    output = heat.get(f"/stacks/{stack_name}/{stack_id}/outputs/random").json()["output"]
    assert output == outputs["random"]
    listed = heat.get(f"/stacks/{stack_name}/{stack_id}/outputs").json()["outputs"]
    assert {o["output_key"] for o in listed} == {"random", "test_out"}
    assert "output_value" not in listed[0]

    template = heat.get(f"/stacks/{stack_name}/{stack_id}/template").json()
    assert template == yaml.safe_load(SMOKE_TEMPLATE) | {"heat_template_version": "2018-08-31"}

    summary = heat.get("/stacks").json()["stacks"]
    assert [s["stack_name"] for s in summary] == [stack_name]
    assert set(summary[0]) == set(upstream("14_stack_list.json")["stacks"][0])

    deleted = heat.delete(f"/stacks/{stack_name}/{stack_id}")
    assert deleted.status_code == 204
    gone = heat.wait_status(stack_name, stack_id, "DELETE_COMPLETE")
    assert gone["stack_status_reason"] == "Stack DELETE completed successfully"
    assert "outputs" not in gone
    assert heat.get("/stacks").json()["stacks"] == []
    assert heat.get(f"/stacks/{stack_name}").status_code == 404


def test_a_name_lookup_redirects_to_the_canonical_url_keeping_path_and_query(
    heat: HeatClient,
) -> None:
    stack_name = name()
    stack_id = heat.create(stack_name, SMOKE_TEMPLATE)["id"]
    response = heat.get(f"/stacks/{stack_name}", allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{heat.endpoint}/stacks/{stack_name}/{stack_id}"
    assert response.json()["title"] == "Found"
    by_id = heat.get(f"/stacks/{stack_id}", allow_redirects=False)
    assert by_id.headers["Location"] == response.headers["Location"]
    events = heat.get(f"/stacks/{stack_name}/events?sort_dir=asc", allow_redirects=False)
    assert events.headers["Location"].endswith(f"/{stack_id}/events?sort_dir=asc")
    heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")


def test_a_stack_arn_redirects_to_the_canonical_url_encoded_or_not(heat: HeatClient) -> None:
    """Upstream's lookup takes a stack ARN (HeatIdentifier.from_arn) as the stack's identity."""
    stack_name = name()
    stack_id = heat.create(stack_name, SMOKE_TEMPLATE)["id"]
    tenant = heat.endpoint.rsplit("/", 1)[1]
    canonical = f"{heat.endpoint}/stacks/{stack_name}/{stack_id}"
    arn = f"arn:openstack:heat::{tenant}:stacks/{stack_name}/{stack_id}"
    # As HeatIdentifier.arn_url_path() writes it: the whole ARN quoted, "/" and ":" too.
    encoded = quote(arn, safe="")
    for path in (arn, encoded):
        found = heat.get(f"/stacks/{path}", allow_redirects=False)
        assert found.status_code == 302, found.text
        assert found.headers["Location"] == canonical
        assert found.json()["title"] == "Found"
    resources = heat.get(f"/stacks/{encoded}/resources?nested_depth=1", allow_redirects=False)
    assert resources.headers["Location"] == canonical + "/resources?nested_depth=1"
    inner = heat.get(f"/stacks/{quote(arn + '/resources/test', safe='')}", allow_redirects=False)
    assert inner.headers["Location"] == canonical + "/resources/test"
    # Followed, the redirect answers as the canonical URL does.
    shown = heat.get(f"/stacks/{encoded}")
    assert shown.status_code == 200
    assert shown.json()["stack"]["id"] == stack_id
    listed = heat.get(f"/stacks/{arn}/resources")
    assert listed.status_code == 200
    assert {r["resource_name"] for r in listed.json()["resources"]} >= {"test", "rand"}
    heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
    # DELETE by ARN answers 302 as well; clients repeat the DELETE at the Location.
    found = heat.delete(f"/stacks/{encoded}", allow_redirects=False)
    assert found.status_code == 302
    assert found.headers["Location"] == canonical
    assert heat.http.delete(found.headers["Location"], timeout=60).status_code == 204
    heat.wait_status(stack_name, stack_id, "DELETE_COMPLETE")
    # Not a Heat ARN: looked up as a name, which no stack has.
    other = heat.get(f"/stacks/{quote('arn:aws:s3:::bucket/key', safe='')}")
    assert other.status_code == 404
    assert other.json()["error"]["type"] == "EntityNotFound"
    # A Heat ARN naming no stack is redirected as it is, and the canonical URL answers 404.
    nowhere = f"arn:openstack:heat::{tenant}:stacks/nosuch/{uuid.uuid4()}"
    assert heat.get(f"/stacks/{quote(nowhere, safe='')}").status_code == 404


def test_errors_come_in_heats_error_body(heat: HeatClient) -> None:
    stack_name = name()
    missing = heat.get("/stacks/nosuchstack")
    assert missing.status_code == 404
    assert missing.json() == upstream("13_stack_show_notfound_error.json")

    bad = heat.post(
        "/stacks",
        {
            "stack_name": "bad1",
            "template": (
                "heat_template_version: 2018-08-31\nresources:\n  r1:\n    type: OS::Heat::None\n"
                "    depends_on: does_not_exist\n"
            ),
        },
    )
    assert bad.status_code == 400
    assert bad.json() == upstream("10_stack_create_invalid_template_error.json")

    stack_id = heat.create(stack_name, SMOKE_TEMPLATE)["id"]
    duplicate = heat.post("/stacks", {"stack_name": stack_name, "template": SMOKE_TEMPLATE})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"] == {
        "type": "StackExists",
        "traceback": None,
        "message": f"The Stack ({stack_name}) already exists.",
    }
    heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
    # Nothing was created for the rejected requests.
    assert [s["stack_name"] for s in heat.get("/stacks").json()["stacks"]] == [stack_name]


FAILING = """\
heat_template_version: 2018-08-31
resources:
  good:
    type: OS::Heat::TestResource
    properties: {value: fine}
  bad:
    type: OS::Heat::TestResource
    depends_on: good
    properties: {fail: true}
  never:
    type: OS::Heat::None
    depends_on: bad
"""


def test_a_failed_create_rolls_back_what_it_made(heat: HeatClient) -> None:
    stack_name = name()
    stack_id = heat.create(stack_name, FAILING, disable_rollback=False)["id"]
    stack = heat.wait_status(stack_name, stack_id, "ROLLBACK_COMPLETE")
    assert stack["stack_status_reason"] == "Stack ROLLBACK completed successfully"
    events = heat.get(f"/stacks/{stack_name}/{stack_id}/events?sort_dir=asc").json()["events"]
    seen = [(e["resource_name"], e["resource_status"], e["resource_status_reason"]) for e in events]
    failure = "ValueError: resources.bad: Test Resource failed bad"
    assert ("bad", "CREATE_FAILED", failure) in seen
    assert (stack_name, "CREATE_FAILED", f"Resource CREATE failed: {failure}") in seen
    assert (stack_name, "ROLLBACK_IN_PROGRESS", "Stack ROLLBACK started") in seen
    # Compensation in reverse order: bad (which depends on good) is deleted before good.
    deletes = [r for r, status, _ in seen if status == "DELETE_COMPLETE"]
    assert deletes == ["bad", "good"]
    assert not any(r == "never" for r, _, _ in seen)
    assert heat.get(f"/stacks/{stack_name}/{stack_id}/resources").json()["resources"] == []


def test_with_rollback_disabled_a_failed_create_stays_failed_and_can_be_deleted(
    heat: HeatClient,
) -> None:
    stack_name = name()
    stack_id = heat.create(stack_name, FAILING)["id"]
    stack = heat.wait_status(stack_name, stack_id, "CREATE_FAILED")
    assert stack["stack_status_reason"] == (
        "Resource CREATE failed: ValueError: resources.bad: Test Resource failed bad"
    )
    resources = {
        r["resource_name"]: r["resource_status"]
        for r in heat.get(f"/stacks/{stack_name}/{stack_id}/resources").json()["resources"]
    }
    assert resources == {
        "good": "CREATE_COMPLETE",
        "bad": "CREATE_FAILED",
        "never": "INIT_COMPLETE",
    }
    assert heat.delete(f"/stacks/{stack_name}/{stack_id}").status_code == 204
    heat.wait_status(stack_name, stack_id, "DELETE_COMPLETE")


def test_a_delete_interrupts_a_create_in_progress(heat: HeatClient) -> None:
    stack_name = name()
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "slow": {
                "type": "OS::Heat::TestResource",
                "properties": {"action_wait_secs": {"create": 600, "delete": 0}},
            }
        },
    }
    stack_id = heat.create(stack_name, template)["id"]
    wait_until(
        lambda: (
            heat.get(f"/stacks/{stack_name}/{stack_id}/resources").json()["resources"][0][
                "resource_status"
            ]
            == "CREATE_IN_PROGRESS"
        ),
        30,
        "slow to start",
    )
    assert heat.delete(f"/stacks/{stack_name}/{stack_id}").status_code == 204
    heat.wait_status(stack_name, stack_id, "DELETE_COMPLETE", deadline=60)


def test_independent_resources_run_at_the_same_time(heat: HeatClient) -> None:
    stack_name = name()
    resources = {
        f"r{i}": {"type": "OS::Heat::TestResource", "properties": {"wait_secs": 3}}
        for i in range(10)
    }
    stack_id = heat.create(
        stack_name, {"heat_template_version": "2018-08-31", "resources": resources}
    )["id"]
    heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE", deadline=60)
    events = heat.get(f"/stacks/{stack_name}/{stack_id}/events?sort_dir=asc").json()["events"]
    statuses = [e["resource_status"] for e in events if e["resource_name"] != stack_name]
    # All ten started before any of them finished.
    assert statuses[:10] == ["CREATE_IN_PROGRESS"] * 10


def test_projects_are_isolated_and_names_are_unique_per_project(heat: HeatClient) -> None:
    other = HeatClient(heat.endpoint.rsplit("/", 1)[0] + f"/other-{uuid.uuid4().hex[:6]}")
    stack_name = name()
    mine = heat.create(stack_name, SMOKE_TEMPLATE)["id"]
    theirs = other.create(stack_name, SMOKE_TEMPLATE)["id"]
    assert mine != theirs
    assert other.get(f"/stacks/{stack_name}/{mine}").status_code == 404
    assert [s["id"] for s in other.get("/stacks").json()["stacks"]] == [theirs]
    heat.wait_status(stack_name, mine, "CREATE_COMPLETE")
    other.wait_status(stack_name, theirs, "CREATE_COMPLETE")


def test_events_page_with_marker_and_limit(heat: HeatClient) -> None:
    stack_name = name()
    stack_id = heat.create(stack_name, SMOKE_TEMPLATE)["id"]
    heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
    base = f"/stacks/{stack_name}/{stack_id}/events"
    everything = [e["id"] for e in heat.get(base + "?sort_dir=asc").json()["events"]]
    first = [e["id"] for e in heat.get(base + "?sort_dir=asc&limit=3").json()["events"]]
    rest = [e["id"] for e in heat.get(base + f"?sort_dir=asc&marker={first[-1]}").json()["events"]]
    assert first + rest == everything
    only_rand = heat.get(f"/stacks/{stack_name}/{stack_id}/resources/rand/events").json()
    assert {e["resource_name"] for e in only_rand["events"]} == {"rand"}


@pytest.mark.parametrize(
    "body, message",
    [
        ({"template": SMOKE_TEMPLATE}, "No stack name specified"),
        (
            {"stack_name": "1bad", "template": SMOKE_TEMPLATE},
            'Invalid stack name 1bad must contain only alphanumeric or "_-." characters, '
            "must start with alpha and must be 255 characters or less.",
        ),
    ],
)
def test_bad_create_requests_are_400_and_create_nothing(
    heat: HeatClient, body: dict[str, Any], message: str
) -> None:
    response = heat.post("/stacks", body)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message
    assert heat.get("/stacks").json()["stacks"] == []


def test_demo_template_of_the_readme_creates(heat: HeatClient) -> None:
    stack_name = name()
    template = Path(REPO / "demo.yaml").read_text()
    stack_id = heat.create(stack_name, template, parameters={"length": 16})["id"]
    stack = heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
    outputs = {o["output_key"]: o["output_value"] for o in stack["outputs"]}
    assert len(outputs["random"]) == 16
    assert outputs["greeting"] == f"hello from {stack_name}"


def test_timeout_mins_stops_the_create_and_rolls_back(heat: HeatClient) -> None:
    stack_name = name()
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "slow": {
                "type": "OS::Heat::TestResource",
                "properties": {"action_wait_secs": {"create": 3600, "delete": 0}},
            }
        },
    }
    stack_id = heat.create(stack_name, template, timeout_mins=1, disable_rollback=False)["id"]
    stack = heat.wait_status(stack_name, stack_id, "ROLLBACK_COMPLETE", deadline=120)
    events = heat.get(f"/stacks/{stack_name}/{stack_id}/events?sort_dir=asc").json()["events"]
    seen = [(e["resource_name"], e["resource_status"], e["resource_status_reason"]) for e in events]
    assert (stack_name, "CREATE_FAILED", "Timed out") in seen
    assert ("slow", "CREATE_FAILED", "CREATE aborted") in seen
    assert stack["stack_status_reason"] == "Stack ROLLBACK completed successfully"


def test_none_stands_in_for_any_type_taking_any_properties(heat: HeatClient) -> None:
    stack_name = name()
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "server": {"type": "OS::Heat::None", "properties": {"flavor": "m1.small", "image": 3}}
        },
        "outputs": {"ip": {"value": {"get_attr": ["server", "first_address"]}}},
    }
    stack_id = heat.create(stack_name, template)["id"]
    stack = heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
    assert stack["outputs"][0]["output_value"] is None


def test_a_property_only_known_at_create_time_is_checked_then(heat: HeatClient) -> None:
    stack_name = name()
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "val": {"type": "OS::Heat::Value", "properties": {"value": "not a number"}},
            "rand": {
                "type": "OS::Heat::RandomString",
                "properties": {"length": {"get_attr": ["val", "value"]}},
            },
        },
    }
    stack_id = heat.create(stack_name, template)["id"]
    stack = heat.wait_status(stack_name, stack_id, "CREATE_FAILED")
    rand = heat.get(f"/stacks/{stack_name}/{stack_id}/resources/rand").json()["resource"]
    assert rand["resource_status"] == "CREATE_FAILED"
    assert rand["resource_status_reason"].startswith(
        "StackValidationFailed: resources.rand: Property error: resources.rand.properties.length"
    )
    assert (
        stack["stack_status_reason"] == f"Resource CREATE failed: {rand['resource_status_reason']}"
    )


def test_attr_wait_secs_delays_readers_of_the_attribute(heat: HeatClient) -> None:
    stack_name = name()
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {
            "slow_attr": {
                "type": "OS::Heat::TestResource",
                "properties": {"value": "x", "attr_wait_secs": 2},
            },
            "reader": {
                "type": "OS::Heat::Value",
                "properties": {"value": {"get_attr": ["slow_attr", "output"]}},
            },
        },
    }
    stack_id = heat.create(stack_name, template)["id"]
    heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
    events = heat.get(f"/stacks/{stack_name}/{stack_id}/events?sort_dir=asc").json()["events"]
    times = {(e["resource_name"], e["resource_status"]): e["event_time"] for e in events}
    from datetime import datetime

    def at(key: tuple[str, str]) -> datetime:
        return datetime.strptime(times[key], "%Y-%m-%dT%H:%M:%SZ")

    assert (
        at(("reader", "CREATE_IN_PROGRESS")) - at(("slow_attr", "CREATE_COMPLETE"))
    ).total_seconds() >= 1


def test_an_empty_stack_creates_and_deletes_with_heats_headers(heat: HeatClient) -> None:
    stack_name = name()
    response = heat.post(
        "/stacks",
        {
            "stack_name": stack_name,
            "files": {},
            "parameters": {},
            "environment": {},
            "disable_rollback": True,
            "template": {"heat_template_version": "2016-04-08"},
        },
    )
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-openstack-request-id"].startswith("req-")
    stack_id = response.json()["stack"]["id"]
    assert f"/stacks/{stack_name}/{stack_id}" in response.headers["Location"]
    heat.wait_status(stack_name, stack_id, "CREATE_COMPLETE")
    # DELETE by name answers 302; clients (heatclient, gabbi) repeat the DELETE there.
    found = heat.delete(f"/stacks/{stack_name}", allow_redirects=False)
    assert found.status_code == 302
    assert heat.http.delete(found.headers["Location"], timeout=30).status_code == 204
    heat.wait_status(stack_name, stack_id, "DELETE_COMPLETE")
