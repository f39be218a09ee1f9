"""Start-up fails fast with one clear line, and `migrate` brings a database to the newest schema."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.migrate import head_revision
from tests.conftest import REPO, free_port


def _start(module: str, env: dict[str, str], *args: str) -> tuple[int, str, float]:
    """Run `python -m module` to its end; its exit status, stderr and how long it took."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stderr + done.stdout, time.monotonic() - started


@pytest.mark.parametrize(
    ("module", "variable", "value", "expected"),
    [
        ("api", "HEAT_TEMPORAL_API_PORT", "eighty", "bad setting api_port"),
        ("worker", "HEAT_TEMPORAL_MAX_CONCURRENT_RESOURCES", "0", "max_concurrent_resources"),
        ("api", "HEAT_TEMPORAL_LOG_FORMAT", "xml", "bad setting log_format"),
    ],
)
def test_a_bad_setting_stops_the_process_with_its_name_and_no_traceback(
    module: str, variable: str, value: str, expected: str, tmp_path: Path
) -> None:
    status, output, _ = _start(module, {variable: value, "HEAT_TEMPORAL_DATA_DIR": str(tmp_path)})
    assert status != 0
    assert expected in output
    assert variable in output
    assert "Traceback" not in output


def test_an_unreadable_settings_file_stops_the_process_clearly(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text("api_port = [unclosed\n")
    status, output, _ = _start("api", {"HEAT_TEMPORAL_SETTINGS_FILE": str(settings_file)})
    assert status != 0
    assert "cannot read the settings" in output
    assert "Traceback" not in output


def test_an_unreachable_temporal_stops_the_worker_within_the_startup_timeout(
    tmp_path: Path,
) -> None:
    address = f"127.0.0.1:{free_port()}"
    status, output, took = _start(
        "worker",
        {
            "HEAT_TEMPORAL_TEMPORAL_ADDRESS": address,
            "HEAT_TEMPORAL_STARTUP_TIMEOUT_SECS": "2",
            "HEAT_TEMPORAL_DATA_DIR": str(tmp_path),
        },
    )
    assert status == 1
    assert "Fatal Python error" not in output
    assert f"Temporal at {address} is unreachable after 2 s" in output
    assert "HEAT_TEMPORAL_TEMPORAL_ADDRESS" in output
    assert "Traceback" not in output
    assert took < 30


def test_an_unreachable_database_stops_the_api_without_showing_its_password(
    temporal_target: str,
) -> None:
    url = f"postgresql+asyncpg://heat:hunter2@127.0.0.1:{free_port()}/heat"
    status, output, took = _start(
        "api",
        {
            "HEAT_TEMPORAL_TEMPORAL_ADDRESS": temporal_target,
            "HEAT_TEMPORAL_DATABASE_URL": url,
            "HEAT_TEMPORAL_STARTUP_TIMEOUT_SECS": "2",
            "HEAT_TEMPORAL_API_PORT": str(free_port()),
        },
    )
    assert status == 1
    assert "Fatal Python error" not in output
    assert "the listings database postgresql+asyncpg://heat:***@127.0.0.1" in output
    assert "is unreachable after 2 s" in output
    assert "hunter2" not in output
    assert "Traceback" not in output
    assert took < 30


def test_migrate_creates_the_listings_schema_at_the_newest_revision(tmp_path: Path) -> None:
    database = tmp_path / "fresh" / "listings.db"
    url = f"sqlite+aiosqlite:///{database}"
    status, output, _ = _start("service.cli", {"HEAT_TEMPORAL_DATABASE_URL": url}, "migrate")
    assert status == 0, output
    head = head_revision(url)
    assert f"is at revision {head}" in output
    with sqlite3.connect(database) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert revision == head
    assert {"stacks", "resources", "events", "snapshots"} <= tables


@pytest.mark.parametrize(
    ("variable", "what"),
    [
        ("HEAT_TEMPORAL_WORKER_METRICS_PORT", "cannot serve the worker's metrics on 127.0.0.1:"),
        ("HEAT_TEMPORAL_TEMPORAL_METRICS_PORT", "cannot serve the Temporal SDK's metrics on"),
    ],
)
def test_a_metrics_port_already_taken_stops_the_worker_clearly(
    variable: str, what: str, temporal_target: str, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, output, _ = _start(
            "worker",
            {
                "HEAT_TEMPORAL_TEMPORAL_ADDRESS": temporal_target,
                "HEAT_TEMPORAL_DATA_DIR": str(tmp_path),
                "HEAT_TEMPORAL_TASK_QUEUE": f"taken-{port}",
                variable: str(port),
            },
        )
    assert status == 1, output
    assert what in output
    assert variable in output
    assert "Traceback" not in output
