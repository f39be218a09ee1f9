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

from bench.histories import history_sizes
from bench.scenarios import independent_template
from tests.conftest import make_service
from tests.dev_server import DevServer


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
