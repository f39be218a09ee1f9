"""Async Heat v1 client, benchmark scenarios and a /proc RSS sampler for bench.run."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import aiohttp

TEMPLATE_VERSION = "2018-08-31"
POLL_INTERVAL_S = 0.1
# Consecutive transport/5xx errors tolerated while polling one stack before giving up.
MAX_POLL_ERRORS = 100


class StackError(Exception):
    """A stack operation failed (HTTP error, *_FAILED status or deadline passed)."""


@dataclass(frozen=True)
class StackRef:
    """Name and id of a stack, enough to address /stacks/{name}/{id}."""

    name: str
    id: str

    @property
    def path(self) -> str:
        return f"/stacks/{self.name}/{self.id}"


@dataclass
class ScenarioResult:
    """Outcome of one scenario against one endpoint: status is ok, failed or skipped."""

    name: str
    status: str
    metrics: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Budget:
    """Deadlines: base_s + per_resource_s per resource, times scale."""

    base_s: float = 60.0
    per_resource_s: float = 3.0
    scale: float = 1.0

    def seconds(self, resources: int) -> float:
        return (self.base_s + self.per_resource_s * resources) * self.scale

    def deadline(self, resources: int) -> float:
        return time.monotonic() + self.seconds(resources)


def independent_template(count: int) -> dict[str, Any]:
    """A template of `count` OS::Heat::None resources with no dependencies."""
    return {
        "heat_template_version": TEMPLATE_VERSION,
        "description": f"bench: {count} independent OS::Heat::None",
        "resources": {f"r{i}": {"type": "OS::Heat::None"} for i in range(count)},
    }


def chain_template(length: int) -> dict[str, Any]:
    """A template of `length` OS::Heat::None resources, each depends_on the previous one."""
    resources: dict[str, Any] = {}
    for i in range(length):
        res: dict[str, Any] = {"type": "OS::Heat::None"}
        if i:
            res["depends_on"] = [f"r{i - 1}"]
        resources[f"r{i}"] = res
    return {
        "heat_template_version": TEMPLATE_VERSION,
        "description": f"bench: chain of {length} OS::Heat::None",
        "resources": resources,
    }


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


class HeatClient:
    """Minimal aiohttp client for a Heat v1 endpoint such as http://127.0.0.1:8005/v1/admin."""

    def __init__(
        self,
        base_url: str,
        token: str = "bench",
        *,
        request_timeout_s: float = 60.0,
        connections: int = 64,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {
            "X-Auth-Token": token,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        self._timeout = aiohttp.ClientTimeout(total=request_timeout_s)
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> HeatClient:
        connector = aiohttp.TCPConnector(limit=self._connections)
        self._session = aiohttp.ClientSession(
            headers=self._headers, timeout=self._timeout, connector=connector
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("HeatClient used outside 'async with'")
        return self._session

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, Any, str]:
        """Send one request; return (status, parsed JSON or None, raw text)."""
        async with self.session.request(method, self.base_url + path, json=body) as resp:
            text = await resp.text()
            data: Any = None
            if text and "json" in (resp.headers.get("Content-Type") or ""):
                with contextlib.suppress(ValueError):
                    data = await resp.json(content_type=None)
            return resp.status, data, text

    async def create_stack(self, name: str, template: dict[str, Any]) -> StackRef:
        body = {
            "stack_name": name,
            "template": template,
            "timeout_mins": 120,
            "disable_rollback": True,
        }
        try:
            status, data, text = await self.request("POST", "/stacks", body)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise StackError(f"POST /stacks {name}: {type(exc).__name__}: {exc}") from exc
        if status != 201:
            raise StackError(f"POST /stacks {name}: HTTP {status}: {_short(text)}")
        try:
            return StackRef(name, str(data["stack"]["id"]))
        except (TypeError, KeyError) as exc:
            raise StackError(f"POST /stacks {name}: no stack id in {_short(text)}") from exc

    async def delete_stack(self, ref: StackRef) -> bool:
        """Send DELETE; return False when the stack is already gone (404)."""
        for _ in range(20):
            try:
                status, _, text = await self.request("DELETE", ref.path)
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise StackError(f"DELETE {ref.name}: {type(exc).__name__}: {exc}") from exc
            if status in (200, 202, 204):
                return True
            if status == 404:
                return False
            if status == 409:  # an action is still in progress: retry briefly
                await asyncio.sleep(0.5)
                continue
            raise StackError(f"DELETE {ref.name}: HTTP {status}: {_short(text)}")
        raise StackError(f"DELETE {ref.name}: still HTTP 409 after 20 attempts")

    async def wait_status(
        self, ref: StackRef, want: str, deadline: float, *, gone_ok: bool = False
    ) -> str:
        """Poll GET /stacks/{name}/{id} every 0.1 s until stack_status == want.

        Raises StackError on *_FAILED, on the deadline, or on too many errors in a row.
        With gone_ok, a 404 counts as reaching the wanted status (used for deletes).
        """
        errors = 0
        last = "no answer yet"
        while True:
            try:
                status, data, text = await self.request("GET", ref.path)
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, data, text = -1, None, f"{type(exc).__name__}: {exc}"
            if status == 404 and gone_ok:
                return "NOT_FOUND"
            if status == 200 and isinstance(data, dict) and isinstance(data.get("stack"), dict):
                errors = 0
                stack = data["stack"]
                current = str(stack.get("stack_status"))
                last = current
                if current == want:
                    return current
                if current.endswith("_FAILED"):
                    reason = _short(str(stack.get("stack_status_reason")))
                    raise StackError(f"{ref.name}: {current}: {reason}")
            else:
                errors += 1
                last = f"HTTP {status}: {_short(text, 200)}"
                if errors >= MAX_POLL_ERRORS:
                    raise StackError(f"{ref.name}: {errors} failed polls in a row, last {last}")
            if time.monotonic() >= deadline:
                raise StackError(f"{ref.name}: deadline passed waiting for {want}, last {last}")
            await asyncio.sleep(POLL_INTERVAL_S)

    async def create_and_wait(
        self, name: str, template: dict[str, Any], deadline: float
    ) -> tuple[StackRef, float]:
        """POST a stack and wait for CREATE_COMPLETE; return (ref, seconds)."""
        t0 = time.perf_counter()
        ref = await self.create_stack(name, template)
        try:
            await self.wait_status(ref, "CREATE_COMPLETE", deadline)
        except StackError as exc:
            raise _CreateFailed(ref, str(exc)) from exc
        return ref, time.perf_counter() - t0

    async def delete_and_wait(self, ref: StackRef, deadline: float) -> float:
        """DELETE a stack and wait for DELETE_COMPLETE or 404; return seconds."""
        t0 = time.perf_counter()
        if await self.delete_stack(ref):
            await self.wait_status(ref, "DELETE_COMPLETE", deadline, gone_ok=True)
        return time.perf_counter() - t0

    async def cleanup(self, refs: Iterable[StackRef], budget: Budget, concurrency: int = 10) -> int:
        """Best-effort, concurrency-bounded delete of refs; return how many failed."""
        sem = asyncio.Semaphore(concurrency)

        async def one(ref: StackRef) -> bool:
            async with sem:
                try:
                    await self.delete_and_wait(ref, budget.deadline(10))
                    return True
                except StackError:
                    return False

        results = await asyncio.gather(*(one(r) for r in refs))
        return sum(1 for ok in results if not ok)


class _CreateFailed(StackError):
    """Create failed after the POST succeeded: carries the ref so it can be cleaned up."""

    def __init__(self, ref: StackRef, message: str) -> None:
        super().__init__(message)
        self.ref = ref


# --------------------------------------------------------------------------- scenarios


async def scenario_single(
    client: HeatClient,
    name: str,
    stack_name: str,
    template: dict[str, Any],
    resources: int,
    budget: Budget,
) -> ScenarioResult:
    """Time create (POST -> CREATE_COMPLETE) and delete (DELETE -> gone) of one stack."""
    result = ScenarioResult(name, "ok", {"resources": resources})
    try:
        ref, create_s = await client.create_and_wait(
            stack_name, template, budget.deadline(resources)
        )
    except _CreateFailed as exc:
        result.status, result.error = "failed", f"create: {exc}"
        failed = await client.cleanup([exc.ref], budget)
        result.notes.append("cleanup delete failed" if failed else "cleaned up")
        return result
    except StackError as exc:
        result.status, result.error = "failed", f"create: {exc}"
        return result
    result.metrics["create_s"] = round(create_s, 3)
    try:
        delete_s = await client.delete_and_wait(ref, budget.deadline(resources))
    except StackError as exc:
        result.status, result.error = "failed", f"delete: {exc}"
        return result
    result.metrics["delete_s"] = round(delete_s, 3)
    return result


async def scenario_independent(
    client: HeatClient, count: int, prefix: str, budget: Budget
) -> ScenarioResult:
    """(a) one stack of `count` independent OS::Heat::None."""
    return await scenario_single(
        client,
        f"independent_{count}",
        f"{prefix}-ind{count}",
        independent_template(count),
        count,
        budget,
    )


async def scenario_chain(
    client: HeatClient, length: int, prefix: str, budget: Budget
) -> ScenarioResult:
    """(b) one stack of a `length`-long depends_on chain of OS::Heat::None."""
    return await scenario_single(
        client,
        f"chain_{length}",
        f"{prefix}-chain{length}",
        chain_template(length),
        length,
        budget,
    )


async def scenario_concurrent(
    client: HeatClient, stacks: int, per_stack: int, prefix: str, budget: Budget
) -> ScenarioResult:
    """(c) `stacks` stacks of `per_stack` None created at once, then deleted at once (wall)."""
    name = f"concurrent_{stacks}x{per_stack}"
    template = independent_template(per_stack)
    refs: list[StackRef] = []
    errors: list[str] = []
    # The stacks run side by side: the deadline scales with one stack's size (x4 for
    # contention), so stacks stuck *_IN_PROGRESS (seen upstream on SQLite) cost minutes, not 10+.
    deadline = budget.deadline(per_stack * 4)

    async def create(i: int) -> float | None:
        t0 = time.perf_counter()
        try:
            ref = await client.create_stack(f"{prefix}-conc{i}", template)
        except StackError as exc:
            errors.append(f"create: {exc}")
            return None
        refs.append(ref)
        try:
            await client.wait_status(ref, "CREATE_COMPLETE", deadline)
        except StackError as exc:
            errors.append(f"create: {exc}")
            return None
        return time.perf_counter() - t0

    t0 = time.perf_counter()
    created_times = await asyncio.gather(*(create(i) for i in range(stacks)))
    create_wall = time.perf_counter() - t0
    completed = [t for t in created_times if t is not None]

    deadline = budget.deadline(per_stack * 4)

    async def delete(ref: StackRef) -> bool:
        try:
            await client.delete_and_wait(ref, deadline)
            return True
        except StackError as exc:
            errors.append(f"delete: {exc}")
            return False

    t0 = time.perf_counter()
    deleted = await asyncio.gather(*(delete(r) for r in refs))
    delete_wall = time.perf_counter() - t0

    metrics: dict[str, Any] = {
        "stacks": stacks,
        "resources_per_stack": per_stack,
        "create_wall_s": round(create_wall, 3),
        "create_complete": len(completed),
        "posted": len(refs),
        "create_max_single_s": round(max(completed), 3) if completed else None,
        "delete_wall_s": round(delete_wall, 3),
        "delete_complete": sum(1 for d in deleted if d),
    }
    result = ScenarioResult(name, "ok", metrics)
    if errors:
        result.status = "failed"
        result.error = (
            f"{len(completed)}/{stacks} reached CREATE_COMPLETE, "
            f"{metrics['delete_complete']}/{len(refs)} posted stacks deleted; "
            f"first error: {errors[0]}"
        )
        result.notes.extend(errors[:10])
        if len(errors) > 10:
            result.notes.append(f"... {len(errors) - 10} more errors")
    return result


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, min(len(sorted_values), round(pct / 100.0 * len(sorted_values) + 0.4999)))
    return sorted_values[rank - 1]


async def scenario_list(
    client: HeatClient,
    stacks: int,
    requests: int,
    prefix: str,
    budget: Budget,
    concurrency: int = 4,
    attempts: int = 3,
    cleanup: bool = True,
) -> ScenarioResult:
    """(d) create `stacks` one-resource stacks (bounded), then time `requests` GET /stacks."""
    name = f"list_{stacks}"
    template = independent_template(1)
    sem = asyncio.Semaphore(concurrency)
    refs: list[StackRef] = []
    complete: list[StackRef] = []
    errors: list[str] = []

    async def make(i: int) -> None:
        # Up to `attempts` tries per slot, each under a new name; a rejected POST or a stack
        # that ends *_FAILED counts as a failure (failed stacks stay listed until cleanup).
        async with sem:
            for attempt in range(attempts):
                try:
                    ref = await client.create_stack(f"{prefix}-list{i}-{attempt}", template)
                except StackError as exc:
                    errors.append(f"create: {exc}")
                    await asyncio.sleep(0.5)
                    continue
                refs.append(ref)
                try:  # each one-resource stack gets its own deadline: a stuck one frees its slot
                    await client.wait_status(ref, "CREATE_COMPLETE", budget.deadline(1))
                except StackError as exc:
                    errors.append(f"create: {exc}")
                    continue
                complete.append(ref)
                return

    t0 = time.perf_counter()
    await asyncio.gather(*(make(i) for i in range(stacks)))
    setup_s = time.perf_counter() - t0

    # Failed attempts would inflate the list: delete them (best effort) before measuring.
    failed_refs = [r for r in refs if r not in complete]
    if failed_refs:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(client.cleanup(failed_refs, budget), budget.seconds(100))

    metrics: dict[str, Any] = {
        "stacks_requested": stacks,
        "stacks_posted": len(refs),
        "stacks_complete": len(complete),
        "create_errors": len(errors),
        "setup_s": round(setup_s, 3),
        "setup_concurrency": concurrency,
        "requests": requests,
    }
    result = ScenarioResult(name, "ok", metrics)
    try:
        status, data, text = await client.request("GET", "/stacks")  # warm-up, not timed
        if status != 200 or not isinstance(data, dict):
            raise StackError(f"GET /stacks: HTTP {status}: {_short(text)}")
        listed = data.get("stacks") or []
        metrics["stacks_listed"] = len(listed)
        metrics["response_bytes"] = len(text.encode())
        latencies: list[float] = []
        for _ in range(requests):
            t = time.perf_counter()
            async with client.session.get(client.base_url + "/stacks") as resp:
                await resp.read()
                if resp.status != 200:
                    raise StackError(f"GET /stacks: HTTP {resp.status}")
            latencies.append((time.perf_counter() - t) * 1000.0)
        latencies.sort()
        metrics.update(
            {
                "p50_ms": round(percentile(latencies, 50), 2),
                "p90_ms": round(percentile(latencies, 90), 2),
                "p99_ms": round(percentile(latencies, 99), 2),
                "mean_ms": round(sum(latencies) / len(latencies), 2),
                "min_ms": round(latencies[0], 2),
                "max_ms": round(latencies[-1], 2),
            }
        )
    except (StackError, aiohttp.ClientError, TimeoutError) as exc:
        result.status, result.error = "failed", f"list: {exc}"
    if errors:
        result.notes.append(
            f"{len(errors)} setup create attempts failed ({len(complete)} of {stacks} stacks "
            f"reached CREATE_COMPLETE); first: {errors[0]}"
        )
    if result.status == "ok" and metrics.get("stacks_listed", 0) < stacks:
        result.status = "failed"
        result.error = f"only {metrics.get('stacks_listed')} of {stacks} stacks listed"
    if cleanup:
        t0 = time.perf_counter()
        try:
            failed = await asyncio.wait_for(
                client.cleanup(complete, budget, concurrency=max(concurrency, 10)),
                budget.seconds(100),
            )
            metrics["cleanup_failures"] = failed
        except TimeoutError:
            metrics["cleanup_failures"] = "timed out"
        metrics["cleanup_s"] = round(time.perf_counter() - t0, 3)
    return result


async def leftover_stacks(client: HeatClient, prefix: str) -> dict[str, Any]:
    """Stacks still listed whose name starts with prefix (deletes that did not stick)."""
    try:
        status, data, text = await client.request("GET", "/stacks")
    except (aiohttp.ClientError, TimeoutError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    if status != 200 or not isinstance(data, dict):
        return {"error": f"HTTP {status}: {_short(text)}"}
    left = [s for s in data.get("stacks") or [] if str(s.get("stack_name", "")).startswith(prefix)]
    by_status: dict[str, int] = {}
    for s in left:
        key = str(s.get("stack_status"))
        by_status[key] = by_status.get(key, 0) + 1
    return {"count": len(left), "by_status": by_status}


# --------------------------------------------------------------------------- memory (e)


def _page_size() -> int:
    return os.sysconf("SC_PAGE_SIZE")


def _proc_stats() -> dict[int, tuple[int, int]]:
    """Map pid -> (ppid, pgrp) for every process visible in /proc."""
    out: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                raw = fh.read()
        except OSError:
            continue
        rest = raw[raw.rfind(b")") + 2 :].split()
        if len(rest) > 2:
            out[int(entry)] = (int(rest[1]), int(rest[2]))
    return out


def group_members(pgid: int) -> set[int]:
    """PIDs whose process group is pgid."""
    return {pid for pid, (_, pgrp) in _proc_stats().items() if pgrp == pgid}


def with_descendants(roots: Iterable[int]) -> set[int]:
    """Roots plus all their live descendants (from /proc/*/stat)."""
    stats = _proc_stats()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    seen: set[int] = set()
    stack = [p for p in roots if p in stats]
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        stack.extend(children.get(pid, ()))
    return seen


def process_role(pid: int) -> str:
    """Which part of a server a process is, from its command line (api, worker, temporal...)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = [a.decode(errors="replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return "gone"
    text = " ".join(argv)
    if "-m api" in text:
        return "api"
    if "-m worker" in text:
        return "worker"
    if "start-dev" in text:
        return "temporal"
    if "service.cli" in text:
        return "launcher"
    if "heat_all" in text or "heat" in text:
        return "heat-all"
    return argv[0].rsplit("/", 1)[-1] if argv else "other"


def rss_bytes(pid: int) -> int:
    """Resident set size of one process from /proc/{pid}/statm (0 if gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _page_size()
    except (OSError, IndexError, ValueError):
        return 0


class MemorySampler:
    """Samples the summed RSS of given PIDs (and their descendants) in the background."""

    def __init__(
        self,
        pids: Callable[[], Iterable[int]] | Iterable[int],
        *,
        include_children: bool = True,
        interval_s: float = 0.25,
        max_duration_s: float = 4 * 3600,
    ) -> None:
        self._pids = pids if callable(pids) else (lambda fixed=tuple(pids): fixed)
        self._children = include_children
        self._interval = interval_s
        self._max_duration = max_duration_s
        self._task: asyncio.Task[None] | None = None
        self._section: str | None = None
        self.start_bytes: int | None = None
        self.end_bytes: int | None = None
        self.peak_bytes = 0
        self.peak_processes = 0
        self.samples = 0
        self.section_peaks: dict[str, int] = {}
        # Per process role (api, worker, temporal, heat-all): at rest, peak, per-section peak.
        self.role_start: dict[str, int] = {}
        self.role_last: dict[str, int] = {}
        self.role_peaks: dict[str, int] = {}
        self.role_section_peaks: dict[str, dict[str, int]] = {}
        self._roles: dict[int, str] = {}

    def sample(self) -> int:
        roots = list(self._pids())
        pids = with_descendants(roots) if self._children else set(roots)
        by_role: dict[str, int] = {}
        total = 0
        for pid in pids:
            rss = rss_bytes(pid)
            total += rss
            if pid not in self._roles:
                self._roles[pid] = process_role(pid)
            role = self._roles[pid]
            by_role[role] = by_role.get(role, 0) + rss
        self.samples += 1
        if self.start_bytes is None:
            self.start_bytes = total
            self.role_start = dict(by_role)
        self.role_last = by_role
        for role, rss in by_role.items():
            self.role_peaks[role] = max(self.role_peaks.get(role, 0), rss)
            if self._section is not None:
                peaks = self.role_section_peaks.setdefault(self._section, {})
                peaks[role] = max(peaks.get(role, 0), rss)
        if total > self.peak_bytes:
            self.peak_bytes = total
            self.peak_processes = len(pids)
        if self._section is not None:
            self.section_peaks[self._section] = max(self.section_peaks.get(self._section, 0), total)
        return total

    async def _loop(self) -> None:
        stop_at = time.monotonic() + self._max_duration
        while time.monotonic() < stop_at:
            self.sample()
            await asyncio.sleep(self._interval)

    def start(self) -> None:
        self.sample()
        self._task = asyncio.create_task(self._loop())

    @contextlib.asynccontextmanager
    async def section(self, name: str) -> AsyncIterator[None]:
        """Attribute samples taken inside this block to `name` (per-scenario peaks)."""
        self._section = name
        self.sample()
        try:
            yield
        finally:
            self.sample()
            self._section = None

    async def stop(self) -> dict[str, Any]:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.end_bytes = self.sample()
        mib = 1024 * 1024
        return {
            "start_mib": round((self.start_bytes or 0) / mib, 1),
            "peak_mib": round(self.peak_bytes / mib, 1),
            "end_mib": round(self.end_bytes / mib, 1),
            "peak_processes": self.peak_processes,
            "samples": self.samples,
            "interval_s": self._interval,
            "section_peak_mib": {k: round(v / mib, 1) for k, v in self.section_peaks.items()},
            "role_start_mib": {k: round(v / mib, 1) for k, v in self.role_start.items()},
            "role_peak_mib": {k: round(v / mib, 1) for k, v in self.role_peaks.items()},
            "role_end_mib": {k: round(v / mib, 1) for k, v in self.role_last.items()},
            "role_section_peak_mib": {
                section: {k: round(v / mib, 1) for k, v in peaks.items()}
                for section, peaks in self.role_section_peaks.items()
            },
        }


# --------------------------------------------------------------------------- nested trees


MEMBER_FILE = "member.yaml"


def member_template(resources: int) -> dict[str, Any]:
    """A nested stack of `resources` OS::Heat::None, one of which carries the label."""
    return {
        "heat_template_version": TEMPLATE_VERSION,
        "description": f"bench: tree member of {resources} OS::Heat::None",
        "parameters": {"label": {"type": "string", "default": "v1"}},
        "resources": {
            f"n{i}": (
                {"type": "OS::Heat::None", "properties": {"label": {"get_param": "label"}}}
                if i == 0
                else {"type": "OS::Heat::None"}
            )
            for i in range(resources)
        },
    }


def tree_template(members: int, labels: dict[int, str] | None = None) -> dict[str, Any]:
    """A root of `members` provider-template resources (each a nested stack of member.yaml)."""
    labels = labels or {}
    return {
        "heat_template_version": TEMPLATE_VERSION,
        "description": f"bench: tree of {members} nested stacks",
        "resources": {
            f"m{i}": {"type": MEMBER_FILE, "properties": {"label": labels.get(i, "v1")}}
            for i in range(members)
        },
    }


async def scenario_tree(
    client: HeatClient,
    members: int,
    per_member: int,
    prefix: str,
    budget: Budget,
    after_delete: Callable[[], Any] | None = None,
) -> ScenarioResult:
    """A root of `members` nested stacks of `per_member` None: create, update one member, delete.

    The update changes one member's label, so only that nested stack has work to do.
    """
    total = members * (per_member + 1)
    name = f"tree_{members}x{per_member}"
    result = ScenarioResult(
        name, "ok", {"members": members, "per_member": per_member, "resources": total}
    )
    files = {MEMBER_FILE: json.dumps(member_template(per_member))}
    stack_name = f"{prefix}-tree{members}"
    body: dict[str, Any] = {
        "stack_name": stack_name,
        "template": tree_template(members),
        "files": files,
        "timeout_mins": 600,
        "disable_rollback": True,
    }
    t0 = time.perf_counter()
    status, data, text = await client.request("POST", "/stacks", body)
    if status != 201:
        result.status, result.error = "failed", f"create: HTTP {status}: {_short(text)}"
        return result
    ref = StackRef(stack_name, str(data["stack"]["id"]))
    try:
        await client.wait_status(ref, "CREATE_COMPLETE", budget.deadline(total))
    except StackError as exc:
        result.status, result.error = "failed", f"create: {exc}"
        result.metrics["create_failed_after_s"] = round(time.perf_counter() - t0, 3)
        failed = await client.cleanup([ref], budget)
        result.notes.append("cleanup delete failed" if failed else "cleaned up")
        return result
    result.metrics["create_s"] = round(time.perf_counter() - t0, 3)

    update = {"template": tree_template(members, {0: "v2"}), "files": files, "timeout_mins": 600}
    t0 = time.perf_counter()
    try:
        status, _, text = await client.request("PUT", ref.path, update)
        if status != 202:
            raise StackError(f"PUT: HTTP {status}: {_short(text)}")
        await client.wait_status(ref, "UPDATE_COMPLETE", budget.deadline(total))
        result.metrics["update_one_member_s"] = round(time.perf_counter() - t0, 3)
    except StackError as exc:
        result.status, result.error = "failed", f"update: {exc}"
    try:
        result.metrics["delete_s"] = round(
            await client.delete_and_wait(ref, budget.deadline(total)), 3
        )
    except StackError as exc:
        result.status = "failed"
        result.error = (result.error + "; " if result.error else "") + f"delete: {exc}"
    if after_delete is not None:
        result.metrics.update(await after_delete())
    return result


# --------------------------------------------------------------------------- list at scale


Seeder = Callable[[StackRef, int, str], Awaitable[int]]


async def scenario_list_seeded(
    client: HeatClient,
    total: int,
    prefix: str,
    budget: Budget,
    seed: Seeder,
    unseed: Callable[[str], Awaitable[int]],
    paged_requests: int = 200,
    unpaged_requests: int = 3,
    page: int = 100,
) -> ScenarioResult:
    """GET /stacks latency with `total` stacks listed: one stack created through the API, the
    rest cloned from its listing row by `seed` straight into the database."""
    name = f"list_{total}"
    result = ScenarioResult(name, "ok", {"stacks_requested": total, "page": page})
    try:
        ref, _ = await client.create_and_wait(
            f"{prefix}-lseed", independent_template(1), budget.deadline(1)
        )
    except (StackError, _CreateFailed) as exc:
        result.status, result.error = "failed", f"setup create: {exc}"
        return result
    seed_prefix = f"{prefix}-seeded"  # not a prefix of the real stack's name
    t0 = time.perf_counter()
    result.metrics["seeded_rows"] = await seed(ref, total - 1, seed_prefix)
    result.metrics["seed_s"] = round(time.perf_counter() - t0, 3)

    async def timed(path: str, count: int) -> tuple[list[float], int, int]:
        latencies: list[float] = []
        listed = size = 0
        for _ in range(count):
            t = time.perf_counter()
            async with client.session.get(client.base_url + path) as resp:
                raw = await resp.read()
                if resp.status != 200:
                    raise StackError(f"GET {path}: HTTP {resp.status}")
            latencies.append((time.perf_counter() - t) * 1000.0)
            size = len(raw)
        status, data, _ = await client.request("GET", path)
        listed = len((data or {}).get("stacks") or []) if status == 200 else -1
        latencies.sort()
        return latencies, listed, size

    try:
        await client.request("GET", f"/stacks?limit={page}")  # warm-up, not timed
        paged, listed, size = await timed(f"/stacks?limit={page}", paged_requests)
        result.metrics.update(
            {
                "paged_requests": paged_requests,
                "p50_ms": round(percentile(paged, 50), 2),
                "p99_ms": round(percentile(paged, 99), 2),
                "mean_ms": round(sum(paged) / len(paged), 2),
                "paged_listed": listed,
                "paged_bytes": size,
            }
        )
        try:
            unpaged, listed, size = await timed("/stacks", unpaged_requests)
            result.metrics.update(
                {
                    "unpaged_requests": unpaged_requests,
                    "unpaged_p50_ms": round(percentile(unpaged, 50), 2),
                    "unpaged_max_ms": round(unpaged[-1], 2),
                    "unpaged_listed": listed,
                    "unpaged_bytes": size,
                }
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            # Upstream answers every stack at once: past the client's timeout, say so.
            result.notes.append(f"GET /stacks without a limit: {type(exc).__name__} {exc}")
        status, data, _ = await client.request("GET", "/stacks?limit=1&with_count=true")
        result.metrics["count"] = (data or {}).get("count") if status == 200 else None
    except (StackError, aiohttp.ClientError, TimeoutError) as exc:
        result.status, result.error = "failed", f"list: {exc}"
    finally:
        result.metrics["unseeded_rows"] = await unseed(seed_prefix)
        await client.cleanup([ref], budget)
    return result
