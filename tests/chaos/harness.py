"""`make chaos`: stacks created, updated and deleted while the worker, the API and the Temporal
dev server are killed with -9 at random moments and restarted; then every promise is checked.

    python -m tests.chaos.harness --rounds 3 --stacks 12 --kills 8 --seed 1 [--cloud 3]

With `--cloud N`, N stacks per round also hold a network, subnet, port, server and volume in
the minicloud (../shared/minicloud, its clouds.yaml in OS_CLIENT_CONFIG_FILE or
/tmp/minicloud/clouds.yaml); leaks and duplicates are then also counted in Nova, Neutron and
Cinder themselves, and every cloud stack still alive at the end is deleted.

Everything runs on loopback in a scratch folder: a persistent dev server (SQLite file, so it can
restart), SQLite listings, one worker and one API. The report (JSON on stdout) gives rounds,
kills, and the counts that must be zero: stacks not in the state their last accepted operation
leads to, leaked and duplicated physical resources (from the worker's resource ledger), and
drift between the listings (SQL, through the API) and the engine's state (workflow queries).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
from temporalio.client import Client
from temporalio.service import RPCError

from activities.ledger import alive
from service.temporal import connect
from tests.chaos.cloud_check import CloudCheck
from tests.chaos.workload import CLOUD, Driver, StackPlan
from tests.conftest import Service, make_service
from tests.dev_server import DevServer
from workflows import ids
from workflows.stack import StackWorkflow
from workflows.types import StackState

VICTIMS = ("worker", "api", "temporal")


@dataclass
class ChaosReport:
    rounds: int = 0
    stacks: int = 0
    operations_accepted: int = 0
    kills: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VICTIMS, 0))
    wrong_state: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    request_errors: list[str] = field(default_factory=list)
    # Cloud resources still there after the live cloud stacks were deleted at the end.
    leftovers: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return not (
            self.wrong_state
            or self.leaked
            or self.duplicated
            or self.drift
            or self.request_errors
            or self.leftovers
        )

    def summary(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "wrong_state": len(self.wrong_state),
            "leaked": len(self.leaked),
            "duplicated": len(self.duplicated),
            "drift": len(self.drift),
            "leftovers": len(self.leftovers),
            "details": {
                "wrong_state": self.wrong_state[:20],
                "leaked": self.leaked[:20],
                "duplicated": self.duplicated[:20],
                "drift": self.drift[:20],
                "request_errors": self.request_errors[:20],
                "leftovers": self.leftovers[:20],
            },
            "request_errors": len(self.request_errors),
        }


class Chaos:
    """Kills one of the three processes at random moments and brings it back."""

    def __init__(
        self, server: DevServer, service: Service, rng: random.Random, report: ChaosReport
    ) -> None:
        self.server = server
        self.service = service
        self.rng = rng
        self.report = report
        self.lock = threading.Lock()

    def strike(self, victim: str) -> None:
        with self.lock:
            if victim == "worker":
                self.service.kill_worker()
                time.sleep(self.rng.uniform(0.2, 1.5))
                self.service.start_worker()
            elif victim == "api":
                assert self.service.api is not None
                self.service.api.kill()
                self.service.api.wait(timeout=10)
                time.sleep(self.rng.uniform(0.2, 1.5))
                self.service.start_api()
            else:
                self.server.kill()
                time.sleep(self.rng.uniform(0.2, 1.5))
                self.server.start()
            self.report.kills[victim] += 1

    def run(self, stop: threading.Event, kills: int, spacing: tuple[float, float]) -> None:
        # Each victim at least once when the budget allows, then at random.
        order = list(VICTIMS) if kills >= len(VICTIMS) else []
        self.rng.shuffle(order)
        for n in range(kills):
            if stop.wait(self.rng.uniform(*spacing)):
                return
            self.strike(order[n] if n < len(order) else self.rng.choice(VICTIMS))


def run_round(
    service: Service,
    server: DevServer,
    args: argparse.Namespace,
    rng: random.Random,
    report: ChaosReport,
    project: str,
) -> list[StackPlan]:
    plans = [
        StackPlan(name=f"chaos{uuid.uuid4().hex[:6]}", kind=i % 4, delete=rng.random() < 0.5)
        for i in range(args.stacks)
    ] + [
        StackPlan(
            name=f"chaos{uuid.uuid4().hex[:6]}",
            kind=CLOUD,
            delete=rng.random() < 0.5,
            cidr=f"10.99.{i}.0/24",
        )
        for i in range(getattr(args, "cloud", 0))
    ]
    chaos = Chaos(server, service, rng, report)
    stop = threading.Event()
    killer = threading.Thread(
        target=chaos.run, args=(stop, args.kills, (args.min_gap, args.max_gap)), daemon=True
    )
    killer.start()
    endpoint = service.endpoint(project)
    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        list(pool.map(lambda p: Driver(endpoint, args.deadline).run(p), plans))
    stop.set()
    killer.join()
    return plans


# -- verification -------------------------------------------------------------------------


async def engine_states(target: str, project: str, plans: list[StackPlan]) -> dict[str, Any]:
    """Each stack's authoritative state: a query on a live entity, the result of an ended one."""
    client = await _connect_when_up(target)
    states: dict[str, Any] = {}
    for plan in plans:
        handle = client.get_workflow_handle_for(
            StackWorkflow.run, ids.entity_workflow_id(project, plan.name)
        )
        try:
            description = await handle.describe()
            if description.status is not None and description.status.name == "RUNNING":
                states[plan.name] = await handle.query(StackWorkflow.state)
            else:
                states[plan.name] = await handle.result()
        except RPCError as error:
            states[plan.name] = f"no entity: {error.message}"
    return states


async def _connect_when_up(target: str) -> Client:
    return await connect(target, "default", deadline_secs=60)


def listed(service: Service, project: str, plan: StackPlan) -> tuple[dict, list[dict]] | None:
    base = f"{service.endpoint(project)}/stacks/{plan.name}/{plan.stack_id}"
    headers = {"X-Auth-Token": "chaos"}
    stack = requests.get(base, headers=headers, timeout=30)
    if stack.status_code != 200:
        return None
    resources = requests.get(base + "/resources", headers=headers, timeout=30)
    return stack.json()["stack"], resources.json().get("resources", [])


def verify(
    service: Service,
    server: DevServer,
    project: str,
    plans: list[StackPlan],
    ledger: Path,
    report: ChaosReport,
    live_ids: dict[str, set[str]],
) -> None:
    """Check this round's stacks; `live_ids` (physical ids per live stack id) accumulates over
    rounds, because the ledger holds the resources of every earlier round's live stacks too."""
    states = asyncio.run(engine_states(server.target, project, plans))
    for plan in plans:
        report.request_errors += [f"{plan.name}: {e}" for e in plan.errors]
        state = states[plan.name]
        if not isinstance(state, StackState):
            report.wrong_state.append(f"{plan.name}: {state}")
            continue
        engine_status = f"{state.action}_{state.status}"
        if engine_status != plan.expected_status:
            report.wrong_state.append(
                f"{plan.name}: engine {engine_status}, expected {plan.expected_status} "
                f"({state.status_reason})"
            )
        if engine_status != "DELETE_COMPLETE":
            marker = [o.get("output_value") for o in state.outputs if o["output_key"] == "marker"]
            if marker != [plan.expected_marker]:
                report.wrong_state.append(
                    f"{plan.name}: output {marker}, not {plan.expected_marker}"
                )
            live_ids[state.stack_id] = {r.physical_id for r in state.resources.values()}
        shown = listed(service, project, plan)
        if shown is None:
            report.drift.append(f"{plan.name}: not in the listings")
            continue
        stack_row, resource_rows = shown
        if stack_row["stack_status"] != engine_status:
            report.drift.append(
                f"{plan.name}: listed {stack_row['stack_status']}, engine {engine_status}"
            )
        engine_resources = (
            {}
            if engine_status == "DELETE_COMPLETE"
            else {n: (f"{r.action}_{r.status}", r.physical_id) for n, r in state.resources.items()}
        )
        listed_resources = {
            r["resource_name"]: (r["resource_status"], r["physical_resource_id"])
            for r in resource_rows
        }
        if listed_resources != engine_resources:
            report.drift.append(
                f"{plan.name}: resources listed {listed_resources}, engine {engine_resources}"
            )
    living = alive(ledger)
    owners: Counter[tuple[str, str]] = Counter()
    for entry in living.values():
        if entry.physical_id not in live_ids.get(entry.stack_id, set()):
            report.leaked.append(f"{entry.type} {entry.physical_id} ({entry.resource})")
        owners[(entry.stack_id, entry.resource)] += 1
    report.duplicated += [f"{s}/{r}: {n}" for (s, r), n in owners.items() if n > 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stacks", type=int, default=12, help="stacks per round")
    parser.add_argument("--kills", type=int, default=6, help="kills per round")
    parser.add_argument("--min-gap", type=float, default=1.0, help="seconds between kills, min")
    parser.add_argument("--max-gap", type=float, default=5.0, help="seconds between kills, max")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds per stack")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--cloud", type=int, default=0, help="stacks per round with minicloud resources"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep logs and data here")
    args = parser.parse_args(argv)
    report = run(args)
    print(json.dumps(report.summary(), indent=2))
    return 0 if report.clean else 1


def run(args: argparse.Namespace) -> ChaosReport:
    rng = random.Random(args.seed)
    report = ChaosReport()
    started = time.monotonic()
    keep = getattr(args, "keep", None)
    with tempfile.TemporaryDirectory(prefix="heat-temporal-chaos-") as scratch:
        root = Path(keep or scratch)
        root.mkdir(parents=True, exist_ok=True)
        ledger = root / "ledger.jsonl"
        server = DevServer(db_file=root / "temporal.db", log_file=root / "temporal.log")
        server.start()
        cloud = CloudCheck() if getattr(args, "cloud", 0) else None
        service = _service(server, root, ledger, cloud)
        live_ids: dict[str, set[str]] = {}
        cloud_stacks: list[tuple[str, StackPlan]] = []
        try:
            for n in range(args.rounds):
                project = f"chaos-{n}-{uuid.uuid4().hex[:6]}"
                plans = run_round(service, server, args, rng, report, project)
                report.rounds += 1
                report.stacks += len(plans)
                report.operations_accepted += sum(len(p.accepted) for p in plans)
                verify(service, server, project, plans, ledger, report, live_ids)
                cloud_stacks += [(project, p) for p in plans if p.kind == CLOUD]
            if cloud is not None:
                names = {plan.name for _, plan in cloud_stacks}
                cloud.verify(names, live_ids, report.leaked, report.duplicated)
                # The minicloud is shared: what the live stacks hold goes, through their delete.
                report.leftovers = cloud.clean_up(service, cloud_stacks)
        finally:
            service.stop()
            server.stop()
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _service(server: DevServer, root: Path, ledger: Path, cloud: CloudCheck | None) -> Service:
    import os

    os.environ["HEAT_TEMPORAL_RESOURCE_LEDGER"] = str(ledger)
    try:
        extra = cloud.service_env() if cloud is not None else None
        return make_service(server.target, root / "service", extra_env=extra)
    finally:
        del os.environ["HEAT_TEMPORAL_RESOURCE_LEDGER"]


if __name__ == "__main__":
    sys.exit(main())
