"""Walks a dependency graph inside a workflow: each node starts as soon as what it needs is done."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import workflow


@dataclass
class WalkResult:
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)


async def walk(
    requires: Mapping[str, set[str] | frozenset[str]],
    run_node: Callable[[str], Awaitable[bool]],
    max_concurrency: int,
    should_stop: Callable[[], bool],
) -> WalkResult:
    """Run `run_node` over the graph in dependency order with at most `max_concurrency` at once.

    `requires[n]` are the nodes that must succeed before n starts. A node's failure (run_node
    returning False) or `should_stop()` stops new starts; nodes already running finish.
    Order of starts is deterministic (sorted names, then completion order), as replay needs.
    """
    names = set(requires)
    waiting = {name: set(deps) & names for name, deps in requires.items()}
    dependents: dict[str, list[str]] = {name: [] for name in requires}
    for name in sorted(requires):
        for dep in sorted(waiting[name]):
            dependents[dep].append(name)
    ready = deque(sorted(name for name, deps in waiting.items() if not deps))
    completed: deque[tuple[str, bool]] = deque()
    running = 0
    result = WalkResult()
    stopped = False

    crashed: list[BaseException] = []
    tasks: set[asyncio.Task[None]] = set()

    async def run(name: str) -> None:
        ok = False
        try:
            ok = await run_node(name)
        except BaseException as error:
            # A bug, not a resource failure: surface it so the workflow task fails and
            # retries (a fixed worker then carries on) instead of recording a false failure.
            crashed.append(error)
        finally:
            completed.append((name, ok))

    while True:
        stopped = stopped or should_stop() or bool(result.failed)
        while ready and running < max_concurrency and not stopped:
            name = ready.popleft()
            running += 1
            task = asyncio.create_task(run(name))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if running == 0:
            break
        await workflow.wait_condition(lambda: bool(completed) or should_stop())
        if crashed:
            raise crashed[0]
        while completed:
            name, ok = completed.popleft()
            running -= 1
            if ok:
                result.succeeded.append(name)
                for dependent in dependents[name]:
                    waiting[dependent].discard(name)
                    if not waiting[dependent]:
                        ready.append(dependent)
            else:
                result.failed.append(name)
        if should_stop() and running:
            # Let running nodes finish (they watch should_stop themselves).
            await workflow.wait_condition(lambda: bool(completed))
    done = set(result.succeeded) | set(result.failed)
    result.not_started = sorted(name for name in requires if name not in done)
    return result


def reverse(requires: Mapping[str, set[str] | frozenset[str]]) -> dict[str, set[str]]:
    """The graph for tearing down: a node waits for every node that required it."""
    reversed_graph: dict[str, set[str]] = {name: set() for name in requires}
    for name, deps in requires.items():
        for dep in deps:
            if dep in reversed_graph:
                reversed_graph[dep].add(name)
    return reversed_graph


async def walk_in_waves(
    names: Iterable[str],
    run_node: Callable[[str], Awaitable[bool]],
    wave_size: int,
    pause_secs: float,
    should_stop: Callable[[], bool],
    acted: Callable[[], int] | None = None,
) -> WalkResult:
    """Run independent nodes a wave of `wave_size` at a time, with a pause (a durable timer,
    cut short by a stop) between waves, as upstream's batched create and rolling update do.

    `acted()` counts the actions taken so far (None: every wave acts): a wave that changed
    nothing (every member already as wanted) is not followed by a pause.
    """
    ordered = sorted(names, key=lambda n: (int(n), n) if n.isdigit() else (1 << 62, n))
    size = max(1, wave_size)
    result = WalkResult()
    pause_first = False
    for start in range(0, len(ordered), size):
        wave = ordered[start : start + size]
        if pause_first and not (result.failed or should_stop()):
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(should_stop, timeout=timedelta(seconds=pause_secs))
        if result.failed or should_stop():
            result.not_started.extend(wave)
            continue
        before = acted() if acted is not None else 0
        wave_result = await walk({n: set() for n in wave}, run_node, size, should_stop)
        result.succeeded += wave_result.succeeded
        result.failed += wave_result.failed
        result.not_started += wave_result.not_started
        pause_first = pause_secs > 0 and (acted is None or acted() != before)
    return result
