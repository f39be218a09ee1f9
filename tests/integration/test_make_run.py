"""`make run`'s launcher: Ctrl-C stops every process; running it again resumes a stack in flight."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import REPO, HeatClient, free_port, wait_for_port, wait_until


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_launcher(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "service.cli", "run"],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_ctrl_c_stops_everything_and_a_restart_resumes_the_stack(tmp_path: Path) -> None:
    api, grpc, ui = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEAT_TEMPORAL_")}
    env.update(
        HEAT_TEMPORAL_DATA_DIR=str(tmp_path / "data"),
        HEAT_TEMPORAL_API_PORT=str(api),
        HEAT_TEMPORAL_TEMPORAL_PORT=str(grpc),
    )
    env["HEAT_TEMPORAL_TEMPORAL_UI_PORT"] = str(ui)
    log = tmp_path / "launcher.log"
    launcher = start_launcher(env, log)
    try:
        wait_for_port(api, 90)
        wait_until(lambda: "OS_ENDPOINT=http://127.0.0.1:" in log.read_text(), 10, "the banner")
        heat = HeatClient(f"http://127.0.0.1:{api}/v1/demo")
        name = f"resume{uuid.uuid4().hex[:6]}"
        template = {
            "heat_template_version": "2018-08-31",
            "resources": {
                "slow": {"type": "OS::Heat::TestResource", "properties": {"wait_secs": 8}}
            },
        }
        stack_id = heat.create(name, template)["id"]

        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=60) == 0
        for port in (api, grpc, ui):
            assert not port_open(port), f"port {port} still open after Ctrl-C"

        launcher = start_launcher(env, log)
        wait_for_port(api, 90)
        stack = heat.wait_status(name, stack_id, "CREATE_COMPLETE", deadline=90)
        assert stack["stack_status_reason"] == "Stack CREATE completed successfully"
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGINT)
            launcher.wait(timeout=60)
