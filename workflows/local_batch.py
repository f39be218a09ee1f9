"""Gathers the in-engine resource steps that become ready together into one local activity."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.resource_actions import IN_ENGINE_ACTIONS
    from activities.types import ActionResult, ResourceActionRequest, StepOutcome

_LOCAL_RETRY = RetryPolicy(maximum_attempts=5, initial_interval=timedelta(milliseconds=100))
# A step that failed transiently is sent again in a later batch, on its own: one step's
# trouble must not fail its neighbours, and the batch as a whole is not retried for it.
_TRANSIENT_ATTEMPTS = 10
_TRANSIENT_MAX_BACKOFF_SECS = 30.0


class StepFailed(Exception):
    """An in-engine step's user error, in Heat's words."""


class InEngineBatcher:
    """Steps submitted while the workflow runs one activation go out as one local activity.

    Each activity round costs the worker an activation (payload conversion, sandbox entry);
    a wave of a hundred cheap resources then costs one round instead of a hundred.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[ResourceActionRequest, asyncio.Future[StepOutcome]]] = []
        self._flushes: set[asyncio.Task[None]] = set()

    async def submit(self, request: ResourceActionRequest) -> ActionResult:
        """The step's result; StepFailed with its user error, or after repeated transient
        failures (retried with backoff on durable timers)."""
        outcome = await self._submit_once(request)
        attempt = 1
        while outcome.transient and attempt < _TRANSIENT_ATTEMPTS:
            backoff = min(0.5 * 2 ** (attempt - 1), _TRANSIENT_MAX_BACKOFF_SECS)
            await workflow.sleep(timedelta(seconds=backoff))
            outcome = await self._submit_once(request)
            attempt += 1
        if outcome.result is not None:
            return outcome.result
        raise StepFailed(outcome.error or "Error")

    async def _submit_once(self, request: ResourceActionRequest) -> StepOutcome:
        future: asyncio.Future[StepOutcome] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if len(self._pending) == 1:
            task = asyncio.create_task(self._flush())
            self._flushes.add(task)
            task.add_done_callback(self._flushes.discard)
        return await future

    async def _flush(self) -> None:
        # Yield once, so every step that becomes ready in this activation joins the batch.
        await asyncio.sleep(0)
        batch, self._pending = self._pending, []
        try:
            outcomes = await workflow.execute_local_activity(
                IN_ENGINE_ACTIONS,
                [request for request, _ in batch],
                result_type=list[StepOutcome],
                start_to_close_timeout=timedelta(seconds=60),
                retry_policy=_LOCAL_RETRY,
            )
        except Exception as error:  # the whole batch failed: each step reports it
            for _, future in batch:
                future.set_result(StepOutcome(error=str(error)))
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            future.set_result(outcome)
