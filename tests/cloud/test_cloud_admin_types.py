"""The admin-only types OS::Nova::HostAggregate and OS::Cinder::VolumeType in the minicloud:
create, update in place, delete, through our API with a worker acting as the cloud admin."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cloud.conftest import sdk_connection
from tests.conftest import HeatClient, Service, make_service

ADMIN_CLOUD = "minicloud-admin"


@pytest.fixture(scope="module")
def admin_service(
    minicloud: Path, temporal_target: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    extra = {"OS_CLIENT_CONFIG_FILE": str(minicloud), "HEAT_TEMPORAL_CLOUD__NAME": ADMIN_CLOUD}
    service = make_service(temporal_target, tmp_path_factory.mktemp("admin-types"), extra_env=extra)
    try:
        yield service
    finally:
        service.stop()


def _template(name: str, zone: str, aggregate_meta: dict[str, str], vtype: dict[str, Any]) -> dict:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "aggregate": {
                "type": "OS::Nova::HostAggregate",
                "properties": {
                    "name": name,
                    "availability_zone": zone,
                    "metadata": aggregate_meta,
                },
            },
            "vtype": {"type": "OS::Cinder::VolumeType", "properties": {"name": name, **vtype}},
        },
    }


def _put(heat: HeatClient, path: str, body: dict[str, Any]) -> None:
    response = heat.http.put(heat.endpoint + path, json=body, timeout=60)
    assert response.status_code == 202, response.text


def test_host_aggregate_and_volume_type_create_update_and_delete(admin_service: Service) -> None:
    heat = HeatClient(admin_service.endpoint(f"project-{uuid.uuid4().hex[:8]}"))
    admin = sdk_connection(ADMIN_CLOUD)
    demo_project = sdk_connection().current_project_id
    name = f"admintypes-{uuid.uuid4().hex[:8]}"
    # A zone of its own, and no hosts: the shared minicloud's compute host stays where it is.
    zone = f"{name}-az"
    first = _template(
        name,
        zone,
        {"tier": "gold"},
        {
            "description": "first",
            "metadata": {"volume_backend_name": "lvm"},
            "is_public": False,
            "projects": [demo_project],
        },
    )
    stack = f"{name}-stack"
    stack_id = heat.create(stack, first)["id"]
    try:
        heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=120)
        resources = {
            r["resource_name"]: r
            for r in heat.get(f"/stacks/{stack}/{stack_id}/resources").json()["resources"]
        }
        aggregate_id = resources["aggregate"]["physical_resource_id"]
        type_id = resources["vtype"]["physical_resource_id"]
        aggregate = admin.compute.get_aggregate(aggregate_id)
        assert (aggregate.name, aggregate.availability_zone) == (name, zone)
        assert aggregate.metadata == {"tier": "gold", "availability_zone": zone}
        vtype = admin.block_storage.get_type(type_id)
        assert (vtype.name, vtype.description, vtype.is_public) == (name, "first", False)
        assert vtype.extra_specs == {"volume_backend_name": "lvm"}
        access = admin.block_storage.get(f"/types/{type_id}/os-volume-type-access").json()
        assert [a["project_id"] for a in access["volume_type_access"]] == [demo_project]

        second = _template(
            f"{name}-b",
            zone,
            {"tier": "silver"},
            {"description": "second", "metadata": {"x": "1"}, "is_public": False},
        )
        _put(heat, f"/stacks/{stack}/{stack_id}", {"template": second})
        heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
        resources = {
            r["resource_name"]: r
            for r in heat.get(f"/stacks/{stack}/{stack_id}/resources").json()["resources"]
        }
        # Updated in place, as upstream: the same aggregate and volume type.
        assert resources["aggregate"]["physical_resource_id"] == aggregate_id
        assert resources["vtype"]["physical_resource_id"] == type_id
        assert {r["resource_status"] for r in resources.values()} == {"UPDATE_COMPLETE"}
        aggregate = admin.compute.get_aggregate(aggregate_id)
        assert aggregate.name == f"{name}-b"
        assert aggregate.metadata == {"tier": "silver", "availability_zone": zone}
        vtype = admin.block_storage.get_type(type_id)
        assert (vtype.name, vtype.description) == (f"{name}-b", "second")
        assert vtype.extra_specs == {"x": "1"}
        access = admin.block_storage.get(f"/types/{type_id}/os-volume-type-access").json()
        assert access["volume_type_access"] == []

        assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204
        heat.wait_status(stack, stack_id, "DELETE_COMPLETE", deadline=120)
        assert admin.compute.find_aggregate(aggregate_id, ignore_missing=True) is None
        assert admin.block_storage.find_type(type_id, ignore_missing=True) is None
    finally:
        heat.delete(f"/stacks/{stack}/{stack_id}")
        # The shared minicloud keeps nothing of this test, whatever failed above.
        for left in admin.compute.aggregates():
            if left.name.startswith(name):
                with contextlib.suppress(Exception):
                    admin.compute.delete_aggregate(left)
        for kind in admin.block_storage.types():
            if kind.name.startswith(name):
                with contextlib.suppress(Exception):
                    admin.block_storage.delete_type(str(kind.id))
