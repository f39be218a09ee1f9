"""Live progress: the events stream (server-sent events) and `heat-temporal watch`, slow stacks."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from tests.conftest import REPO, HeatClient
from tests.ops.conftest import OpsService

# The console script pyproject.toml installs (`make venv` installs the project editable).
WATCH = [str(Path(sys.executable).parent / "heat-temporal"), "watch"]


def _chain(wait_secs: float, fail_last: bool = False, slow_last: bool = False) -> dict[str, Any]:
    """first -> second (both slow TestResources) -> last (slow too if asked, or failing)."""
    slow = {"action_wait_secs": {"create": wait_secs}}
    last: dict[str, Any] = {"type": "OS::Heat::TestResource", "depends_on": "second"}
    last["properties"] = {"fail": True} if fail_last else (slow if slow_last else {})
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "first": {"type": "OS::Heat::TestResource", "properties": slow},
            "second": {
                "type": "OS::Heat::TestResource",
                "properties": slow,
                "depends_on": "first",
            },
            "last": last,
        },
    }


def _read_stream(response: requests.Response) -> list[tuple[float, str, dict[str, Any], str]]:
    """(arrival time, event kind, data, id) of every server-sent event, until the stream ends."""
    received = []
    kind, data, event_id = "message", "", ""
    for raw in response.iter_lines():
        line = raw.decode()
        if line == "":
            if data:
                received.append((time.monotonic(), kind, json.loads(data), event_id))
            kind, data, event_id = "message", "", ""
        elif line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            data += line[6:]
        elif line.startswith("id: "):
            event_id = line[4:]
    return received


def _watch_url(heat: HeatClient, name: str, stack_id: str) -> str:
    return f"{heat.endpoint}/stacks/{name}/{stack_id}/events?watch=true"


def test_the_event_stream_sends_each_event_as_it_happens_and_ends_with_the_operation(
    ops_service: OpsService,
) -> None:
    heat = ops_service.heat(f"live-{uuid.uuid4().hex[:8]}")
    name = f"chain-{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, _chain(wait_secs=2))["id"]
    with requests.get(_watch_url(heat, name, stack_id), stream=True, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/event-stream"
        received = _read_stream(response)
    events = [(at, data) for at, kind, data, _ in received if kind == "event"]
    kind, final = received[-1][1], received[-1][2]
    assert kind == "stack"
    assert final["stack_status"] == "CREATE_COMPLETE"
    statuses = [(d["resource_name"], d["resource_status"]) for _, d in events]
    for resource in ("first", "second", "last"):
        assert (resource, "CREATE_IN_PROGRESS") in statuses
        assert (resource, "CREATE_COMPLETE") in statuses
    assert statuses[-1] == (name, "CREATE_COMPLETE")
    # Live, not at the end: "first" completed ~2 s (the wait of "second") before the stack did.
    first_done = next(
        at
        for at, d in events
        if d["resource_name"] == "first" and d["resource_status"] == "CREATE_COMPLETE"
    )
    assert received[-1][0] - first_done > 1.0
    # The events are Heat's event bodies, each once, in order.
    ids = [event_id for _, kind, _, event_id in received if kind == "event"]
    assert len(set(ids)) == len(ids)
    listed = heat.get(f"/stacks/{name}/{stack_id}/events?sort_dir=asc").json()["events"]
    assert [e["id"] for e in listed] == ids


def test_a_reconnecting_client_resumes_after_the_last_event_it_saw(
    ops_service: OpsService,
) -> None:
    heat = ops_service.heat(f"live-{uuid.uuid4().hex[:8]}")
    name = f"resume-{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, _chain(wait_secs=0))["id"]
    heat.wait_status(name, stack_id, "CREATE_COMPLETE")
    listed = heat.get(f"/stacks/{name}/{stack_id}/events?sort_dir=asc").json()["events"]
    seen = listed[2]["id"]
    with requests.get(
        _watch_url(heat, name, stack_id),
        headers={"Last-Event-ID": seen},
        stream=True,
        timeout=30,
    ) as response:
        received = _read_stream(response)
    assert [event_id for _, kind, _, event_id in received if kind == "event"] == [
        e["id"] for e in listed[3:]
    ]
    assert received[-1][1] == "stack"


def _stack_status(heat: HeatClient, name: str) -> str:
    return str(heat.get(f"/stacks/{name}", allow_redirects=True).json()["stack"]["stack_status"])


def test_watch_prints_each_resource_as_it_finishes_and_ends_with_the_operation(
    ops_service: OpsService,
) -> None:
    project = f"watch-{uuid.uuid4().hex[:8]}"
    heat = ops_service.heat(project)
    name = f"watched-{uuid.uuid4().hex[:6]}"
    heat.create(name, _chain(wait_secs=3, slow_last=True))
    env = {**os.environ, "OS_ENDPOINT": heat.endpoint, "PYTHONPATH": str(REPO)}
    watcher = subprocess.Popen([*WATCH, name], env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert watcher.stdout is not None
    lines: list[str] = []
    status_at_first_line = ""
    for line in watcher.stdout:
        lines.append(line.rstrip())
        if re.search(r"\b(first|second)\s+CREATE_COMPLETE", line) and not status_at_first_line:
            status_at_first_line = _stack_status(heat, name)
    assert watcher.wait(timeout=30) == 0, lines
    # A resource's line came while the stack was still being created, not all at the end.
    assert status_at_first_line == "CREATE_IN_PROGRESS", lines
    assert re.search(r"\blast\s+CREATE_COMPLETE", "\n".join(lines))
    summary = lines[-1]
    assert re.fullmatch(
        rf"{name} CREATE_COMPLETE after [\d.]+ s: 3 done, 0 in progress, 0 waiting, 0 failed",
        summary,
    ), summary


def test_watch_exits_1_and_names_the_failure_when_the_operation_fails(
    ops_service: OpsService,
) -> None:
    heat = ops_service.heat(f"watch-{uuid.uuid4().hex[:8]}")
    name = f"failing-{uuid.uuid4().hex[:6]}"
    heat.create(name, _chain(wait_secs=1, fail_last=True))
    env = {**os.environ, "OS_ENDPOINT": heat.endpoint, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [*WATCH, name], env=env, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(
        rf"{name} CREATE_FAILED after [\d.]+ s: 2 done, 0 in progress, 0 waiting, 1 failed",
        lines[-2],
    ), lines
    assert "Test Resource failed last" in lines[-1]


def test_watch_on_a_terminal_draws_a_live_view_with_counts_and_elapsed_time(
    ops_service: OpsService, tmp_path: Path
) -> None:
    heat = ops_service.heat(f"watch-{uuid.uuid4().hex[:8]}")
    name = f"tty-{uuid.uuid4().hex[:6]}"
    heat.create(name, _chain(wait_secs=4))
    leader, follower = pty.openpty()
    env = {
        **os.environ,
        "OS_ENDPOINT": heat.endpoint,
        "PYTHONPATH": str(REPO),
        "TERM": "xterm-256color",
        "COLUMNS": "120",
    }
    watcher = subprocess.Popen(
        [*WATCH, name], env=env, cwd=REPO, stdin=follower, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                chunks.append(chunk)
            elif watcher.poll() is not None:
                return

    reader = threading.Thread(target=drain)
    reader.start()
    assert watcher.wait(timeout=60) == 0
    reader.join(timeout=10)
    os.close(leader)
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", b"".join(chunks).decode(errors="replace"))
    (tmp_path / "watch-screen.txt").write_text(screen)
    # Frames drawn while it ran: something in progress, then everything done.
    assert re.search(r"in progress [12]", screen), screen[-2000:]
    assert re.search(r"elapsed \d+\.\d s", screen)
    assert "done 3" in screen
    assert f"{name} CREATE_COMPLETE after" in screen


def test_watch_of_a_stack_that_does_not_exist_says_so_in_heats_words(
    ops_service: OpsService,
) -> None:
    heat = ops_service.heat(f"watch-{uuid.uuid4().hex[:8]}")
    env = {**os.environ, "OS_ENDPOINT": heat.endpoint}
    done = subprocess.run(
        [*WATCH, "no-such-stack"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "heat-temporal watch: The Stack (no-such-stack) could not be found." in done.stderr
    assert "Traceback" not in done.stderr


def test_the_event_stream_follows_a_failed_create_through_its_rollback_to_the_end(
    ops_service: OpsService,
) -> None:
    heat = ops_service.heat(f"live-{uuid.uuid4().hex[:8]}")
    name = f"rolled-{uuid.uuid4().hex[:6]}"
    stack_id = heat.create(name, _chain(wait_secs=1, fail_last=True), disable_rollback=False)["id"]
    with requests.get(_watch_url(heat, name, stack_id), stream=True, timeout=60) as response:
        received = _read_stream(response)
    stack_events = [
        d["resource_status"]
        for _, kind, d, _ in received
        if kind == "event" and d["resource_name"] == name
    ]
    # CREATE_FAILED is not the end: the stream goes on through the rollback.
    assert stack_events == [
        "CREATE_IN_PROGRESS",
        "CREATE_FAILED",
        "ROLLBACK_IN_PROGRESS",
        "ROLLBACK_COMPLETE",
    ]
    assert received[-1][1] == "stack"
    assert received[-1][2]["stack_status"] == "ROLLBACK_COMPLETE"
