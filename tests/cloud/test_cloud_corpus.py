"""Public corpus templates that use only the implemented types, created and deleted in the
minicloud with the openstack CLI, unmodified (only their parameters given)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cloud.conftest import ExternalNetwork, heat_cli, leftovers, sdk_connection
from tests.conftest import REPO, Service

CORPUS = REPO.parent / "shared" / "corpus" / "heat-templates" / "hot"


@pytest.fixture
def key_name() -> Iterator[str]:
    conn = sdk_connection()
    name = f"corpuskey-{uuid.uuid4().hex[:6]}"
    conn.compute.create_keypair(name=name)
    try:
        yield name
    finally:
        conn.compute.delete_keypair(name, ignore_missing=True)


@pytest.fixture
def private_network() -> Iterator[str]:
    conn = sdk_connection()
    network = conn.network.create_network(name=f"corpusnet-{uuid.uuid4().hex[:6]}")
    conn.network.create_subnet(network_id=network.id, cidr="10.81.0.0/24", ip_version=4)
    try:
        yield str(network.name)
    finally:
        for port in conn.network.ports(network_id=network.id):
            conn.network.delete_port(port.id)
        conn.network.delete_network(network.id)


def _create_and_delete(service: Service, template: Path, parameters: dict[str, str]) -> None:
    project = f"corpus{uuid.uuid4().hex[:6]}"
    stack = f"corpus{uuid.uuid4().hex[:6]}"
    args = [arg for name, value in parameters.items() for arg in ("--parameter", f"{name}={value}")]
    created = heat_cli(
        service, project, "stack", "create", "-t", str(template), *args, "--wait", stack
    )
    assert "CREATE_COMPLETE" in created, created
    heat_cli(service, project, "stack", "delete", "--yes", "--wait", stack)
    assert leftovers(stack) == {}


def test_corpus_templates_of_cloud_types_create_and_delete(
    cloud_service: Service,
    external_network: ExternalNetwork,
    key_name: str,
    private_network: str,
) -> None:
    common = {"key_name": key_name, "image": "fake-img", "flavor": "m1.fake"}
    _create_and_delete(
        cloud_service, CORPUS / "hello_world.yaml", {**common, "admin_pass": "Abc12345"}
    )
    _create_and_delete(
        cloud_service, CORPUS / "vm_with_cinder.yaml", {**common, "network": private_network}
    )
    _create_and_delete(
        cloud_service,
        CORPUS / "servers_in_new_neutron_net.yaml",
        {
            **common,
            "public_net": external_network.name,
            "private_net_name": f"corpusprivate-{uuid.uuid4().hex[:6]}",
            "private_net_cidr": "10.82.0.0/24",
            "private_net_gateway": "10.82.0.1",
            "private_net_pool_start": "10.82.0.10",
            "private_net_pool_end": "10.82.0.100",
        },
    )
