"""Builds and runs the Temporal worker: our workflows, activities and data converter."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities import faults, ledger
from activities.projection import ProjectionWriter
from activities.resource_actions import in_engine_resource_actions, resource_action
from listings.db import create_engine
from service.settings import Settings, get_settings
from service.temporal import connect, ensure_search_attributes
from workflows import PURE_WORKFLOW_MODULES
from workflows.operation import StackOperationWorkflow
from workflows.stack import StackWorkflow

log = logging.getLogger("heat_temporal.worker")

# Our pure packages are shared with the sandbox rather than re-imported in it: a module the
# template layer imports lazily would otherwise load a second copy inside the sandbox, whose
# classes are not the ones the passed-through modules hold (and it costs import time per run).
SANDBOX_RESTRICTIONS = SandboxRestrictions.default.with_passthrough_modules(
    "templates", "activities", "listings", "yaml", *PURE_WORKFLOW_MODULES
)


def build_worker(client: Client, settings: Settings) -> Worker:
    faults.configure(
        faults.FaultPlan(
            rate=settings.fault_rate,
            kind=settings.fault_kind,
            types=frozenset(settings.fault_types),
            steps=frozenset(settings.fault_steps),
            projection_rate=settings.projection_fault_rate,
        )
    )
    ledger.configure(settings.resource_ledger)
    writer = ProjectionWriter(create_engine(settings.listings_url))
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[StackWorkflow, StackOperationWorkflow],
        activities=[resource_action, in_engine_resource_actions, writer.project],
        # A dead worker's sticky workflows move to another within ~2 s (temporal-notes.md).
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=2),
        max_concurrent_activities=200,
        max_concurrent_local_activities=200,
        workflow_runner=SandboxedWorkflowRunner(restrictions=SANDBOX_RESTRICTIONS),
    )


async def run_worker(settings: Settings) -> None:
    client = await connect(settings.temporal_target, settings.temporal_namespace)
    await ensure_search_attributes(client, settings.temporal_namespace)
    worker = build_worker(client, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("worker polling task queue %s on %s", settings.task_queue, settings.temporal_target)
    async with worker:
        await stop.wait()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    asyncio.run(run_worker(get_settings()))


if __name__ == "__main__":
    main()
