"""Template resolution gives the same answers inside Temporal's workflow sandbox, and replays."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from temporalio.worker import Replayer, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from service.temporal import connect
from tests.support.sandbox_resolution import ResolveSnippets, evaluate
from tests.unit.test_template_properties import templates_and_snippets
from worker import SANDBOX_RESTRICTIONS


def run_in_sandbox(target: str, cases: list[list[Any]]) -> tuple[list[list[Any]], Any]:
    async def main() -> tuple[list[list[Any]], Any]:
        client = await connect(target, "default")
        queue = f"sandbox-{uuid.uuid4().hex[:8]}"
        runner = SandboxedWorkflowRunner(restrictions=SANDBOX_RESTRICTIONS)
        async with Worker(
            client, task_queue=queue, workflows=[ResolveSnippets], workflow_runner=runner
        ):
            handle = await client.start_workflow(
                ResolveSnippets.run,
                cases,
                id=f"resolve-{uuid.uuid4()}",
                task_queue=queue,
                execution_timeout=timedelta(seconds=60),
            )
            result = await asyncio.wait_for(handle.result(), 90)
            history = await handle.fetch_history()
        # Replaying the recorded history must not raise a non-determinism error.
        await Replayer(workflows=[ResolveSnippets], workflow_runner=runner).replay_workflow(history)
        return result, history

    return asyncio.run(main())


def test_random_snippets_resolve_the_same_inside_the_workflow_sandbox(
    temporal_target: str,
) -> None:
    cases: list[list[Any]] = []

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(templates_and_snippets())
    def collect(case: Any) -> None:
        template, snippet = case
        [(key, version)] = template.data.items()
        try:
            json.dumps(snippet)
        except (TypeError, ValueError):
            return
        cases.append([key, version, snippet])

    collect()
    assert len(cases) >= 100
    outside = [evaluate(*case) for case in cases]
    inside, _ = run_in_sandbox(temporal_target, cases)
    assert inside == outside
