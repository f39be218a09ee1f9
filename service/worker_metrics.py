"""The worker's observability: Prometheus metrics and log context, from an activity interceptor.

Every resource step and every projection write is an activity, so an interceptor sees all of
it without a line in workflows/: resource actions (by type, step and outcome), retries (any
attempt after the first), and operations ending (the stack-level COMPLETE/FAILED events in a
projection batch). In-flight stacks are counted from Temporal's visibility, so each worker
reports the cluster-wide number (use max(), not sum(), across workers). The Temporal SDK's
own metrics come from its Runtime, on a port of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from prometheus_client import Counter, Gauge, start_http_server
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from activities.projection import PROJECT
from activities.resource_actions import IN_ENGINE_ACTIONS, RESOURCE_ACTION
from activities.types import ProjectionBatch, ResourceActionRequest, StepOutcome
from service.logging_setup import bind
from service.settings import Settings
from service.startup import StartupError

log = logging.getLogger("heat_temporal.worker")

OPERATIONS = Counter(
    "heat_temporal_operations",
    "Stack operations ended, by operation (CREATE, UPDATE, ...) and outcome (COMPLETE, FAILED)",
    ["operation", "outcome"],
)
RESOURCE_ACTIONS = Counter(
    "heat_temporal_resource_actions",
    "Resource action steps run, by resource type, step and outcome (success, failed, error)",
    ["resource_type", "step", "outcome"],
)
RETRIES = Counter(
    "heat_temporal_activity_retries",
    "Activity attempts after the first, by activity type",
    ["activity"],
)
STACKS_IN_FLIGHT = Gauge(
    "heat_temporal_stacks_in_flight",
    "Stacks with an operation running on this task queue (from Temporal visibility)",
)
IN_FLIGHT_REFRESH_SECS = 5.0
_STACK_TYPE = "OS::Heat::Stack"


def _stack_and_project(args: Any) -> tuple[str | None, str | None]:
    first = args[0] if args else None
    if isinstance(first, list) and first:
        first = first[0]
    if isinstance(first, ResourceActionRequest):
        return first.stack_id, first.project_id
    if isinstance(first, ProjectionBatch):
        project = first.stack.project_id if first.stack else None
        if project is None and first.events:
            project = first.events[0].project_id
        return first.stack_id, project
    return None, None


def _count_operations_ended(batch: ProjectionBatch) -> None:
    for event in batch.events:
        # A stack's own events name the stack itself; a nested stack resource names its child.
        if (
            event.resource_type == _STACK_TYPE
            and event.physical_resource_id == batch.stack_id
            and event.status in ("COMPLETE", "FAILED")
        ):
            OPERATIONS.labels(event.action, event.status).inc()
            log.info(
                "stack %s %s_%s: %s",
                event.resource_name,
                event.action,
                event.status,
                event.status_reason,
            )


def _count_steps(
    requests: list[ResourceActionRequest], outcomes: list[str], reasons: list[str]
) -> None:
    for request, outcome, reason in zip(requests, outcomes, reasons, strict=False):
        RESOURCE_ACTIONS.labels(request.resource_type, request.step, outcome).inc()
        if outcome == "success":
            log.debug("resource %s %s done", request.resource_name, request.step)
        else:
            # One line per failed step, so an operator sees which resource and why.
            log.warning(
                "resource %s (%s) %s %s: %s",
                request.resource_name,
                request.resource_type,
                request.step,
                "failed" if outcome == "failed" else "will be retried",
                reason,
            )


def _failure_outcome(error: BaseException) -> str:
    # A non-retryable ApplicationError is the resource's failure in Heat's words; anything
    # else will be retried by Temporal.
    if isinstance(error, ApplicationError) and error.non_retryable:
        return "failed"
    return "error"


class _ActivityObserver(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        if info.attempt > 1:
            RETRIES.labels(info.activity_type).inc()
        stack_id, project_id = _stack_and_project(input.args)
        with bind(workflow_id=info.workflow_id, stack_id=stack_id, project_id=project_id):
            return await self._observed(info.activity_type, input)

    async def _observed(self, name: str, input: ExecuteActivityInput) -> Any:
        requests: list[ResourceActionRequest] = []
        if name == RESOURCE_ACTION:
            requests = [input.args[0]]
        elif name == IN_ENGINE_ACTIONS:
            requests = list(input.args[0])
        try:
            result = await self.next.execute_activity(input)
        except BaseException as error:
            n = len(requests)
            # An ApplicationError's message is already the reason in Heat's words.
            reason = error.message if isinstance(error, ApplicationError) else repr(error)
            _count_steps(requests, [_failure_outcome(error)] * n, [reason] * n)
            raise
        if name == IN_ENGINE_ACTIONS:
            outcomes: list[StepOutcome] = result
            _count_steps(
                requests,
                ["failed" if o.error else "success" for o in outcomes],
                [o.error or "" for o in outcomes],
            )
        elif requests:
            _count_steps(requests, ["success"], [""])
        elif name == PROJECT:
            _count_operations_ended(input.args[0])
        return result


class WorkerObservability(Interceptor):
    """The worker interceptor: pass it in `Worker(interceptors=[...])`."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _ActivityObserver(next)


def sdk_runtime(settings: Settings) -> Runtime | None:
    """A Temporal Runtime exporting the SDK's own metrics, when a port is configured."""
    if settings.temporal_metrics_port is None:
        return None
    address = f"{settings.metrics_host}:{settings.temporal_metrics_port}"
    try:
        return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=address)))
    except Exception as error:
        raise StartupError(
            f"cannot serve the Temporal SDK's metrics on {address} ({error}); "
            "check HEAT_TEMPORAL_TEMPORAL_METRICS_PORT"
        ) from None


async def _refresh_in_flight(client: Client, task_queue: str) -> None:
    query = (
        f"WorkflowType = 'StackOperation' AND ExecutionStatus = 'Running' "
        f"AND TaskQueue = '{task_queue}'"
    )
    while True:
        try:
            STACKS_IN_FLIGHT.set((await client.count_workflows(query)).count)
        except Exception as error:
            # Visibility being briefly unreachable must not stop the worker.
            log.warning("cannot count in-flight stacks: %s", error)
        await asyncio.sleep(IN_FLIGHT_REFRESH_SECS)


@contextlib.asynccontextmanager
async def serve_metrics(client: Client, settings: Settings) -> Any:
    """Serve /metrics on worker_metrics_port (if set) while the worker runs."""
    if settings.worker_metrics_port is None:
        yield
        return
    try:
        server, thread = start_http_server(settings.worker_metrics_port, settings.metrics_host)
    except OSError as error:
        raise StartupError(
            f"cannot serve the worker's metrics on {settings.metrics_host}:"
            f"{settings.worker_metrics_port} ({error.strerror}); "
            "check HEAT_TEMPORAL_WORKER_METRICS_PORT"
        ) from None
    refresher = asyncio.create_task(_refresh_in_flight(client, settings.task_queue))
    log.info(
        "worker metrics on http://%s:%d/metrics",
        settings.metrics_host,
        settings.worker_metrics_port,
    )
    try:
        yield
    finally:
        refresher.cancel()
        server.shutdown()
        thread.join(timeout=5)
