"""Injected faults: transient ones are absorbed by retries, permanent ones roll back leaving
nothing behind, and a listings database that goes down delays the listings, not the stacks."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from activities.ledger import alive
from service.temporal import connect
from tests.conftest import HeatClient, Service, make_service, wait_until
from tests.postgres_server import PostgresServer
from workflows.operation import StackOperationWorkflow

TEST_RESOURCE = "OS::Heat::TestResource"


def service_with(
    monkeypatch: pytest.MonkeyPatch,
    temporal_target: str,
    data_dir: Path,
    database_url: str | None = None,
    **settings: Any,
) -> Service:
    """A worker and API pair with extra HEAT_TEMPORAL_* settings (make_service copies the
    environment when it starts them)."""
    for name, value in settings.items():
        text = value if isinstance(value, str) else json.dumps(value)
        monkeypatch.setenv(f"HEAT_TEMPORAL_{name.upper()}", text)
    return make_service(temporal_target, data_dir, database_url)


def worker_log(service: Service) -> str:
    return "".join(p.read_text() for p in service.logs if p.name.startswith("worker"))


def mixed_template(test_resources: int) -> dict[str, Any]:
    """In-engine types, then a layer of TestResources that need them, then one that needs all."""
    resources: dict[str, Any] = {
        "secret": {"type": "OS::Heat::RandomString", "properties": {"length": 10}},
        "label": {"type": "OS::Heat::Value", "properties": {"value": {"get_resource": "secret"}}},
        **{f"slot{i}": {"type": "OS::Heat::None"} for i in range(3)},
    }
    for i in range(test_resources):
        resources[f"server{i}"] = {
            "type": TEST_RESOURCE,
            "depends_on": ["label", "slot0"],
            "properties": {"value": f"v{i}"},
        }
    resources["last"] = {
        "type": TEST_RESOURCE,
        "depends_on": [f"server{i}" for i in range(test_resources)],
        "properties": {"value": {"get_attr": ["label", "value"]}},
    }
    return {
        "heat_template_version": "2018-08-31",
        "resources": resources,
        "outputs": {"last": {"value": {"get_attr": ["last", "output"]}}},
    }


def delete_and_wait(heat: HeatClient, name: str, stack_id: str) -> None:
    assert heat.delete(f"/stacks/{name}/{stack_id}").status_code == 204
    wait_until(
        lambda: heat.stack(name, stack_id)["stack_status"] == "DELETE_COMPLETE",
        120,
        f"{name} to be deleted",
    )


def test_transient_faults_are_absorbed_by_retries(
    monkeypatch: pytest.MonkeyPatch, temporal_target: str, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    service = service_with(
        monkeypatch,
        temporal_target,
        tmp_path / "svc",
        fault_rate=0.3,
        fault_kind="transient",
        # Every type: the in-engine ones (batched into one local activity) too, whose steps
        # are retried one by one rather than failing their whole batch.
        resource_ledger=str(ledger),
    )
    try:
        heat = HeatClient(service.endpoint(f"faults-{uuid.uuid4().hex[:6]}"))
        name = f"transient{uuid.uuid4().hex[:6]}"
        stack_id = heat.create(name, mixed_template(12))["id"]
        stack = heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=180)
        resources = heat.get(f"/stacks/{name}/{stack_id}/resources").json()["resources"]
        assert {r["resource_status"] for r in resources} == {"CREATE_COMPLETE"}
        assert len(resources) == 18
        # The value flowed RandomString -> Value -> TestResource -> output.
        assert len(stack["outputs"][0]["output_value"]) == 10
        # Retries are invisible to the user: no resource ever shows a failure event.
        events = heat.get(f"/stacks/{name}/{stack_id}/events").json()["events"]
        assert not [e for e in events if e["resource_status"].endswith("FAILED")]
        delete_and_wait(heat, name, stack_id)
        # 26 TestResource steps at 30 %: the faults did strike (P(none) ~ 1e-4).
        assert worker_log(service).count("injected transient fault") >= 1
        assert not [e for e in alive(ledger).values() if e.stack_id == stack_id]
    finally:
        service.stop()


def test_permanent_faults_roll_back_and_leave_nothing_behind(
    monkeypatch: pytest.MonkeyPatch, temporal_target: str, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    service = service_with(
        monkeypatch,
        temporal_target,
        tmp_path / "svc",
        fault_rate=1.0,
        fault_kind="permanent",
        fault_types=[TEST_RESOURCE],
        fault_steps=["create"],
        resource_ledger=str(ledger),
    )
    try:
        heat = HeatClient(service.endpoint(f"faults-{uuid.uuid4().hex[:6]}"))
        name = f"permanent{uuid.uuid4().hex[:6]}"
        stack_id = heat.create(name, mixed_template(2), disable_rollback=False)["id"]
        stack = heat.wait_status(name, stack_id, "ROLLBACK_COMPLETE", deadline=120)
        assert stack["stack_status_reason"] == "Stack ROLLBACK completed successfully"
        events = heat.get(f"/stacks/{name}/{stack_id}/events").json()["events"]
        failed = {
            e["resource_name"]: e["resource_status_reason"]
            for e in events
            if e["resource_status"] == "CREATE_FAILED"
        }
        assert failed.pop(name).startswith("Resource CREATE failed: Error: resources.server")
        # Both servers start together once their needs are met, and both are refused.
        assert failed == {
            f"server{i}": f"Error: resources.server{i}: Injected permanent fault in create"
            for i in range(2)
        }
        # The in-engine resources were made before the fault, and rollback removed them all.
        made = [
            json.loads(line)
            for line in ledger.read_text().splitlines()
            if json.loads(line)["stack_id"] == stack_id
        ]
        assert {m["resource"] for m in made if m["event"] == "created"} >= {
            "secret",
            "label",
            "slot0",
        }
        assert not [e for e in alive(ledger).values() if e.stack_id == stack_id]
        listed = heat.get(f"/stacks/{name}/{stack_id}/resources").json()["resources"]
        assert listed == []
    finally:
        service.stop()


def test_failing_listing_writes_delay_the_listings_not_the_stack(
    monkeypatch: pytest.MonkeyPatch, temporal_target: str, tmp_path: Path
) -> None:
    service = service_with(
        monkeypatch, temporal_target, tmp_path / "svc", projection_fault_rate=0.5
    )
    try:
        heat = HeatClient(service.endpoint(f"faults-{uuid.uuid4().hex[:6]}"))
        name = f"projection{uuid.uuid4().hex[:6]}"
        stack_id = heat.create(name, mixed_template(4))["id"]
        heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=180)
        resources = heat.get(f"/stacks/{name}/{stack_id}/resources").json()["resources"]
        assert sorted(r["resource_status"] for r in resources) == ["CREATE_COMPLETE"] * 10
        assert worker_log(service).count("injected projection fault") >= 1
        delete_and_wait(heat, name, stack_id)
    finally:
        service.stop()


@pytest.fixture
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.remove()


async def operation_state(target: str, workflow_id: str) -> dict[str, str]:
    client = await connect(target, "default")
    state = await client.get_workflow_handle(workflow_id).query(StackOperationWorkflow.state)
    assert state is not None
    return {name: f"{r.action}_{r.status}" for name, r in state.resources.items()}


def test_a_listings_outage_lets_the_operation_finish_and_the_listings_catch_up(
    monkeypatch: pytest.MonkeyPatch,
    temporal_target: str,
    tmp_path: Path,
    postgres_server: PostgresServer,
) -> None:
    service = service_with(monkeypatch, temporal_target, tmp_path / "svc", postgres_server.url)
    try:
        project = f"outage-{uuid.uuid4().hex[:6]}"
        heat = HeatClient(service.endpoint(project))
        name = f"outage{uuid.uuid4().hex[:6]}"
        template = mixed_template(3)
        for i in range(3):
            template["resources"][f"server{i}"]["properties"]["wait_secs"] = 1
        stack_id = heat.create(name, template)["id"]
        operation = f"stack/{project}/{name}/{stack_id}/create-1"
        postgres_server.stop()
        # The API answers in Heat's error body while its database is away, never a traceback.
        down = heat.get(f"/stacks/{name}/{stack_id}")
        assert down.status_code == 503, down.text
        assert down.json()["error"]["type"] == "HTTPServiceUnavailable"
        # The operation goes on: the engine's own state shows every resource done.
        # Slowly: while the projection's local activity retries, the operation's workflow
        # task stays open and new results are only taken at its heartbeat (~24 s with the 30 s
        # task timeout), and a query waits as long (see the proof report).
        wait_until(
            lambda: (
                set(asyncio.run(operation_state(temporal_target, operation)).values())
                == {"CREATE_COMPLETE"}
            ),
            240,
            "the engine to finish every resource while SQL is down",
        )
        postgres_server.start()
        heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=60)
        resources = heat.get(f"/stacks/{name}/{stack_id}/resources").json()["resources"]
        assert sorted(r["resource_status"] for r in resources) == ["CREATE_COMPLETE"] * 9
        delete_and_wait(heat, name, stack_id)
    finally:
        service.stop()
