"""Health probes and Prometheus metrics of a real API and worker, scraped after real stacks run."""

from __future__ import annotations

import uuid

import requests

from tests.conftest import wait_until
from tests.ops.conftest import OpsService, sample, scrape


def _template(resources: dict[str, dict[str, object]]) -> dict[str, object]:
    return {"heat_template_version": "2018-08-31", "resources": resources}


def test_healthz_answers_and_readyz_reports_temporal_and_database_reachable(
    ops_service: OpsService,
) -> None:
    url = ops_service.service.url
    health = requests.get(f"{url}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    ready = requests.get(f"{url}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "checks": {"temporal": "ok", "database": "ok"}}


def test_api_metrics_count_requests_by_route_template_and_status(ops_service: OpsService) -> None:
    project = f"p-{uuid.uuid4().hex[:8]}"
    heat = ops_service.heat(project)
    before = scrape(f"{ops_service.service.url}/metrics")
    name = f"m-{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template({"a": {"type": "OS::Heat::None"}}))
    # Let it finish, so the worker's counters are still when the next test reads them.
    heat.wait_status(name, stack["id"], "CREATE_COMPLETE")
    assert heat.get("/stacks/no-such-stack").status_code == 404
    after = scrape(f"{ops_service.service.url}/metrics")
    requests_total = "heat_temporal_api_requests_total"
    created = {"method": "POST", "route": "/v1/{tenant}/stacks", "status": "201"}
    assert sample(after, requests_total, **created) == sample(before, requests_total, **created) + 1
    missing = {"method": "GET", "route": "/v1/{tenant}/stacks/{identity}", "status": "404"}
    assert sample(after, requests_total, **missing) == sample(before, requests_total, **missing) + 1
    # The project and stack are in the URL, never in a label: one series per route template.
    assert not any(project in str(labels) or stack["id"] in str(labels) for _, labels in after)
    duration = "heat_temporal_api_request_duration_seconds_count"
    assert sample(after, duration, method="POST", route="/v1/{tenant}/stacks") >= 1


def test_worker_metrics_count_operations_resource_actions_and_in_flight_stacks(
    ops_service: OpsService,
) -> None:
    heat = ops_service.heat(f"p-{uuid.uuid4().hex[:8]}")
    url = ops_service.worker_metrics_url
    before = scrape(url)
    slow_name, bad_name = f"slow-{uuid.uuid4().hex[:6]}", f"bad-{uuid.uuid4().hex[:6]}"
    slow = heat.create(
        slow_name,
        _template(
            {
                "slow": {
                    "type": "OS::Heat::TestResource",
                    "properties": {"action_wait_secs": {"create": 8}},
                },
                "cheap": {"type": "OS::Heat::None"},
            }
        ),
    )
    # While the slow create runs, the worker reports it in flight (refreshed every few seconds).
    wait_until(
        lambda: sample(scrape(url), "heat_temporal_stacks_in_flight") >= 1,
        20,
        "the slow stack to be counted in flight",
    )
    heat.wait_status(slow_name, slow["id"], "CREATE_COMPLETE", deadline=60)
    failing = heat.create(
        bad_name,
        _template({"bad": {"type": "OS::Heat::TestResource", "properties": {"fail": True}}}),
    )
    heat.wait_status(bad_name, failing["id"], "CREATE_FAILED", deadline=60)
    wait_until(
        lambda: sample(scrape(url), "heat_temporal_stacks_in_flight") == 0,
        20,
        "no stack in flight once both operations ended",
    )
    after = scrape(url)

    def grew(name: str, by: float, **labels: str) -> bool:
        growth = sample(after, name, **labels) - sample(before, name, **labels)
        assert growth == by, f"{name} {labels} grew by {growth}, not {by}"
        return True

    operations = "heat_temporal_operations_total"
    assert grew(operations, 1, operation="CREATE", outcome="COMPLETE")
    assert grew(operations, 1, operation="CREATE", outcome="FAILED")
    actions = "heat_temporal_resource_actions_total"
    test_type = "OS::Heat::TestResource"
    # The slow create: a create step, then check steps after durable timers, all succeeding.
    assert grew(actions, 1, resource_type=test_type, step="create", outcome="success")
    checks = {"resource_type": test_type, "step": "check_create", "outcome": "success"}
    assert sample(after, actions, **checks) - sample(before, actions, **checks) >= 1
    assert grew(actions, 1, resource_type=test_type, step="create", outcome="failed")
    # In-engine types run in batched local activities and are counted one by one.
    assert grew(actions, 1, resource_type="OS::Heat::None", step="create", outcome="success")


def test_the_temporal_sdk_exports_its_own_metrics(ops_service: OpsService) -> None:
    heat = ops_service.heat(f"p-{uuid.uuid4().hex[:8]}")
    name = f"sdk-{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template({"a": {"type": "OS::Heat::None"}}))
    heat.wait_status(name, stack["id"], "CREATE_COMPLETE")
    samples = scrape(ops_service.sdk_metrics_url)
    names = {name for name, _ in samples}
    task_queue = ops_service.service.env["HEAT_TEMPORAL_TASK_QUEUE"]
    completed = [
        value
        for (name, labels), value in samples.items()
        if name.startswith("temporal_workflow_task_execution_latency")
        and ("task_queue", task_queue) in labels
    ]
    assert completed, sorted(names)[:40]
    assert any(name.startswith("temporal_activity_execution_latency") for name in names)
