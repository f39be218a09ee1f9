"""Public corpus templates that use only the implemented types, created and deleted in the
minicloud with the openstack CLI, unmodified (only their parameters given).

tests/cloud/corpus_selection.py finds them and says why the others cannot run here; this
test prints that list, then runs the qualifying templates a few at a time."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.cloud.conftest import ExternalNetwork, IsolatedCloud, heat_cli, leftovers
from tests.cloud.corpus_selection import Candidate, CloudValues, candidates

# Templates at once: each boots a server or two, and 2 cores are shared.
CONCURRENCY = 4
# Templates that ran before this selection existed: they must stay selected.
KNOWN_GOOD = {
    "heat-templates/hot/hello_world.yaml",
    "heat-templates/hot/vm_with_cinder.yaml",
    "heat-templates/hot/servers_in_new_neutron_net.yaml",
}


@pytest.fixture
def cloud_values(
    isolated_cloud: IsolatedCloud, external_network: ExternalNetwork
) -> Iterator[CloudValues]:
    """In a project of their own: a key pair and a private network routed to the external
    one (a floating IP needs the route), 10.0.0.0/24 as the corpus's port addresses expect."""
    conn = isolated_cloud.connection()
    suffix = uuid.uuid4().hex[:6]
    key = conn.compute.create_keypair(name=f"corpuskey-{suffix}")
    network = conn.network.create_network(name=f"corpusnet-{suffix}")
    subnet = conn.network.create_subnet(
        network_id=network.id, cidr="10.0.0.0/24", ip_version=4, name=f"corpusnet-{suffix}"
    )
    router = conn.network.create_router(
        name=f"corpusnet-{suffix}", external_gateway_info={"network_id": external_network.id}
    )
    conn.network.add_interface_to_router(router, subnet=subnet.id)
    try:
        yield CloudValues(
            key_name=str(key.name),
            private_network=str(network.name),
            private_subnet=str(subnet.id),
            external_network=external_network.name,
        )
    finally:
        for ip in conn.network.ips(floating_network_id=external_network.id):
            if ip.router_id == router.id:
                conn.network.delete_ip(ip.id)
        conn.network.remove_interface_from_router(router, subnet=subnet.id)
        conn.network.delete_router(router.id)
        for port in conn.network.ports(network_id=network.id):
            conn.network.delete_port(port.id)
        conn.network.delete_network(network.id)
        conn.compute.delete_keypair(key.name, ignore_missing=True)


def _run(cloud: IsolatedCloud, candidate: Candidate) -> str:
    """Create and delete one template; what went wrong ("" when nothing did)."""
    service = cloud.service
    project = f"corpus{uuid.uuid4().hex[:6]}"
    stack = candidate.parameters.get("private_net_name", "").removesuffix("-private")
    stack = stack or f"corpus{uuid.uuid4().hex[:6]}"
    args = [a for k, v in candidate.parameters.items() for a in ("--parameter", f"{k}={v}")]
    problem = ""
    try:
        heat_cli(
            service, project, "stack", "create", "-t", str(candidate.path), *args, "--wait", stack
        )
    except AssertionError as error:
        problem = f"create: {str(error).splitlines()[1:3]}"
        listed = heat_cli(service, project, "stack", "list", "-f", "json")
        for row in json.loads(listed):
            if row["Stack Name"] == stack:
                shown = heat_cli(service, project, "stack", "show", stack, "-f", "json")
                problem = f"create: {json.loads(shown)['stack_status_reason']}"
                break
        else:
            return problem
    try:
        heat_cli(service, project, "stack", "delete", "--yes", "--wait", stack)
    except AssertionError as error:
        return problem or f"delete: {error}"
    left = leftovers(stack, conn=cloud.connection())
    return problem or (f"left behind: {left}" if left else "")


def test_corpus_templates_of_cloud_types_create_and_delete(
    isolated_cloud: IsolatedCloud, cloud_values: CloudValues
) -> None:
    found = candidates(cloud_values)
    print(f"\n{len(found)} corpus templates make cloud resources:")
    for candidate in found:
        verdict = "runs" if candidate.qualifies else f"skipped: {candidate.reason}"
        print(f"  {candidate.name}: {verdict}")
    selected = [candidate for candidate in found if candidate.qualifies]
    assert {candidate.name for candidate in selected} >= KNOWN_GOOD

    started = time.monotonic()
    problems: dict[str, str] = {}
    # Servers that name no network go first, while the private network is the project's
    # only one (Nova refuses to guess among several); the rest make networks of their own.
    for group in (
        [c for c in selected if c.needs_sole_network],
        [c for c in selected if not c.needs_sole_network],
    ):
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            outcomes = pool.map(lambda c: (c.name, _run(isolated_cloud, c)), group)
            problems.update({name: problem for name, problem in outcomes if problem})
    print(f"{len(selected)} templates created and deleted in {time.monotonic() - started:.0f} s")
    assert problems == {}, json.dumps(problems, indent=1)
