"""docker-compose.yml's topology without Docker: one Temporal, one PostgreSQL, the migrate job,
2 API and 2 worker processes sharing deploy/heat-temporal.toml; either API serves any stack."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import REPO, HeatClient, Service, free_port, wait_for_port, wait_until
from tests.ops.conftest import sample, scrape

SETTINGS_FILE = REPO / "deploy" / "heat-temporal.toml"
PASSWORD = f"hunter2-{uuid.uuid4().hex[:6]}"


class Topology:
    def __init__(self, apis: list[Service], worker_metrics: list[str]) -> None:
        self.apis = apis
        self.worker_metrics = worker_metrics

    def heat(self, replica: int, project: str) -> HeatClient:
        return HeatClient(self.apis[replica].endpoint(project))

    def all_logs(self) -> str:
        return "\n".join(p.read_text() for api in self.apis for p in api.logs)


def _database(server: str) -> str:
    """A database of its own on the shared PostgreSQL, reached with a password in its URL."""
    name = f"topology_{uuid.uuid4().hex[:8]}"

    async def create() -> None:
        engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f"CREATE DATABASE {name}"))
        await engine.dispose()

    asyncio.run(create())
    # The fixture's server trusts loopback, so any password works; it must never be logged.
    return server.replace("://heat@", f"://heat:{PASSWORD}@").rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="module")
def topology(
    temporal_target: str, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Topology]:
    data_dir: Path = tmp_path_factory.mktemp("topology")
    # What the compose file's shared settings give every container, with the addresses of here
    # (the environment overrides the file, as in the compose file's documentation).
    shared = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HEAT_TEMPORAL_SETTINGS_FILE": str(SETTINGS_FILE),
        "HEAT_TEMPORAL_TEMPORAL_ADDRESS": temporal_target,
        "HEAT_TEMPORAL_DATABASE_URL": _database(postgres_url),
        "HEAT_TEMPORAL_TASK_QUEUE": f"topology-{uuid.uuid4().hex[:8]}",
        "HEAT_TEMPORAL_API_HOST": "127.0.0.1",
        "HEAT_TEMPORAL_METRICS_HOST": "127.0.0.1",
        "HEAT_TEMPORAL_DATA_DIR": str(data_dir),
    }
    # The compose file's one-shot migrate job, by the same command.
    migrate = subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate"],
        env=shared,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    assert PASSWORD not in migrate.stdout + migrate.stderr
    replicas: list[Service] = []
    metrics: list[str] = []
    try:
        for replica_number in range(2):
            api_port, worker_port, sdk_port = free_port(), free_port(), free_port()
            replica_dir = data_dir / f"replica-{replica_number}"
            replica_dir.mkdir()
            env = {
                **shared,
                # Each replica's log files in a folder of its own.
                "HEAT_TEMPORAL_DATA_DIR": str(replica_dir),
                "HEAT_TEMPORAL_API_PORT": str(api_port),
                "HEAT_TEMPORAL_WORKER_METRICS_PORT": str(worker_port),
                "HEAT_TEMPORAL_TEMPORAL_METRICS_PORT": str(sdk_port),
            }
            replica = Service(
                env=env, api_port=api_port, database_url=env["HEAT_TEMPORAL_DATABASE_URL"]
            )
            replicas.append(replica)
            replica.start_worker()
            replica.start_api()
            wait_for_port(worker_port)
            metrics.append(f"http://127.0.0.1:{worker_port}/metrics")
        yield Topology(replicas, metrics)
    finally:
        for replica in replicas:
            replica.stop()


def test_every_replica_is_ready(topology: Topology) -> None:
    for api in topology.apis:
        ready = requests.get(f"{api.url}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
    for url in topology.worker_metrics:
        assert requests.get(url, timeout=10).status_code == 200


def test_a_stack_created_through_one_api_is_served_by_the_other(topology: Topology) -> None:
    project = f"scale-{uuid.uuid4().hex[:8]}"
    first, second = topology.heat(0, project), topology.heat(1, project)
    name = f"spread-{uuid.uuid4().hex[:6]}"
    resources = {
        f"r{i}": {"type": "OS::Heat::TestResource", "properties": {"value": f"v{i}"}}
        for i in range(6)
    }
    template = {
        "heat_template_version": "2018-08-31",
        "resources": resources,
        "outputs": {"r0": {"value": {"get_attr": ["r0", "output"]}}},
    }
    stack_id = first.create(name, template)["id"]
    stack = second.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=90)
    assert [(o["output_key"], o["output_value"]) for o in stack["outputs"]] == [("r0", "v0")]
    listed = second.get(f"/stacks/{name}/{stack_id}/resources").json()["resources"]
    assert sorted(r["resource_name"] for r in listed) == sorted(resources)
    assert all(r["resource_status"] == "CREATE_COMPLETE" for r in listed)
    # The other API can act on it too: delete through the second, seen by the first.
    assert second.delete(f"/stacks/{name}/{stack_id}").status_code == 204
    wait_until(
        lambda: (
            first.get(f"/stacks/{name}/{stack_id}").json()["stack"]["stack_status"]
            == "DELETE_COMPLETE"
        ),
        90,
        "the delete, seen through the first API",
    )
    # Both workers poll the one task queue; between them they ran every resource step.
    steps = sum(
        sample(
            scrape(url),
            "heat_temporal_resource_actions_total",
            resource_type="OS::Heat::TestResource",
            step="create",
            outcome="success",
        )
        for url in topology.worker_metrics
    )
    assert steps == len(resources)


def test_no_process_of_the_topology_logs_the_database_password(topology: Topology) -> None:
    logs = topology.all_logs()
    assert "listings at postgresql+asyncpg://heat:***@" in logs
    assert PASSWORD not in logs
