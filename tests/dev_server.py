"""A Temporal dev server process the harnesses can kill -9 and restart (SQLite file or memory)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from service.launcher import temporal_binary
from tests.conftest import free_port, wait_for_port
from workflows.ids import SEARCH_ATTRIBUTE_NAMES


class DevServer:
    """The dev server on loopback; with `db_file` it persists, so a restart resumes everything."""

    def __init__(self, db_file: Path | None = None, log_file: Path | None = None) -> None:
        self.db_file = db_file
        self.log_file = log_file
        self.port = free_port()
        self.ui_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            temporal_binary(),
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ui-port",
            str(self.ui_port),
            "--log-level",
            "error",
        ]
        if self.db_file is not None:
            command += ["--db-filename", str(self.db_file)]
            command += ["--sqlite-pragma", "journal_mode=wal"]
            command += ["--sqlite-pragma", "synchronous=normal"]
        for name in SEARCH_ATTRIBUTE_NAMES:
            command += ["--search-attribute", f"{name}=Keyword"]
        out = self.log_file.open("ab") if self.log_file else subprocess.DEVNULL
        self.process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        """kill -9 the server (its whole process group), as a crash would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
