"""A service with every operator feature on: JSON logs, worker and Temporal SDK metrics ports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import HeatClient, Service, free_port, make_service, wait_for_port


class OpsService:
    """The running service, with the ports of its metrics and the paths of its logs."""

    def __init__(self, service: Service, worker_metrics: int, sdk_metrics: int) -> None:
        self.service = service
        self.worker_metrics_url = f"http://127.0.0.1:{worker_metrics}/metrics"
        self.sdk_metrics_url = f"http://127.0.0.1:{sdk_metrics}/metrics"

    def heat(self, project: str) -> HeatClient:
        return HeatClient(self.service.endpoint(project))

    def log_lines(self, process: str) -> list[dict[str, Any]]:
        """Every line the given process ("api" or "worker") wrote, each parsed as JSON."""
        lines = []
        for path in self.service.logs:
            if path.name.startswith(process):
                for line in path.read_text().splitlines():
                    if line.strip():
                        lines.append(json.loads(line))
        return lines

    def all_log_text(self) -> str:
        return "\n".join(p.read_text() for p in self.service.logs)


def scrape(url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """A /metrics page as {(sample name, labels): value}."""
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200, answer.text
    samples = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def sample(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture(scope="session")
def ops_service(
    temporal_target: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OpsService]:
    data_dir: Path = tmp_path_factory.mktemp("ops-service")
    worker_metrics, sdk_metrics = free_port(), free_port()
    extra = {
        "HEAT_TEMPORAL_LOG_FORMAT": "json",
        "HEAT_TEMPORAL_WORKER_METRICS_PORT": str(worker_metrics),
        "HEAT_TEMPORAL_TEMPORAL_METRICS_PORT": str(sdk_metrics),
    }
    service = make_service(temporal_target, data_dir, extra_env=extra)
    # The API listens first; the worker serves its metrics once it polls.
    wait_for_port(worker_metrics)
    try:
        yield OpsService(service, worker_metrics, sdk_metrics)
    finally:
        service.stop()
