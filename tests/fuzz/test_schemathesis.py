"""Schemathesis against the running service's own /openapi.json: every documented operation,
valid and invalid inputs; no 500, no traceback, Heat's error body on every refusal, and no
operation left hanging afterwards."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from service.temporal import connect
from tests.conftest import Service, wait_until
from tests.fuzz.checks import EXAMPLES, heat_error_problems


def fuzz_operation(operation: Any, mode: GenerationMode, base_url: str) -> str | None:
    """Run bounded examples of one operation; the first broken promise, if any.

    Raises Unsatisfiable when no invalid input exists for it (every string is a valid path
    parameter, and a GET without query parameters has nothing else to get wrong)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers={"X-Auth-Token": "fuzz"}, timeout=60)
        problems = heat_error_problems(response.status_code, response.text)
        assert not problems, f"{case.method} {case.formatted_path}: {problems}"

    try:
        run()
    except AssertionError as error:
        return str(error).splitlines()[0]
    return None


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_no_input_breaks_the_api(service: Service, mode: GenerationMode) -> None:
    # The pytest plugin of schemathesis does not load under pytest 9: drive hypothesis here.
    schema = schemathesis.openapi.from_url(service.url + "/openapi.json")
    failures, exercised = {}, 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the document has an invalid operation: {result}"
        operation = result.ok()
        try:
            failure = fuzz_operation(operation, mode, service.url)
        except Unsatisfiable:
            continue
        exercised += 1
        if failure is not None:
            failures[f"{operation.method.upper()} {operation.path}"] = failure
    assert not failures, failures
    # Every operation with a body or query parameters has invalid inputs to try.
    assert exercised >= (40 if mode == GenerationMode.POSITIVE else 15), exercised


async def operations_in_progress(service: Service) -> list[str]:
    client = await connect(service.env["HEAT_TEMPORAL_TEMPORAL_ADDRESS"], "default")
    query = (
        f'TaskQueue = "{service.env["HEAT_TEMPORAL_TASK_QUEUE"]}" '
        'AND StackStatus = "IN_PROGRESS" AND ExecutionStatus = "Running"'
    )
    return [w.id async for w in client.list_workflows(query)]


def test_no_fuzzed_operation_is_left_hanging(service: Service) -> None:
    """Runs after the fuzzing above (same module): whatever it started has come to rest."""
    wait_until(
        lambda: not asyncio.run(operations_in_progress(service)),
        120,
        "every fuzzed stack operation to finish",
    )
