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
from activities.cloud import use_trusts
from activities.identity import TrustSessions
from activities.projection import ProjectionWriter
from activities.resource_actions import in_engine_resource_actions, resource_action
from listings.db import create_engine
from service.logging_setup import configure as configure_logging
from service.settings import Settings
from service.startup import (
    connect_temporal,
    exit_on_startup_error,
    load_settings,
    require_database,
    safe_url,
)
from service.temporal import ensure_search_attributes
from service.worker_metrics import WorkerObservability, sdk_runtime, serve_metrics
from workflows import PURE_WORKFLOW_MODULES
from workflows.batches import StackBatchWorkflow
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
    trusts = TrustSessions(settings.keystone_authtoken)
    # Cloud resource actions of a stack with a trust act through it (activities/cloud.py).
    use_trusts(trusts)
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[StackWorkflow, StackOperationWorkflow, StackBatchWorkflow],
        activities=[
            resource_action,
            in_engine_resource_actions,
            writer.project,
            trusts.delete_trust,
        ],
        # A dead worker's sticky workflows move to another within ~2 s (temporal-notes.md).
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=2),
        max_concurrent_activities=200,
        max_concurrent_local_activities=200,
        workflow_runner=SandboxedWorkflowRunner(restrictions=SANDBOX_RESTRICTIONS),
        interceptors=[WorkerObservability()],
    )


async def run_worker(settings: Settings) -> None:
    client = await connect_temporal(settings, sdk_runtime(settings))
    probe = create_engine(settings.listings_url)
    try:
        await require_database(probe, settings)
    finally:
        await probe.dispose()
    await ensure_search_attributes(client, settings.temporal_namespace)
    worker = build_worker(client, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info(
        "worker polling task queue %s on %s, listings at %s",
        settings.task_queue,
        settings.temporal_target,
        safe_url(settings.listings_url),
    )
    async with serve_metrics(client, settings), worker:
        await stop.wait()


def main() -> None:
    settings = load_settings()
    configure_logging("worker", settings.log_level, settings.log_format)
    asyncio.run(run_worker(settings))


if __name__ == "__main__":
    exit_on_startup_error(main)
