"""Upstream's test_replace_deprecated in the minicloud: a server with an
OS::Heat::SoftwareDeployments (hidden, deprecated) updated to OS::Heat::SoftwareDeploymentGroup
keeps the same deployments (updated in place, not replaced)."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from tests.cloud.conftest import leftovers
from tests.conftest import HeatClient, Service

TEMPLATE: dict[str, Any] = {
    "heat_template_version": "2013-05-23",
    "resources": {
        "config": {"type": "OS::Heat::SoftwareConfig", "properties": {"config": "xxxx"}},
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": "10.78.0.0/24"},
        },
        "server": {
            "type": "OS::Nova::Server",
            "depends_on": "subnet",
            "properties": {
                "image": "fake-img",
                "flavor": "m1.fake",
                "networks": [{"network": {"get_resource": "net"}}],
                "user_data_format": "SOFTWARE_CONFIG",
            },
        },
        "dep": {
            "type": "OS::Heat::SoftwareDeployments",
            "properties": {
                "config": {"get_resource": "config"},
                "servers": {"0": {"get_resource": "server"}},
                "signal_transport": "NO_SIGNAL",
            },
        },
    },
}


def test_software_deployments_update_in_place_to_a_deployment_group(
    cloud_service: Service,
) -> None:
    heat = HeatClient(cloud_service.endpoint(f"rd{uuid.uuid4().hex[:6]}"))
    name = f"rd{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, TEMPLATE)
    path = f"/stacks/{name}/{stack['id']}"

    def types() -> dict[str, str]:
        listed = heat.get(path + "/resources").json()["resources"]
        return {r["resource_name"]: r["resource_type"] for r in listed}

    try:
        heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        assert types()["dep"] == "OS::Heat::SoftwareDeployments"
        # The server's metadata carries its deployments, as upstream's (what
        # os-collect-config polls, and ParallelDeploymentsTest counts).
        server = heat.get(path + "/resources/server").json()["resource"]
        metadata = heat.get(path + "/resources/server/metadata").json()["metadata"]
        [deployed] = metadata["deployments"]
        inputs = {i["name"]: i.get("value") for i in deployed["inputs"]}
        assert inputs["deploy_server_id"] == server["physical_resource_id"]
        before = heat.get(path + "/resources/dep").json()["resource"]["physical_resource_id"]
        updated = copy.deepcopy(TEMPLATE)
        updated["resources"]["dep"]["type"] = "OS::Heat::SoftwareDeploymentGroup"
        response = heat.http.put(heat.endpoint + path, json={"template": updated}, timeout=60)
        assert response.status_code == 202, response.text
        heat.wait_status(name, stack["id"], "UPDATE_COMPLETE", deadline=180)
        assert types() == {
            "config": "OS::Heat::SoftwareConfig",
            "net": "OS::Neutron::Net",
            "subnet": "OS::Neutron::Subnet",
            "server": "OS::Nova::Server",
            "dep": "OS::Heat::SoftwareDeploymentGroup",
        }
        after = heat.get(path + "/resources/dep").json()["resource"]["physical_resource_id"]
        assert after == before
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}
