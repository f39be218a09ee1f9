"""Builds and runs the Temporal worker: our workflows, activities and data converter."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker

from activities.projection import ProjectionWriter
from activities.resource_actions import resource_action
from listings.db import create_engine
from service.settings import Settings, get_settings
from service.temporal import connect, ensure_search_attributes
from workflows.operation import StackOperationWorkflow
from workflows.stack import StackWorkflow

log = logging.getLogger("heat_temporal.worker")


def build_worker(client: Client, settings: Settings) -> Worker:
    writer = ProjectionWriter(create_engine(settings.listings_url))
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[StackWorkflow, StackOperationWorkflow],
        activities=[resource_action, writer.project],
        # A dead worker's sticky workflows move to another within ~2 s (temporal-notes.md).
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=2),
        max_concurrent_activities=200,
        max_concurrent_local_activities=200,
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
