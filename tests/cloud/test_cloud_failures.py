"""Cloud resources when things go wrong: a worker killed mid-create, a create retried after
its worker died, a bad flavor rolled back, a delete of what is already gone."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from activities.resources.registry import plugin_for
from activities.types import ActionResult, ActionStep, ResourceActionRequest
from service.settings import get_settings
from tests.cloud.conftest import OPENSTACK, WORKER_CLOUD, ExternalNetwork, leftovers, sdk_connection
from tests.conftest import HeatClient, Service, wait_until


def _template(flavor: str = "m1.fake") -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "net": {"type": "OS::Neutron::Net"},
            "subnet": {
                "type": "OS::Neutron::Subnet",
                "properties": {"network": {"get_resource": "net"}, "cidr": "10.78.0.0/24"},
            },
            "port": {
                "type": "OS::Neutron::Port",
                "depends_on": "subnet",
                "properties": {"network": {"get_resource": "net"}},
            },
            "server": {
                "type": "OS::Nova::Server",
                "properties": {
                    "image": "fake-img",
                    "flavor": flavor,
                    "networks": [{"port": {"get_resource": "port"}}],
                },
            },
        },
    }


def _servers(prefix: str) -> list[str]:
    conn = sdk_connection()
    return [server.id for server in conn.compute.servers() if server.name.startswith(prefix)]


def test_a_worker_killed_during_a_server_create_still_makes_exactly_one(
    cloud_service: Service,
) -> None:
    heat = HeatClient(cloud_service.endpoint(f"kill{uuid.uuid4().hex[:6]}"))
    name = f"kill{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template(), disable_rollback=False)
    wait_until(lambda: _servers(name), 120, "the server to be booting in Nova")
    cloud_service.kill_worker()
    cloud_service.start_worker()
    heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
    assert len(_servers(name)) == 1

    assert heat.delete(f"/stacks/{name}/{stack['id']}").status_code == 204
    wait_until(
        lambda: (
            heat.get(f"/stacks/{name}/{stack['id']}").json()["stack"]["stack_status"]
            == "DELETE_COMPLETE"
        ),
        180,
        "the stack to be deleted",
    )
    assert leftovers(name) == {}


def test_a_bad_flavor_fails_the_create_and_rolls_back_without_leaks(
    cloud_service: Service,
) -> None:
    heat = HeatClient(cloud_service.endpoint(f"bad{uuid.uuid4().hex[:6]}"))
    name = f"bad{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template(flavor="m1.nope"), disable_rollback=False)
    done = heat.wait_status(name, stack["id"], "ROLLBACK_COMPLETE", deadline=180)
    assert done["stack_status"] == "ROLLBACK_COMPLETE"
    events = heat.get(f"/stacks/{name}/{stack['id']}/events").json()["events"]
    reasons = [
        e["resource_status_reason"]
        for e in events
        if e["resource_name"] == "server" and e["resource_status"] == "CREATE_FAILED"
    ]
    assert reasons == [
        "StackValidationFailed: resources.server: Property error: "
        "resources.server.properties.flavor: Error validating value 'm1.nope': "
        "The Flavor (m1.nope) could not be found."
    ]
    assert leftovers(name) == {}


def _request(step: ActionStep, **fields: Any) -> ResourceActionRequest:
    return ResourceActionRequest(
        stack_id=fields.pop("stack_id"),
        stack_name="retry",
        project_id="demo",
        resource_name="server",
        resource_type="OS::Nova::Server",
        step=step,
        **fields,
    )


def test_a_create_retried_after_its_worker_died_adopts_what_it_made(
    minicloud: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The create step run twice, as Temporal retries it when the worker died after the
    cloud call: the second run finds the server the first made instead of booting another."""
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(minicloud))
    monkeypatch.setenv("HEAT_TEMPORAL_CLOUD__NAME", WORKER_CLOUD)
    get_settings.cache_clear()  # the plugins read the cloud from the settings
    plugin = plugin_for("OS::Nova::Server")
    assert plugin is not None
    name = f"retry{uuid.uuid4().hex[:6]}"
    stack_id = str(uuid.uuid4())
    properties = {
        "image": "fake-img",
        "flavor": "m1.fake",
        "networks": [{"allocate_network": "none"}],
    }
    create = _request("create", stack_id=stack_id, physical_name=name, properties=properties)

    async def run() -> tuple[ActionResult, ActionResult]:
        first = await plugin.create(create)
        second = await plugin.create(create)
        return first, second

    first, second = asyncio.run(run())
    try:
        assert first.physical_id == second.physical_id
        assert _servers(name) == [first.physical_id]
    finally:
        delete = _request(
            "delete", stack_id=stack_id, physical_id=first.physical_id or "", properties={}
        )
        asyncio.run(plugin.delete(delete))
        wait_until(lambda: not _servers(name), 60, "the server to be gone")
        # A delete of what is already gone succeeds.
        assert asyncio.run(plugin.delete(delete)).poll_after is None
        get_settings.cache_clear()


def test_a_network_create_retried_after_dying_before_its_tag_call_makes_no_second_one(
    minicloud: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neutron takes the marker tag in a second call; the chaos run caught a worker killed
    between the two, whose retry made a second network and leaked the first. The retry now
    also looks for the untagged object by the request's own physical name."""
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(minicloud))
    monkeypatch.setenv("HEAT_TEMPORAL_CLOUD__NAME", WORKER_CLOUD)
    get_settings.cache_clear()
    plugin = plugin_for("OS::Neutron::Net")
    assert plugin is not None
    name = f"untagged{uuid.uuid4().hex[:6]}-net-{uuid.uuid4().hex[:12]}"
    conn = sdk_connection()
    # What the first attempt left: the network, named, but not yet tagged.
    orphan = conn.network.create_network(name=name)
    create = _request("create", stack_id=str(uuid.uuid4()), physical_name=name, properties={})
    try:
        retried = asyncio.run(plugin.create(create))
        assert retried.physical_id == orphan.id
        assert [n.id for n in conn.network.networks(name=name)] == [orphan.id]
        assert any(t.startswith("heat-") for t in conn.network.get_network(orphan.id).tags)
    finally:
        for network in conn.network.networks(name=name):
            conn.network.delete_network(network.id)
        get_settings.cache_clear()


CONSTRAINED = {
    "heat_template_version": "2018-08-31",
    "parameters": {
        "flavor": {"type": "string", "constraints": [{"custom_constraint": "nova.flavor"}]},
        "image": {"type": "string", "constraints": [{"custom_constraint": "glance.image"}]},
        "networks": {
            "type": "comma_delimited_list",
            "constraints": [{"custom_constraint": "neutron.network"}],
        },
    },
    "resources": {"placeholder": {"type": "OS::Heat::None"}},
}


def test_parameters_naming_what_the_cloud_lacks_are_rejected_before_anything_starts(
    cloud_service: Service, external_network: ExternalNetwork
) -> None:
    heat = HeatClient(cloud_service.endpoint(f"cc{uuid.uuid4().hex[:6]}"))
    good = {"flavor": "m1.fake", "image": "fake-img", "networks": external_network.name}
    cases = {
        "flavor": (
            "m1.nope",
            "Parameter 'flavor' is invalid: Error validating value 'm1.nope': "
            "The Flavor (m1.nope) could not be found.",
        ),
        "image": (
            "no-such-image",
            "Parameter 'image' is invalid: Error validating value 'no-such-image': "
            "The Image (no-such-image) could not be found.",
        ),
        "networks": (
            f"{external_network.name},no-such-net",
            "Parameter 'networks' is invalid: Error validating value 'no-such-net': "
            "Unable to find network with name or id 'no-such-net'",
        ),
    }
    for parameter, (value, message) in cases.items():
        body = {
            "stack_name": f"cc{parameter}",
            "template": CONSTRAINED,
            "parameters": {**good, parameter: value},
        }
        response = heat.post("/stacks", body)
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert (error["type"], error["message"]) == ("StackValidationFailed", message)
    assert heat.get("/stacks").json()["stacks"] == []

    stack = heat.create("ccgood", CONSTRAINED, parameters=good)
    heat.wait_status("ccgood", stack["id"], "CREATE_COMPLETE")


def test_an_update_naming_what_the_cloud_lacks_is_rejected_before_anything_changes(
    cloud_service: Service, external_network: ExternalNetwork
) -> None:
    project = f"cu{uuid.uuid4().hex[:6]}"
    heat = HeatClient(cloud_service.endpoint(project))
    good = {"flavor": "m1.fake", "image": "fake-img", "networks": external_network.name}
    stack = heat.create("cuup", CONSTRAINED, parameters=good)
    heat.wait_status("cuup", stack["id"], "CREATE_COMPLETE")
    path = f"/stacks/cuup/{stack['id']}"
    events_before = heat.get(path + "/events").json()["events"]
    message = (
        "Parameter 'flavor' is invalid: Error validating value 'm1.nope': "
        "The Flavor (m1.nope) could not be found."
    )
    # PATCH (existing), PUT (full template) and the update preview: upstream's 400.
    patched = heat.http.patch(
        heat.endpoint + path, json={"parameters": {"flavor": "m1.nope"}}, timeout=60
    )
    full: dict[str, Any] = {"template": CONSTRAINED, "parameters": {**good, "flavor": "m1.nope"}}
    put = heat.http.put(heat.endpoint + path, json=full, timeout=60)
    preview = heat.http.put(heat.endpoint + path + "/preview", json=full, timeout=60)
    for response in (patched, put, preview):
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert (error["type"], error["message"]) == ("StackValidationFailed", message)
    # Through the CLI too; and nothing changed: same status, parameters, events.
    result = subprocess.run(
        [OPENSTACK, "stack", "update", "--existing", "--parameter", "image=no-such-image",
         "cuup"],
        env={**os.environ, "OS_AUTH_TYPE": "none", "OS_ENDPOINT": cloud_service.endpoint(project)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "The Image (no-such-image) could not be found." in result.stderr
    shown = heat.stack("cuup", stack["id"])
    assert shown["stack_status"] == "CREATE_COMPLETE"
    assert shown["parameters"]["flavor"] == "m1.fake"
    assert heat.get(path + "/events").json()["events"] == events_before
    # A good update still goes through.
    fine = heat.http.patch(
        heat.endpoint + path, json={"parameters": {"image": "fake-img"}}, timeout=60
    )
    assert fine.status_code == 202, fine.text
    heat.wait_status("cuup", stack["id"], "UPDATE_COMPLETE")


def test_noauth_checks_types_against_the_worker_credentials_catalog(
    cloud_service: Service,
) -> None:
    """With noauth the catalog is the one the worker's cloud credentials get (the minicloud has
    no Zaqar): upstream's ResourceTypeUnavailable on validate and create, nothing made."""
    heat = HeatClient(cloud_service.endpoint(f"project-{uuid.uuid4().hex[:8]}"))
    template = {
        "heat_template_version": "2018-08-31",
        "resources": {"queue": {"type": "OS::Zaqar::Queue"}},
    }
    message = (
        "HEAT-E99001 Service zaqar is not available for resource type OS::Zaqar::Queue, "
        "reason: zaqar messaging endpoint is not in service catalog."
    )
    validated = heat.post("/validate", {"template": template})
    assert validated.status_code == 400, validated.text
    assert validated.json()["error"]["message"] == message
    name = f"noqueue-{uuid.uuid4().hex[:6]}"
    created = heat.post("/stacks", {"stack_name": name, "template": template})
    assert created.status_code == 400, created.text
    assert created.json()["error"] == {
        "type": "ResourceTypeUnavailable",
        "message": message,
        "traceback": None,
    }
    assert heat.get(f"/stacks/{name}").status_code == 404
    assert "OS::Nova::Server" in heat.get("/resource_types").json()["resource_types"]
