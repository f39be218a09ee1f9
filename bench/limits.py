"""Limits scenario: one flat stack of N OS::Heat::None (default 5,000) on our service alone,
reporting create time, outcome, and the largest workflow history and payload it produced.

    python -m bench.limits [--resources 5000] [--deadline 600]

It starts its own dev server, worker and API (max_resources_per_stack lifted to -1) in a
scratch folder, and prints a JSON report. Temporal refuses any single payload over 2 MB and
warns at 512 KB; its history limits are 50 MB and 51,200 events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from temporalio.api.enums.v1 import EventType

from bench.scenarios import independent_template
from service.temporal import connect
from tests.conftest import make_service
from tests.dev_server import DevServer


async def history_sizes(target: str, project: str) -> dict[str, Any]:
    """The largest history (bytes, events) and the largest single payload of the project."""
    client = await connect(target, "default")
    largest: dict[str, Any] = {"history_bytes": 0, "history_events": 0, "payload_bytes": 0}
    async for run in client.list_workflows(f'ProjectId = "{project}"'):
        history = await client.get_workflow_handle(run.id, run_id=run.run_id).fetch_history()
        size = sum(event.ByteSize() for event in history.events)
        if size > largest["history_bytes"]:
            largest.update(history_bytes=size, history_workflow=run.id)
        largest["history_events"] = max(largest["history_events"], len(history.events))
        for event in history.events:
            for payload_size in _payload_sizes(event):
                if payload_size > largest["payload_bytes"]:
                    largest.update(
                        payload_bytes=payload_size,
                        payload_event=EventType.Name(event.event_type),
                        payload_workflow=run.id,
                    )
    return largest


def _payload_sizes(message: Any) -> list[int]:
    """Sizes of every Payload inside a protobuf message, however deep."""
    sizes = []
    for _field, value in message.ListFields():
        if hasattr(value, "ListFields"):
            values = [value]
        elif isinstance(value, str | bytes | int | float | bool):
            continue
        elif hasattr(value, "values") and callable(value.values):
            values = list(value.values())  # a map field, e.g. search attributes
        else:
            values = list(value)  # a repeated field
        for item in values:
            if not hasattr(item, "ListFields"):
                continue
            if type(item).__name__ == "Payload":
                sizes.append(item.ByteSize())
            else:
                sizes.extend(_payload_sizes(item))
    return sizes


def worker_payload_errors(log_dir: Path) -> list[str]:
    lines = []
    for log in sorted(log_dir.glob("worker-*.log")):
        lines += [line for line in log.read_text().splitlines() if "PayloadLimitViolation" in line]
    return lines


def run(resources: int, deadline_secs: float) -> dict[str, Any]:
    project = "limits"
    report: dict[str, Any] = {"resources": resources}
    with tempfile.TemporaryDirectory(prefix="heat-temporal-limits-") as scratch:
        server = DevServer()
        server.start()
        os.environ["HEAT_TEMPORAL_MAX_RESOURCES_PER_STACK"] = "-1"
        os.environ["HEAT_TEMPORAL_MAX_STACK_STATE_BYTES"] = str(64 * 1024 * 1024)
        service = make_service(server.target, Path(scratch) / "service")
        try:
            endpoint = service.endpoint(project)
            started = time.monotonic()
            body: dict[str, Any] = {
                "stack_name": "flat",
                "template": independent_template(resources),
            }
            created = requests.post(endpoint + "/stacks", json=body, timeout=120)
            report["create_http_status"] = created.status_code
            if created.status_code != 201:
                report["error"] = created.text[:500]
                return report
            stack_id = created.json()["stack"]["id"]
            status = "CREATE_IN_PROGRESS"
            while time.monotonic() - started < deadline_secs:
                stack = requests.get(f"{endpoint}/stacks/flat/{stack_id}", timeout=30).json()
                status = stack["stack"]["stack_status"]
                if not status.endswith("IN_PROGRESS"):
                    break
                time.sleep(1)
            report["status"] = status
            report["create_s"] = round(time.monotonic() - started, 1)
            report.update(asyncio.run(history_sizes(server.target, project)))
            errors = worker_payload_errors(Path(scratch) / "service")
            report["payload_limit_violations"] = len(errors)
            if errors:
                report["first_violation"] = errors[0][-300:]
        finally:
            service.stop()
            server.stop()
            for name in ("MAX_RESOURCES_PER_STACK", "MAX_STACK_STATE_BYTES"):
                os.environ.pop(f"HEAT_TEMPORAL_{name}", None)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--deadline", type=float, default=600.0)
    args = parser.parse_args(argv)
    report = run(args.resources, args.deadline)
    print(json.dumps(report, indent=2))
    return 0 if report.get("status") == "CREATE_COMPLETE" else 1


if __name__ == "__main__":
    sys.exit(main())
