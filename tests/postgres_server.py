"""A PostgreSQL server the harnesses can stop and start again, to take the listings down."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import _as_postgres_user, free_port, have_postgres


class PostgresServer:
    """Debian's PostgreSQL in a scratch folder on loopback (trust auth, user `heat`)."""

    def __init__(self) -> None:
        bindir = have_postgres()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
        self.bindir = bindir
        # Not under pytest's temp root: that is private to root, and the server runs as postgres.
        self.base = Path(tempfile.mkdtemp(prefix="heat-temporal-pg-outage-"))
        self.datadir = self.base / "data"
        self.datadir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
            shutil.chown(self.datadir, "postgres")
        self.port = free_port()
        self._run("initdb", "-D", str(self.datadir), "-U", "heat", "--auth=trust", "--no-sync")

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://heat@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = _as_postgres_user([f"{self.bindir}/{tool}", *args])
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.datadir} -h 127.0.0.1 -F"
        log = str(self.datadir / "server.log")
        self._run("pg_ctl", "-D", str(self.datadir), "-w", "-l", log, "-o", options, "start")

    def stop(self) -> None:
        # Immediate: connections drop at once, as in a crash or a network cut.
        self._run("pg_ctl", "-D", str(self.datadir), "-w", "-m", "immediate", "stop")

    def remove(self) -> None:
        subprocess.run(
            _as_postgres_user([f"{self.bindir}/pg_ctl", "-D", str(self.datadir), "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.base, ignore_errors=True)
