"""Group scenario: one ResourceGroup of N members (default 5,000 OS::Heat::None) created, resized to
half and back (updates that delete and create members) and deleted on our service alone,
reporting each phase's time and the largest workflow history (events, bytes) so far.

    python -m bench.group_limits [--members 5000] [--deadline 900]

Starts its own dev server, worker and API in a scratch folder (as bench.limits does) and
prints a JSON report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from bench.limits import history_sizes
from tests.conftest import make_service
from tests.dev_server import DevServer


def group_template(members: int, member_type: str = "OS::Heat::None") -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "group": {
                "type": "OS::Heat::ResourceGroup",
                "properties": {"count": members, "resource_def": {"type": member_type}},
            }
        },
        "outputs": {"size": {"value": {"length": {"get_attr": ["group", "refs"]}}}},
    }


def _wait(url: str, deadline_secs: float) -> str:
    started = time.monotonic()
    status = "IN_PROGRESS"
    while time.monotonic() - started < deadline_secs:
        response = requests.get(url, timeout=30)
        if response.status_code == 404:
            return "DELETE_COMPLETE"
        status = response.json()["stack"]["stack_status"]
        if not status.endswith("IN_PROGRESS"):
            return status
        time.sleep(0.5)
    return status


def run(members: int, deadline_secs: float, member_type: str) -> dict[str, Any]:
    project = "grouplimits"
    report: dict[str, Any] = {"members": members, "member_type": member_type}
    with tempfile.TemporaryDirectory(prefix="heat-temporal-group-") as scratch:
        server = DevServer()
        server.start()
        service = make_service(server.target, Path(scratch) / "service")
        try:
            endpoint = service.endpoint(project)
            phases: list[tuple[str, str, dict[str, Any] | None]] = [
                (
                    "create",
                    "post",
                    {"stack_name": "big", "template": group_template(members, member_type)},
                ),
                ("shrink", "put", {"template": group_template(members // 2, member_type)}),
                ("grow", "put", {"template": group_template(members, member_type)}),
                ("delete", "delete", None),
            ]
            stack_url = ""
            for phase, method, body in phases:
                started = time.monotonic()
                url = stack_url or endpoint + "/stacks"
                response = requests.request(method, url, json=body, timeout=120)
                if response.status_code >= 300:
                    report[f"{phase}_error"] = f"{response.status_code} {response.text[:300]}"
                    break
                if phase == "create":
                    stack_url = f"{endpoint}/stacks/big/{response.json()['stack']['id']}"
                status = _wait(stack_url, deadline_secs)
                report[f"{phase}_s"] = round(time.monotonic() - started, 1)
                report[f"{phase}_status"] = status
                if phase != "delete":
                    report[f"{phase}_largest"] = asyncio.run(history_sizes(server.target, project))
            report["largest_after_all"] = asyncio.run(history_sizes(server.target, project))
        finally:
            service.stop()
            server.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--deadline", type=float, default=900.0)
    parser.add_argument(
        "--member-type",
        default="OS::Heat::None",
        help="OS::Heat::None (in-engine) or OS::Heat::TestResource (one activity per step, "
        "as a cloud resource's)",
    )
    args = parser.parse_args(argv)
    report = run(args.members, args.deadline, args.member_type)
    print(json.dumps(report, indent=2))
    return 0 if report.get("delete_status") == "DELETE_COMPLETE" else 1


if __name__ == "__main__":
    sys.exit(main())
