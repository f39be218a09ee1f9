"""Run the benchmark scenarios against upstream Heat and heat-temporal; write docs/benchmarks.md."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.histories import history_sizes
from bench.plot import create_points, write_plot
from bench.scenarios import (
    Budget,
    HeatClient,
    MemorySampler,
    ScenarioResult,
    Seeder,
    group_members,
    leftover_stacks,
    scenario_chain,
    scenario_concurrent,
    scenario_independent,
    scenario_list,
    scenario_list_seeded,
    scenario_tree,
)
from bench.seeding import seed_ours, seed_upstream, unseed_ours, unseed_upstream
from tests.postgres_server import PostgresServer

REPO_ROOT = Path(__file__).resolve().parent.parent
# shared/ lies beside the repository (here and on CI), not inside it.
UPSTREAM_SCRIPTS = REPO_ROOT / ".." / "shared" / "reference" / "upstream-heat"
DEFAULT_UPSTREAM_DIR = os.environ.get("UPSTREAM_HEAT_DIR", "/tmp/upstream-heat")
RESULTS_DIR = REPO_ROOT / "bench" / "results"
DOC_PATH = REPO_ROOT / "docs" / "benchmarks.md"
PLOT_NAME = "benchmarks-create-time.png"  # beside the markdown file

# Scenario names in run order; independent_500 goes last so that a failure cannot disturb
# the others, and "memory" is the RSS sampler that runs across all of them.
SCENARIOS = (
    "independent_10",
    "independent_100",
    "chain_50",
    "concurrent_20x10",
    "list_200",
    "independent_500",
    # Load (issue 9): 200 creates at once, listing with 10,000 stacks present.
    "concurrent_200x10",
    "list_10000",
    # Limits: a small tree both servers run, then ours alone at the sizes.
    "tree_10x22",
    "flat_5000",
    "tree_1000x22",
    "memory",
)
# Shapes accepted by --scenarios besides the names above (sizes chosen on the command line).
SCENARIO_PATTERN = re.compile(
    r"^(independent|flat|list)_\d+$|^(concurrent|tree)_\d+x\d+$|^chain_50$|^list_200$|^memory$"
)
# Upstream keeps its 1 s pause per independent resource: 5,000 resources would take over
# 80 minutes and the 22,000-resource tree hours, so these run on ours only.
OURS_ONLY = ("flat_5000", "tree_1000x22")
TARGET_LABELS = {
    "upstream": "upstream",
    "upstream_nosleep": "upstream, pause removed",
    "ours": "ours",
    "ours_pg": "ours, PostgreSQL",
    "upstream_mariadb": "upstream, MariaDB",
}
# Upstream on MariaDB (start_mariadb.sh): the scenarios SQLite's locking fails upstream.
MARIADB_SCENARIOS = ("tree_10x22", "concurrent_200x10", "memory")
MARIADB_URL = "mysql+pymysql://heat:heat@127.0.0.1:3307/heat?charset=utf8mb4"
# What the PostgreSQL pass of ours runs: the listing is what the database changes.
PG_SCENARIOS = ("list_10000", "memory")
TARGETS = (
    ("independent_100", "100 independent: create and delete >= 20x faster"),
    ("chain_50", "50-resource chain: create and delete >= 3x faster"),
    ("concurrent_20x10", "20 concurrent stacks x 10: all complete and >= 10x faster"),
    ("list_200", "GET /stacks with 200 stacks: p50 < 5 ms"),
)


def log(msg: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[bench {stamp}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine info


def machine_info() -> dict[str, Any]:
    """nproc, CPU model, memory, Python version, kernel, load and date of this machine."""
    cpu_model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
                break
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 0
    return {
        "nproc": nproc,
        "cpu_model": cpu_model,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --------------------------------------------------------------------------- servers


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def root_answers_300(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
            return resp.status == 300
    except urllib.error.HTTPError as exc:
        return exc.code == 300
    except (OSError, ValueError):
        return False


@dataclass
class Upstream:
    """Upstream Heat started by start_heat.sh in a run directory of its own.

    The install ($UPSTREAM_HEAT_DIR/venv) is shared; pid file, heat.conf, heat.db and logs
    live in $UPSTREAM_HEAT_DIR/bench-run so a developer's upstream on 8004 is untouched.
    """

    install_dir: Path
    port: int
    no_sleep: bool = False
    db_url: str | None = None  # HEAT_DB_URL for this instance (MariaDB); else the environment's
    pid: int | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def run_dir(self) -> Path:
        return self.install_dir / "bench-run"

    def _env(self, state_dir: Path) -> dict[str, str]:
        env = dict(os.environ)
        env["UPSTREAM_HEAT_DIR"] = str(state_dir)
        env["HEAT_PORT"] = str(self.port)
        env.pop("HEAT_NO_SLEEP", None)
        if self.db_url:
            env["HEAT_DB_URL"] = self.db_url
        if self.no_sleep:
            env["HEAT_NO_SLEEP"] = "1"
        return env

    def _script(self, name: str) -> str:
        path = UPSTREAM_SCRIPTS.resolve() / name
        if not path.exists():
            raise RuntimeError(f"{path} not found: shared/ must lie beside the repository")
        return str(path)

    def _call(self, name: str, state_dir: Path, timeout_s: float, **extra: str) -> str:
        env = self._env(state_dir)
        env.update(extra)
        proc = subprocess.run(
            ["bash", self._script(name)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        out = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0:
            tail = "\n".join(out.splitlines()[-15:])
            raise RuntimeError(f"{name} exited {proc.returncode}:\n{tail}")
        return out

    def ensure_installed(self) -> None:
        if (self.install_dir / "venv" / "bin" / "heat-manage").exists():
            return
        log(f"installing upstream Heat into {self.install_dir} (takes minutes)")
        if port_in_use(self.port):
            raise RuntimeError(f"port {self.port} is already in use")
        # start_heat.sh installs, then starts; stop the instance it started right away.
        self._call("start_heat.sh", self.install_dir, 1800)
        self._call("stop_heat.sh", self.install_dir, 60)

    def start(self) -> None:
        self.ensure_installed()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        venv_link = self.run_dir / "venv"
        if not venv_link.exists():
            venv_link.symlink_to(Path("..") / "venv")
        self._call("stop_heat.sh", self.run_dir, 60)  # a leftover of an earlier bench run
        if port_in_use(self.port):
            raise RuntimeError(f"port {self.port} is already in use by another process")
        log(f"starting upstream Heat on 127.0.0.1:{self.port} (no_sleep={self.no_sleep})")
        out = self._call("start_heat.sh", self.run_dir, 600, HEAT_FRESH_DB="1")
        self.pid = int((self.run_dir / "heat.pid").read_text().strip())
        db_url = self.db_url or os.environ.get("HEAT_DB_URL")
        self.info = {
            "pid": self.pid,
            "db": (db_url.split(":", 1)[0] if db_url else "sqlite (default)"),
            "no_sleep": self.no_sleep,
            "install_dir": str(self.install_dir),
            "run_dir": str(self.run_dir),
            "knobs": {
                k: os.environ[k]
                for k in (
                    "HEAT_SQLITE_WAL",
                    "HEAT_SQLITE_QUERY",
                    "HEAT_NO_AST_LOCK",
                    "HEAT_NO_PRUNE",
                )
                if k in os.environ
            },
            "start_output": out.splitlines()[-1] if out else "",
        }
        log(f"upstream ready, PID {self.pid}")

    def pids(self) -> set[int]:
        return {self.pid} if self.pid else set()

    def stop(self) -> None:
        if self.pid is None:
            return
        log(f"stopping upstream Heat PID {self.pid}")
        try:
            log(self._call("stop_heat.sh", self.run_dir, 90))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            log(f"stop_heat.sh failed: {exc}")
        self.pid = None


@dataclass
class Ours:
    """This project's service: `python -m service.cli run` in a process group of its own."""

    api_port: int
    temporal_port: int
    ui_port: int
    ready_timeout_s: float
    keep_data: bool = False
    log_path: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    data_dir: Path | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        for port in (self.api_port, self.temporal_port, self.ui_port):
            if port_in_use(port):
                raise RuntimeError(f"port {port} is already in use by another process")
        self.data_dir = Path(tempfile.mkdtemp(prefix="heat-temporal-bench-"))
        env = dict(os.environ)
        env.update(
            {
                "HEAT_TEMPORAL_DATA_DIR": str(self.data_dir),
                "HEAT_TEMPORAL_API_PORT": str(self.api_port),
                "HEAT_TEMPORAL_TEMPORAL_PORT": str(self.temporal_port),
                "HEAT_TEMPORAL_TEMPORAL_UI_PORT": str(self.ui_port),
                # The limits scenarios: upstream counts a tree's resources together, so its
                # max_resources_per_stack has to go for the 22,000-resource tree as well.
                "HEAT_TEMPORAL_MAX_RESOURCES_PER_STACK": "-1",
                # 5,000 resources make a 0.58 MB definition, over the 0.5 MB default; the
                # scenario reports the largest payload, to show how far that is from 2 MB.
                "HEAT_TEMPORAL_MAX_STACK_STATE_BYTES": str(64 * 1024 * 1024),
                **self.extra_env,
            }
        )
        cmd = [sys.executable, "-m", "service.cli", "run"]
        log(f"starting ours: {shlex.join(cmd)} (data dir {self.data_dir}, log {self.log_path})")
        log_path = self.log_path or self.data_dir / "service.log"
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "wb") as out:
            self.proc = subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        t0 = time.monotonic()
        while time.monotonic() - t0 < self.ready_timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ours exited with {self.proc.returncode}; {self._tail()}")
            if root_answers_300(self.api_port):
                self.info = {
                    "db": self.listings_url.split(":", 1)[0],
                    "pid": self.proc.pid,
                    "data_dir": str(self.data_dir),
                    "ready_s": round(time.monotonic() - t0, 2),
                    "log": str(self.log_path),
                }
                log(f"ours ready in {self.info['ready_s']} s, PID {self.proc.pid}")
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"ours not answering 300 on :{self.api_port} after {self.ready_timeout_s} s; "
            f"{self._tail()}"
        )

    @property
    def listings_url(self) -> str:
        url = self.extra_env.get("HEAT_TEMPORAL_DATABASE_URL")
        return url or f"sqlite+aiosqlite:///{self.data_dir}/listings.db"

    def _tail(self) -> str:
        if not self.log_path or not self.log_path.exists():
            return "no log"
        lines = self.log_path.read_text(errors="replace").splitlines()[-15:]
        return "log tail:\n" + "\n".join(lines)

    def pids(self) -> set[int]:
        if self.proc is None:
            return set()
        return {self.proc.pid} | group_members(self.proc.pid)

    def _group_alive(self, pgid: int) -> bool:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def stop(self) -> None:
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the launcher leads its own group
        log(f"stopping ours: SIGINT to process group {pgid}")
        for sig, wait_s in ((signal.SIGINT, 30.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            if not self._group_alive(pgid):
                break
            if sig != signal.SIGINT:
                log(f"process group {pgid} still alive, sending {sig.name}")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, sig)
            t0 = time.monotonic()
            while time.monotonic() - t0 < wait_s:
                self.proc.poll()
                if not self._group_alive(pgid):
                    break
                time.sleep(0.2)
        self.proc.poll()
        self.proc = None
        if self.data_dir and not self.keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def start_mariadb(upstream_dir: Path) -> None:
    """start_mariadb.sh (idempotent) and an empty `heat` database, so each run starts fresh."""
    env = dict(os.environ, UPSTREAM_HEAT_DIR=str(upstream_dir))
    script = UPSTREAM_SCRIPTS.resolve() / "start_mariadb.sh"
    subprocess.run(["bash", str(script)], env=env, check=True, capture_output=True, timeout=600)
    sock = upstream_dir / "mysql" / "mysqld.sock"
    sql = "DROP DATABASE IF EXISTS heat; CREATE DATABASE heat CHARACTER SET utf8mb4;"
    subprocess.run(
        ["mariadb", "-S", str(sock), "-uroot", "-e", sql], check=True, capture_output=True
    )


def stop_mariadb(upstream_dir: Path) -> None:
    env = dict(os.environ, UPSTREAM_HEAT_DIR=str(upstream_dir))
    script = UPSTREAM_SCRIPTS.resolve() / "stop_mariadb.sh"
    subprocess.run(["bash", str(script)], env=env, check=False, capture_output=True, timeout=120)


# --------------------------------------------------------------------------- running


@dataclass
class Options:
    """What to run: scenario names, whether to run 500 on upstream, deadlines."""

    scenarios: list[str]
    upstream_500: bool
    budget: Budget
    list_concurrency: int | None  # None: 1 for upstream on SQLite (it locks), else 8
    project: str = "bench"


def deadlock_failures(log_text: str, project: str) -> int:
    """Workflow tasks of the project's workflows the dev server recorded as failed by the SDK's
    deadlock detector (an activation over 2 s of wall time; the task is retried)."""
    return sum(
        1
        for line in log_text.splitlines()
        if "workflow task failed" in line
        and "TMPRL1101" in line
        and f"wf-id=stack/{project}/" in line
    )


@dataclass
class TargetHooks:
    """What scenarios need to know of the server beyond its URL: how to seed its listings
    straight in SQL, and where its Temporal is (ours only)."""

    seed: Seeder | None = None
    unseed: Callable[[str], Awaitable[int]] | None = None
    temporal_target: str | None = None
    log_path: Path | None = None


def _sizes(name: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", name.split("_", 1)[1])]


def scenario_plan(
    name: str,
    client: HeatClient,
    prefix: str,
    opts: Options,
    key: str,
    hooks: TargetHooks,
    base_url: str,
) -> tuple[Callable[[], Awaitable[ScenarioResult]], int]:
    """The coroutine factory for one scenario and the resource count its deadlines scale with."""
    b = opts.budget
    kind = name.split("_", 1)[0]
    if kind == "independent":
        n = _sizes(name)[0]
        return (lambda: scenario_independent(client, n, prefix, b)), n
    if kind == "chain":
        return (lambda: scenario_chain(client, 50, prefix, b)), 50
    if kind == "concurrent":
        stacks, per = _sizes(name)
        return (lambda: scenario_concurrent(client, stacks, per, prefix, b)), per * 4
    if name == "list_200":
        conc = opts.list_concurrency
        if conc is None:
            sqlite = not os.environ.get("HEAT_DB_URL")
            conc = 1 if key.startswith("upstream") and sqlite else 8
        return (lambda: scenario_list(client, 200, 200, prefix, b, concurrency=conc)), 400
    if kind == "list":
        total = _sizes(name)[0]
        seed, unseed = hooks.seed, hooks.unseed
        if seed is None or unseed is None:
            raise RuntimeError("no way to seed this server's listings (upstream on MariaDB?)")
        return (lambda: scenario_list_seeded(client, total, prefix, b, seed, unseed)), 200
    if kind in ("flat", "tree"):
        sizes = _sizes(name)
        # A project per limits scenario, so its histories can be told from the others'.
        project = f"{opts.project}{kind[0]}{sizes[0]}"
        limits_url = base_url.rsplit("/", 1)[0] + "/" + project
        temporal = hooks.temporal_target
        log_path = hooks.log_path

        async def sizes_of_histories() -> dict[str, Any]:
            if temporal is None:
                return {}
            found = await history_sizes(temporal, project)
            if log_path is not None and log_path.exists():
                text = log_path.read_text(errors="replace")
                found["payload_limit_violations"] = text.count("PayloadLimitViolation")
                found["deadlock_task_failures"] = deadlock_failures(text, project)
            return found

        async def run() -> ScenarioResult:
            async with HeatClient(limits_url, request_timeout_s=300) as limits_client:
                if kind == "flat":
                    res = await scenario_independent(limits_client, sizes[0], prefix, b)
                    res.name = name
                    res.metrics.update(await sizes_of_histories())
                    return res
                return await scenario_tree(
                    limits_client, sizes[0], sizes[1], prefix, b, after_delete=sizes_of_histories
                )

        resources = sizes[0] * (sizes[1] + 1) if kind == "tree" else sizes[0]
        return run, resources
    raise ValueError(name)


async def run_target(
    key: str,
    base_url: str,
    pids: Callable[[], Iterable[int]],
    opts: Options,
    run_id: str,
    record: dict[str, Any],
    hooks: TargetHooks | None = None,
) -> None:
    """Run the selected scenarios against one endpoint, filling its JSON record as it goes."""
    prefix = f"b{run_id}{key[0]}"
    record.update({"base_url": base_url, "scenarios": {}, "prefix": prefix})
    record["started"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    sampler = MemorySampler(pids) if "memory" in opts.scenarios else None
    async with HeatClient(base_url) as client:
        if sampler:
            sampler.start()
        hooks = hooks or TargetHooks()
        selected = {"ours_pg": PG_SCENARIOS, "upstream_mariadb": MARIADB_SCENARIOS}.get(
            key, opts.scenarios
        )
        for name in opts.scenarios:
            if name == "memory" or name not in selected:
                continue
            if name in OURS_ONLY and key.startswith("upstream"):
                res = ScenarioResult(
                    name,
                    "skipped",
                    error="not run on upstream: at its 1 s pause per independent resource "
                    "this takes hours (see tree_10x22 for the tree both run)",
                )
                record["scenarios"][name] = res.to_json()
                log(f"{key}: {name}: skipped")
                continue
            if name == "independent_500" and key.startswith("upstream") and not opts.upstream_500:
                res = ScenarioResult(
                    name,
                    "skipped",
                    error="skipped on upstream: fails on SQLite (see upstream-heat.md); "
                    "--upstream-500 run to force",
                )
                record["scenarios"][name] = res.to_json()
                log(f"{key}: {name}: skipped")
                continue
            factory, resources = scenario_plan(name, client, prefix, opts, key, hooks, base_url)
            hard_timeout = opts.budget.seconds(resources) * 2 + 120
            log(f"{key}: {name}: running (hard timeout {hard_timeout:.0f} s)")
            t0 = time.perf_counter()
            try:
                if sampler:
                    async with sampler.section(name):
                        res = await asyncio.wait_for(factory(), hard_timeout)
                else:
                    res = await asyncio.wait_for(factory(), hard_timeout)
            except TimeoutError:
                res = ScenarioResult(name, "failed", error=f"hard timeout {hard_timeout:.0f} s")
            except Exception as exc:  # record and carry on with the next scenario
                res = ScenarioResult(name, "failed", error=f"{type(exc).__name__}: {exc}")
            res.metrics["scenario_wall_s"] = round(time.perf_counter() - t0, 3)
            record["scenarios"][name] = res.to_json()
            shown = {k: v for k, v in res.metrics.items() if not isinstance(v, dict)}
            log(f"{key}: {name}: {res.status} {shown} {res.error or ''}")
        if sampler:
            record["memory"] = await sampler.stop()
            log(f"{key}: memory {record['memory']}")
        await asyncio.sleep(2.0)  # let late status flips (e.g. DELETE_FAILED) land
        record["leftovers"] = await leftover_stacks(client, prefix)
        if record["leftovers"].get("count"):
            log(f"{key}: stacks left after the run: {record['leftovers']}")
    record["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def run_all(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """Start each selected server in turn, run the scenarios against it, stop it."""
    db_is_sqlite = not os.environ.get("HEAT_DB_URL")
    upstream_500 = args.upstream_500 == "run" or (args.upstream_500 == "auto" and not db_is_sqlite)
    opts = Options(
        scenarios=args.scenarios,
        upstream_500=upstream_500,
        budget=Budget(scale=args.time_scale),
        list_concurrency=args.list_concurrency,
        project=args.project,
    )
    plan: list[str] = []
    if args.only in (None, "upstream"):
        plan.append("upstream")
        if args.upstream_no_sleep:
            plan.append("upstream_nosleep")
    if args.only == "upstream_mariadb" or (args.only is None and args.upstream_mariadb):
        plan.append("upstream_mariadb")
    if args.only in (None, "ours"):
        plan.append("ours")
    wants_pg = any(n in PG_SCENARIOS[:-1] for n in args.scenarios)
    if args.only in (None, "ours_pg") and not args.no_postgres and wants_pg:
        plan.append("ours_pg")
    run_id = results["run_id"]
    for key in plan:
        server: Upstream | Ours
        hooks = TargetHooks()
        postgres: PostgresServer | None = None
        if key.startswith("upstream"):
            upstream = Upstream(
                Path(args.upstream_dir), args.heat_port, no_sleep=key == "upstream_nosleep"
            )
            if key == "upstream_mariadb":
                start_mariadb(Path(args.upstream_dir))
                upstream.db_url = MARIADB_URL
            server = upstream
            base_url = f"http://127.0.0.1:{args.heat_port}/v1/{args.project}"
            if not upstream.db_url and not os.environ.get("HEAT_DB_URL"):
                db = upstream.run_dir / "heat.db"
                hooks.seed = lambda ref, n, p, db=db: seed_upstream(db, ref, n, p)
                hooks.unseed = lambda p, db=db: unseed_upstream(db, p)
        else:
            extra: dict[str, str] = {}
            if key == "ours_pg":
                try:
                    postgres = PostgresServer()
                    postgres.start()
                except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                    log(f"{key}: no PostgreSQL: {exc}")
                    results["targets"][key] = {"error": f"no PostgreSQL: {exc}", "scenarios": {}}
                    if postgres is not None:
                        postgres.remove()
                    continue
                extra["HEAT_TEMPORAL_DATABASE_URL"] = postgres.url
            ours = Ours(
                args.api_port,
                args.temporal_port,
                args.ui_port,
                args.ready_timeout,
                keep_data=args.keep_data,
                log_path=RESULTS_DIR / f"{key}-{run_id}.log",
                extra_env=extra,
            )
            server = ours
            base_url = f"http://127.0.0.1:{args.api_port}/v1/{args.project}"
            hooks.seed = lambda ref, n, p, o=ours: seed_ours(o.listings_url, ref, n, p)
            hooks.unseed = lambda p, o=ours: unseed_ours(o.listings_url, p)
            hooks.temporal_target = f"127.0.0.1:{args.temporal_port}"
            hooks.log_path = ours.log_path
        try:
            try:
                server.start()
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                log(f"{key}: could not start: {exc}")
                results["targets"][key] = {"error": f"could not start: {exc}", "scenarios": {}}
                continue
            record: dict[str, Any] = {"server": server.info}
            results["targets"][key] = record
            record["loadavg_before"] = [round(x, 2) for x in os.getloadavg()]
            asyncio.run(run_target(key, base_url, server.pids, opts, run_id, record, hooks))
            record["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        finally:
            server.stop()
            if postgres is not None:
                postgres.remove()
            if key == "upstream_mariadb":
                stop_mariadb(Path(args.upstream_dir))
        save_json(results)


# --------------------------------------------------------------------------- reporting


def save_json(results: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"bench-{results['run_id']}.json"
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n")
    return path


def _scenario(results: dict[str, Any], target: str, name: str) -> dict[str, Any] | None:
    return (results["targets"].get(target) or {}).get("scenarios", {}).get(name)


def _metric(results: dict[str, Any], target: str, name: str, key: str) -> float | None:
    sc = _scenario(results, target, name)
    if not sc:
        return None
    value = sc.get("metrics", {}).get(key)
    return float(value) if isinstance(value, int | float) else None


# Temporal figures: upstream has no workflows to measure.
TEMPORAL_KEYS = {
    "history_events",
    "history_mb",
    "payload_kb",
    "payload_limit_violations",
    "deadlock_task_failures",
}


def _cell(results: dict[str, Any], target: str, name: str, key: str, digits: int = 2) -> str:
    if target not in results["targets"]:
        return "not run"
    if target.startswith("upstream") and key in TEMPORAL_KEYS:
        return "n/a"
    if "error" in results["targets"][target] and not results["targets"][target]["scenarios"]:
        return "server failed"
    sc = _scenario(results, target, name)
    if sc is None:
        return "not selected"
    if sc["status"] == "skipped":
        return "skipped"
    value = _metric(results, target, name, key)
    if value is None:
        return "failed"
    text = f"{value:.{digits}f}"
    return text if sc["status"] == "ok" else f"{text} (failed)"


def _ratio(results: dict[str, Any], name: str, key: str, slow: str, fast: str) -> float | None:
    a, b = _metric(results, slow, name, key), _metric(results, fast, name, key)
    if a is None or b is None or b <= 0:
        return None
    return a / b


def _ratio_cell(results: dict[str, Any], name: str, key: str, slow: str) -> str:
    r = _ratio(results, name, key, slow, "ours")
    return "-" if r is None else f"{r:.1f}x"


SCENARIO_TABLES: list[tuple[str, str, list[tuple[str, str, int]]]] = [
    (
        "independent_10",
        "10 independent OS::Heat::None (one stack)",
        [("create (s)", "create_s", 2), ("delete (s)", "delete_s", 2)],
    ),
    (
        "independent_100",
        "100 independent OS::Heat::None (one stack)",
        [("create (s)", "create_s", 2), ("delete (s)", "delete_s", 2)],
    ),
    (
        "independent_500",
        "500 independent OS::Heat::None (one stack)",
        [("create (s)", "create_s", 2), ("delete (s)", "delete_s", 2)],
    ),
    (
        "chain_50",
        "chain of 50 OS::Heat::None (depends_on)",
        [("create (s)", "create_s", 2), ("delete (s)", "delete_s", 2)],
    ),
    (
        "concurrent_20x10",
        "20 stacks x 10 OS::Heat::None created at once (wall time)",
        [
            ("create, wall (s)", "create_wall_s", 2),
            ("stacks CREATE_COMPLETE", "create_complete", 0),
            ("delete, wall (s)", "delete_wall_s", 2),
            ("stacks deleted", "delete_complete", 0),
        ],
    ),
    (
        "list_200",
        "GET /stacks with 200 stacks present (200 sequential requests)",
        [
            ("p50 (ms)", "p50_ms", 1),
            ("p90 (ms)", "p90_ms", 1),
            ("mean (ms)", "mean_ms", 1),
            ("stacks listed", "stacks_listed", 0),
            ("setup: stacks CREATE_COMPLETE", "stacks_complete", 0),
        ],
    ),
]
SCENARIO_TABLES += [
    (
        "concurrent_200x10",
        "200 stacks x 10 OS::Heat::None created at once through the API (wall time)",
        [
            ("create, wall: all COMPLETE (s)", "create_wall_s", 2),
            ("stacks CREATE_COMPLETE", "create_complete", 0),
            ("create failures", "create_failed", 0),
            ("slowest single create (s)", "create_max_single_s", 2),
            ("delete, wall (s)", "delete_wall_s", 2),
            ("stacks deleted", "delete_complete", 0),
        ],
    ),
    (
        "list_10000",
        "GET /stacks with 10,000 stacks in the listings",
        [
            ("GET /stacks?limit=100: p50 (ms)", "p50_ms", 1),
            ("GET /stacks?limit=100: p99 (ms)", "p99_ms", 1),
            ("GET /stacks?limit=100: mean (ms)", "mean_ms", 1),
            ("requests timed (limit=100)", "paged_requests", 0),
            ("GET /stacks (no limit): p50 (ms)", "unpaged_p50_ms", 1),
            ("GET /stacks (no limit): max (ms)", "unpaged_max_ms", 1),
            ("stacks in one unlimited answer", "unpaged_listed", 0),
            ("requests timed (no limit)", "unpaged_requests", 0),
            ("stacks counted (with_count)", "count", 0),
            ("rows seeded in SQL", "seeded_rows", 0),
        ],
    ),
]
COUNT_KEYS = {
    "create_complete",
    "delete_complete",
    "stacks_listed",
    "stacks_complete",
    "create_failed",
    "paged_requests",
    "unpaged_requests",
    "unpaged_listed",
    "count",
    "seeded_rows",
    "history_events",
    "payload_limit_violations",
    "deadlock_task_failures",
    "resources",
}
LIMIT_ROWS: list[tuple[str, str, int]] = [
    ("resources", "resources", 0),
    ("create (s)", "create_s", 2),
    ("update one member (s)", "update_one_member_s", 2),
    ("delete (s)", "delete_s", 2),
    ("largest history (events)", "history_events", 0),
    ("largest history (MB)", "history_mb", 2),
    ("largest payload (KB)", "payload_kb", 1),
    ("payload limit violations in the log", "payload_limit_violations", 0),
    ("tasks failed by the 2 s deadlock detector, retried", "deadlock_task_failures", 0),
]


def _limit_title(name: str) -> str:
    kind, size = name.split("_", 1)
    if kind == "tree":
        members, per = size.split("x")
        return (
            f"Tree: a root of {int(members):,} nested stacks x {per} OS::Heat::None "
            "(create, update one member, delete)"
        )
    return f"Flat: one stack of {int(size):,} OS::Heat::None (limits)"


def _scenario_names(results: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for record in results["targets"].values():
        for name in record.get("scenarios") or {}:
            if name not in names:
                names.append(name)
    return names


def _tables(results: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    """The tables of the scenarios this run (or the reused one) measured, in a fixed order."""
    present = _scenario_names(results)
    tables = [t for t in SCENARIO_TABLES if t[0] in present]
    for name in present:
        if name.startswith("tree_"):
            tables.append((name, _limit_title(name), LIMIT_ROWS))
        elif name.startswith("flat_"):
            flat_rows = [r for r in LIMIT_ROWS if r[1] != "update_one_member_s"]
            tables.append((name, _limit_title(name), flat_rows))
    return tables


def _derive(results: dict[str, Any]) -> None:
    """Figures computed from the raw ones (MB, KB, failures) for the tables."""
    for record in results["targets"].values():
        for sc in (record.get("scenarios") or {}).values():
            m = sc.get("metrics") or {}
            if isinstance(m.get("history_bytes"), int) and m["history_bytes"]:
                m["history_mb"] = m["history_bytes"] / 1e6
            if isinstance(m.get("payload_bytes"), int) and m["payload_bytes"]:
                m["payload_kb"] = m["payload_bytes"] / 1e3
            if "stacks" in m and "create_complete" in m:
                m["create_failed"] = m["stacks"] - m["create_complete"]


ALL_TARGETS = ("upstream", "upstream_nosleep", "upstream_mariadb", "ours", "ours_pg")


def _targets_present(results: dict[str, Any]) -> list[str]:
    return [t for t in ALL_TARGETS if t in results["targets"]]


def _columns(results: dict[str, Any], name: str | None = None) -> list[str]:
    """Upstream and ours always, plus the pause-removed upstream when it was run, and ours on
    PostgreSQL for the scenarios it ran."""
    present = _targets_present(results)
    cols = [
        t
        for t in ("upstream", "upstream_nosleep", "ours")
        if t in present or t != "upstream_nosleep"
    ]
    for extra in ("upstream_mariadb", "ours_pg"):
        if extra in present and (name is None or _scenario(results, extra, name)):
            cols.insert(cols.index("ours") if extra.startswith("upstream") else len(cols), extra)
    return cols


def _flat(text: str, limit: int = 400) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= limit else text[:limit] + "..."


def _table(results: dict[str, Any], name: str, rows: list[tuple[str, str, int]]) -> list[str]:
    cols = _columns(results, name)
    header = ["metric"] + [TARGET_LABELS[c] for c in cols]
    ratio_cols = [c for c in cols if c.startswith("upstream")]
    header += [f"{TARGET_LABELS[c]} / ours" for c in ratio_cols]
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, key, digits in rows:
        cells = [label] + [_cell(results, c, name, key, digits) for c in cols]
        for c in ratio_cols:
            cells.append("-" if key in COUNT_KEYS else _ratio_cell(results, name, key, c))
        out.append("| " + " | ".join(cells) + " |")
    return out


def _memory_table(results: dict[str, Any]) -> list[str]:
    cols = _columns(results)
    out = [
        "| RSS (MiB) | " + " | ".join(TARGET_LABELS[c] for c in cols) + " |",
        "|" + "---|" * (len(cols) + 1),
    ]
    for label, key in (
        ("start", "start_mib"),
        ("peak", "peak_mib"),
        ("end", "end_mib"),
        ("processes at peak", "peak_processes"),
    ):
        cells = [label]
        for c in cols:
            mem = (results["targets"].get(c) or {}).get("memory")
            cells.append("not run" if not mem else str(mem.get(key)))
        out.append("| " + " | ".join(cells) + " |")
    return out


ROLE_ORDER = ("api", "worker", "temporal", "launcher", "heat-all")


def _role_memory_table(results: dict[str, Any]) -> list[str]:
    """RSS of each process (API, worker, Temporal dev server; upstream's one process) at rest
    before the scenarios, at its peak under each load scenario and over the run, and at the end."""
    cols = [c for c in _columns(results) if (results["targets"].get(c) or {}).get("memory")]
    mems = {c: results["targets"][c]["memory"] for c in cols}
    roles = [r for r in ROLE_ORDER if any(r in m.get("role_peak_mib", {}) for m in mems.values())]
    if not roles:
        return []
    out = [
        "| process, RSS (MiB) | " + " | ".join(TARGET_LABELS[c] for c in cols) + " |",
        "|" + "---|" * (len(cols) + 1),
    ]
    loads = [
        n
        for n in ("concurrent_200x10", "list_10000", "tree_1000x22")
        if n in _scenario_names(results)
    ]
    phases: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = [
        ("at rest (before the first scenario)", lambda m: m.get("role_start_mib", {})),
        *[
            (
                f"peak during {n}",
                lambda m, n=n: m.get("role_section_peak_mib", {}).get(n, {}),
            )
            for n in loads
        ],
        ("peak over the run", lambda m: m.get("role_peak_mib", {})),
        ("at rest after the run", lambda m: m.get("role_end_mib", {})),
    ]
    for role in roles:
        for phase, pick in phases:
            cells = [f"{role}: {phase}"]
            for c in cols:
                value = pick(mems[c]).get(role)
                cells.append("-" if value is None else str(value))
            if any(cell != "-" for cell in cells[1:]):
                out.append("| " + " | ".join(cells) + " |")
    return out


def _plot_table(results: dict[str, Any]) -> list[str]:
    """The plotted points, with the upstream / ours ratio where both measured a size."""
    points = create_points(results)
    ours = {(k, n): t for k, n, t in points.get("ours", [])}
    out = [
        "| shape | resources | target | create (s) | upstream / ours |",
        "|---|---|---|---|---|",
    ]
    for target in ("upstream", "upstream_nosleep", "upstream_mariadb", "ours"):
        for kind, n, t in points.get(target, []):
            mine = ours.get((kind, n))
            ratio = f"{t / mine:.1f}x" if target != "ours" and mine else "-"
            out.append(f"| {kind} | {n:,} | {TARGET_LABELS[target]} | {t:.2f} | {ratio} |")
    return out


def evaluate_targets(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, evidence, verdict) rows, verdict one of met / not met / not evaluated."""
    rows: list[tuple[str, str, str]] = []
    have_ours = "ours" in results["targets"]
    have_up = "upstream" in results["targets"]

    def verdict(ok: bool | None) -> str:
        if not have_ours:
            return "not evaluated (ours not run)"
        if ok is None:
            return "not evaluated (missing figures)"
        return "met" if ok else "not met"

    for name, factor in (("independent_100", 20.0), ("chain_50", 3.0)):
        rc = _ratio(results, name, "create_s", "upstream", "ours")
        rd = _ratio(results, name, "delete_s", "upstream", "ours")
        ours_ok = (_scenario(results, "ours", name) or {}).get("status") == "ok"
        ok = (
            None
            if rc is None or rd is None or not have_up
            else (ours_ok and rc >= factor and rd >= factor)
        )
        ev = f"create {rc:.1f}x, delete {rd:.1f}x" if rc is not None and rd is not None else "-"
        rows.append((dict(TARGETS)[name], ev, verdict(ok)))

    name = "concurrent_20x10"
    rc = _ratio(results, name, "create_wall_s", "upstream", "ours")
    rd = _ratio(results, name, "delete_wall_s", "upstream", "ours")
    done = _metric(results, "ours", name, "create_complete")
    gone = _metric(results, "ours", name, "delete_complete")
    ok = None
    if rc is not None and rd is not None and done is not None:
        ok = done == 20 and gone == 20 and rc >= 10 and rd >= 10
    ev_parts = []
    if done is not None:
        ev_parts.append(f"ours {int(done)}/20 created, {int(gone or 0)}/20 deleted")
    if rc is not None and rd is not None:
        ev_parts.append(f"wall create {rc:.1f}x, delete {rd:.1f}x")
    up_done = _metric(results, "upstream", name, "create_complete")
    if up_done is not None and up_done < 20:
        ev_parts.append(f"upstream itself completed only {int(up_done)}/20")
    rows.append((dict(TARGETS)[name], "; ".join(ev_parts) or "-", verdict(ok)))

    done = _metric(results, "ours", "concurrent_200x10", "create_complete")
    up_done = _metric(results, "upstream", "concurrent_200x10", "create_complete")
    maria_done = _metric(results, "upstream_mariadb", "concurrent_200x10", "create_complete")
    rows.append(
        (
            "200 concurrent creates: all complete",
            "-"
            if done is None
            else f"ours {int(done)}/200"
            + ("" if up_done is None else f"; upstream {int(up_done)}/200")
            + ("" if maria_done is None else f"; upstream on MariaDB {int(maria_done)}/200"),
            verdict(None if done is None else done == 200),
        )
    )
    for name in _scenario_names(results):
        if not name.startswith(("tree_", "flat_")):
            continue
        sc = _scenario(results, "ours", name) or {}
        m = sc.get("metrics") or {}
        ok = None
        if sc:
            ok = (
                sc.get("status") == "ok"
                and m.get("history_events", 0) < 51200
                and m.get("history_bytes", 0) < 50 * 1024 * 1024
                and m.get("payload_bytes", 0) < 2 * 1024 * 1024
            )
        evidence = (
            f"ours {sc.get('status')}; largest history {m.get('history_events')} events, "
            f"{(m.get('history_bytes') or 0) / 1e6:.2f} MB; largest payload "
            f"{(m.get('payload_bytes') or 0) / 1e3:.0f} KB"
            if sc
            else "-"
        )
        rows.append((f"{_limit_title(name)}: within Temporal's limits", evidence, verdict(ok)))
    p50 = _metric(results, "ours", "list_200", "p50_ms")
    ok = None if p50 is None else p50 < 5.0
    rows.append(
        (dict(TARGETS)["list_200"], "-" if p50 is None else f"ours p50 {p50:.1f} ms", verdict(ok))
    )
    return rows


def render_markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    present = _targets_present(results)
    lines = ["# Benchmarks: heat-temporal vs upstream OpenStack Heat", ""]
    if "ours" not in present:
        lines += [
            "> **Draft: upstream only.** These figures come from a run with `--only upstream`;",
            "> heat-temporal was not measured. The lead replaces this file with a full",
            "> side-by-side run (`make bench`, i.e. `python -m bench.run`).",
            "",
        ]
    lines += [
        "Generated by `bench/run.py`; raw JSON in `bench/results/` (git-ignored), run id "
        f"`{results['run_id']}`.",
        "",
        "## Machine",
        "",
        f"- CPUs (nproc): {m['nproc']}",
        f"- CPU model: {m['cpu_model']}",
        f"- memory: {m['memory_gib']} GiB",
        f"- Python: {m['python']} (kernel {m['kernel']})",
        f"- load average at start: {', '.join(str(x) for x in m['loadavg_at_start'])} "
        "(the machine is shared: other jobs ran during the run)",
        *[
            f"- load average around {TARGET_LABELS[t]} (run {str(rec.get('prefix', ''))[1:-1]}): "
            "before "
            f"{', '.join(str(x) for x in rec['loadavg_before'])}, after "
            f"{', '.join(str(x) for x in rec.get('loadavg_after') or [])}"
            for t, rec in results["targets"].items()
            if rec.get("loadavg_before") and t in TARGET_LABELS
        ],
        f"- date: {m['date']}",
        "",
        "## Command",
        "",
        "```",
        results["command"],
        "```",
        "",
    ]
    if results.get("reused_from"):
        ru = results["reused_from"]
        lines += [
            f"Targets not run by this command were taken from run `{ru.get('run_id')}` "
            f"(`{ru.get('file')}`, `--reuse`); the run each target's figures come from is "
            "named beside its load average above. Upstream (SQLite) and ours (SQLite) always "
            "come from one invocation, one after the other.",
            "",
        ]
    lines += [
        "## How to run",
        "",
        "`make bench` runs `python -m bench.run`: upstream Heat first, then heat-temporal, "
        "every scenario against each, then this file and `bench/results/bench-<run id>.json`. "
        "Options: `--only upstream|ours|ours_pg|upstream_mariadb`, "
        "`--scenarios independent_10,chain_50,...` (also any `independent_N`, `flat_N`, "
        "`list_N`, `concurrent_SxN`, `tree_MxN`), `--no-postgres` (skip ours on PostgreSQL), "
        "`--upstream-mariadb` (extra upstream pass on MariaDB for the tree and the 200 "
        "concurrent creates), "
        "`--upstream-no-sleep` (extra upstream pass with `HEAT_NO_SLEEP=1`), "
        "`--upstream-500 run|skip|auto` (auto skips it on SQLite), "
        "`--reuse bench/results/<file>.json` (fill in targets not run now from an earlier run), "
        "`--render <file>.json` (re-render only). Upstream is installed once under "
        "`$UPSTREAM_HEAT_DIR` (default `/tmp/upstream-heat`) by "
        "`../shared/reference/upstream-heat/start_heat.sh` and run from "
        "`$UPSTREAM_HEAT_DIR/bench-run` on port 8005 with a fresh database each run, so a "
        "developer's upstream on 8004 is not touched. Ours runs as `python -m service.cli run` "
        "with a temporary `HEAT_TEMPORAL_DATA_DIR`, API on 8014, Temporal on 7243, UI on 8243, "
        "and is stopped by SIGINT to its process group.",
        "",
        "## Method",
        "",
        "- All traffic is loopback HTTP to the Heat v1 API (`X-Auth-Token: bench`, project "
        "`bench`); both servers are run one after the other in the same invocation.",
        "- A create is timed from `POST /stacks` until `GET /stacks/{name}/{id}` (polled every "
        "0.1 s) shows `CREATE_COMPLETE`; a delete from `DELETE` until the GET shows "
        "`DELETE_COMPLETE` or 404. `*_FAILED` or a deadline marks the scenario failed.",
        "- Templates: `heat_template_version: 2018-08-31`, `OS::Heat::None` resources only.",
        "- The 200 stacks for the list scenario each hold one `OS::Heat::None` and are created "
        "with bounded concurrency; their creation is not timed.",
        "- Memory: summed RSS (from `/proc/<pid>/statm`) of the server process and its "
        "descendants (ours: the whole launcher process group), sampled every 0.25 s over all "
        "scenarios; start = before the first scenario.",
        "- Ratios are upstream / ours: above 1 means ours is faster.",
        "- Memory per process: the same samples split by command line (`-m api`, `-m worker`, "
        "the Temporal dev server, the launcher; upstream is one process). At rest = the first "
        "sample after the server answered and before any scenario; the end sample is at rest "
        "after the load.",
        "- 200 concurrent creates (`concurrent_200x10`): 200 `POST /stacks` sent at once (one "
        "HTTP connection each, up to 64 open), each stack of 10 `OS::Heat::None`; wall time "
        "from the first POST until every stack is `CREATE_COMPLETE` (or failed), then 200 "
        "DELETEs at once. A failure is a refused POST, a `*_FAILED` stack or a deadline "
        "(60 s + 120 s per stack's 40-resource budget).",
        "- 10,000 stacks (`list_10000`): one stack is created through the API and its listing "
        "row is then copied 9,999 times straight into the database (new id, name, creation "
        "time, and for ours the pre-rendered summary), because creating 10,000 stacks through "
        "the API takes hours upstream (1 s pause per resource, SQLite locking). Ours: the "
        "`stacks` table of the listings; upstream: its `stack` table in `heat.db` (sharing the "
        "real stack's raw template and credentials rows). The copies have no workflow or "
        "engine state behind them: they are listed, not operated on, and are deleted again "
        "in SQL after the timing. Timed: 200 sequential `GET /stacks?limit=100` (p50, p99) and "
        "a few `GET /stacks` without a limit (ours pages at `max_stacks_per_page` = 1000; "
        "upstream returns every stack).",
        "- Ours on PostgreSQL (`ours, PostgreSQL`): a second start of ours with "
        "`HEAT_TEMPORAL_DATABASE_URL` on Debian's PostgreSQL, started in a scratch folder by "
        "`tests/postgres_server.py` (trust auth, loopback, fsync off); it runs the list "
        "scenario only. After seeding, `ANALYZE stacks` runs, as autovacuum would within a "
        "minute of 10,000 inserts (without it PostgreSQL sorts the whole table: p50 about "
        "10 ms instead of under 1 ms).",
        "- Limits (`flat_N`, `tree_MxN`): ours runs with `max_resources_per_stack = -1` "
        "(upstream counts a whole tree against it; upstream's start_heat.sh sets -1 too) and "
        "`max_stack_state_bytes` raised to 64 MiB (5,000 resources make a 0.58 MB "
        "definition, over the 0.5 MB default). A tree is a root of M resources of one provider "
        "template (`member.yaml`, N `OS::Heat::None`, one with a `label` property from a "
        "parameter): created, updated with one member's label changed (as upstream, every "
        "nested stack receives the update; only that member's resource changes), deleted; "
        "its resource count includes the root's M nested-stack resources (1,000 x 22 + "
        "1,000 = 23,000). "
        "Largest history and payload: read back from Temporal after the delete over every "
        "workflow of the scenario's project (`bench/histories.py`); Temporal's limits are "
        "51,200 events and 50 MB per history, 2 MB per payload (warning at 512 KB). Tasks "
        "failed by the SDK's deadlock detector are counted from the dev server's log: it "
        "measures wall time (2 s), so on this shared machine (load average about 10 on 2 "
        "cores during the tree) the root's heavy activations (starting up to 200 nested "
        "stacks, decoding a 1,000-resource state) trip it; the task is retried and the "
        "operation completes.",
    ]
    up = results["targets"].get("upstream", {}).get("server") or {}
    if up:
        lines.append(
            f"- Upstream: Heat 27.0.1 via `start_heat.sh`, database {up.get('db')}, fresh DB; "
            "the engine's 1 s pause per independent resource is left in (upstream as is)"
            + (
                ', and a second pass with `HEAT_NO_SLEEP=1` (column "pause removed").'
                if "upstream_nosleep" in present
                else "."
            )
        )
    plot = results.get("plot")
    if plot:
        lines += ["", "## Create time against resources", "", f"![create time]({plot})", ""]
        lines += _plot_table(results)
    lines += ["", "## Results", ""]
    _derive(results)
    for name, title, rows in _tables(results):
        lines += [f"### {title}", ""]
        lines += _table(results, name, rows)
        notes = []
        for t in present:
            sc = _scenario(results, t, name)
            if sc and sc.get("error"):
                notes.append(f"- {TARGET_LABELS[t]}: {sc['status']}: {_flat(sc['error'])}")
            for note in (sc or {}).get("notes", [])[:2]:
                notes.append(f"- {TARGET_LABELS[t]}: note: {_flat(note)}")
        if notes:
            lines += ["", *notes]
        lines.append("")
    lines += ["### Memory", "", "All processes of each server together:", ""]
    lines += _memory_table(results)
    lines.append("")
    per_role = _role_memory_table(results)
    if per_role:
        lines += ["Each process on its own:", "", *per_role, ""]
    left_notes = []
    for t in present:
        left = results["targets"][t].get("leftovers") or {}
        if left.get("count"):
            left_notes.append(
                f"- {TARGET_LABELS[t]}: {left['count']} bench stacks still listed after the run "
                f"(deletes that did not stick): {left.get('by_status')}"
            )
        err = results["targets"][t].get("error")
        if err:
            left_notes.append(f"- {TARGET_LABELS[t]}: {_flat(err)}")
    if left_notes:
        lines += ["### Leftovers and server errors", "", *left_notes, ""]
    lines += [
        "## Targets",
        "",
        "| target | evidence (upstream / ours) | verdict |",
        "|---|---|---|",
    ]
    for target, evidence, verdict in evaluate_targets(results):
        lines.append(f"| {target} | {evidence} | {verdict} |")
    lines += [
        "",
        "Speed targets compare against upstream as is (1 s pause kept); create and delete "
        "must both reach the factor.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    p.add_argument(
        "--only",
        choices=("upstream", "ours", "ours_pg", "upstream_mariadb"),
        help="run against one server only (ours_pg: ours on PostgreSQL, list scenarios; "
        "upstream_mariadb: upstream on MariaDB, the tree and 200 concurrent creates)",
    )
    p.add_argument(
        "--upstream-mariadb",
        action="store_true",
        help="also run upstream on MariaDB (start_mariadb.sh, port 3307) for "
        + ", ".join(MARIADB_SCENARIOS[:-1]),
    )
    p.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated subset of: {','.join(SCENARIOS)} (default all)",
    )
    p.add_argument(
        "--upstream-500",
        choices=("auto", "run", "skip"),
        default="auto",
        help="independent_500 on upstream: auto = skip on SQLite, run when HEAT_DB_URL is set",
    )
    p.add_argument(
        "--upstream-no-sleep",
        action="store_true",
        help="also run upstream a second time with HEAT_NO_SLEEP=1 (pause removed)",
    )
    p.add_argument(
        "--upstream-dir",
        default=DEFAULT_UPSTREAM_DIR,
        help="upstream install ($UPSTREAM_HEAT_DIR, default /tmp/upstream-heat)",
    )
    p.add_argument("--heat-port", type=int, default=8005)
    p.add_argument("--api-port", type=int, default=8014)
    p.add_argument("--temporal-port", type=int, default=7243)
    p.add_argument("--ui-port", type=int, default=8243)
    p.add_argument("--project", default="bench", help="project (tenant) in the URL")
    p.add_argument(
        "--ready-timeout",
        type=float,
        default=180.0,
        help="seconds to wait for ours to answer 300 on /",
    )
    p.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="multiply every deadline (60 s + 3 s per resource) by this",
    )
    p.add_argument(
        "--list-concurrency",
        type=int,
        default=None,
        help="concurrent creates preparing the 200 stacks for list_200 "
        "(default 1 for upstream on SQLite, which locks, else 8)",
    )
    p.add_argument(
        "--no-postgres",
        action="store_true",
        help="skip the second pass of ours on PostgreSQL (list_10000 on SQLite only)",
    )
    p.add_argument("--keep-data", action="store_true", help="keep ours' temporary data dir")
    p.add_argument(
        "--reuse", type=Path, help="earlier results JSON: its targets fill in those not run now"
    )
    p.add_argument(
        "--render", type=Path, help="only re-render docs/benchmarks.md from this results JSON"
    )
    p.add_argument("--output", type=Path, default=DOC_PATH, help="markdown file to write")
    args = p.parse_args(argv)
    names = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = sorted(n for n in names if not SCENARIO_PATTERN.match(n))
    if unknown:
        p.error(f"unknown scenarios {unknown}; choose from {','.join(SCENARIOS)}")
    args.scenarios = names
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render:
        rendered = json.loads(args.render.read_text())
        if write_plot(rendered, args.output.parent / PLOT_NAME):
            rendered["plot"] = PLOT_NAME
        args.output.write_text(render_markdown(rendered))
        log(f"wrote {args.output}")
        return 0
    run_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    shown_argv = sys.argv[1:] if argv is None else argv
    results: dict[str, Any] = {
        "run_id": run_id,
        "command": shlex.join(["python", "-m", "bench.run", *shown_argv]),
        "machine": machine_info(),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "targets": {},
    }
    if args.reuse:
        earlier = json.loads(args.reuse.read_text())
        results["reused_from"] = {"file": str(args.reuse), "run_id": earlier.get("run_id")}
        results["targets"].update(earlier.get("targets", {}))
    interrupted = False
    try:
        run_all(args, results)
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: writing what was measured")
    results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    path = save_json(results)
    log(f"wrote {path}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if write_plot(results, args.output.parent / PLOT_NAME):
        results["plot"] = PLOT_NAME
        save_json(results)
    args.output.write_text(render_markdown(results))
    log(f"wrote {args.output}")
    failed = [
        f"{t}:{n}"
        for t, rec in results["targets"].items()
        for n, sc in rec.get("scenarios", {}).items()
        if sc.get("status") == "failed"
    ]
    if failed:
        log(f"failed scenarios: {', '.join(failed)}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
