"""`heat-temporal watch STACK`: a live view of a stack's operation, from the API's event stream.

It reads the stack and its resources once, then follows `GET .../events?watch=true` (server-sent
events) and redraws: resources done, in progress, waiting and failed, with the elapsed time. It
ends when the operation ends, with exit status 0 if it completed and 1 if it failed. On a
terminal the view is a rich live table; otherwise one line per event and a closing summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

_STYLES = {"done": "green", "in progress": "yellow", "waiting": "dim", "failed": "bold red"}


@dataclass
class OperationView:
    """What the view shows: the stack's status and each resource's latest status."""

    stack_name: str
    stack_status: str
    stack_reason: str = ""
    stack_id: str = ""
    started: float = field(default_factory=time.monotonic)
    resources: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.stack_status.split("_", 1)[0]

    def phase(self, resource_status: str) -> str:
        action, _, status = resource_status.partition("_")
        if status == "FAILED":
            return "failed"
        if status == "IN_PROGRESS":
            return "in progress"
        # An update or rollback leaves untouched resources as they were: nothing to wait for.
        if action == self.action or (self.action in ("UPDATE", "ROLLBACK") and action != "INIT"):
            return "done"
        return "waiting"

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(_STYLES, 0)
        for status, _reason in self.resources.values():
            counts[self.phase(status)] += 1
        return counts

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        counts = ", ".join(f"{n} {phase}" for phase, n in self.counts().items())
        return f"{self.stack_name} {self.stack_status} after {self.elapsed():.1f} s: {counts}"

    def apply(self, event: dict[str, Any]) -> None:
        name = event["resource_name"]
        if name == self.stack_name and event.get("physical_resource_id") == self.stack_id:
            self.stack_status = event["resource_status"]
            self.stack_reason = event.get("resource_status_reason") or ""
            return
        self.resources[name] = (event["resource_status"], event.get("resource_status_reason", ""))

    def render(self) -> Group:
        header = Text(f"{self.stack_name}  ", style="bold")
        header.append(self.stack_status, style=_status_style(self.stack_status))
        header.append(f"   elapsed {self.elapsed():.1f} s   ")
        for phase, n in self.counts().items():
            header.append(f"{phase} {n}  ", style=_STYLES[phase])
        table = Table(box=None, pad_edge=False)
        table.add_column("resource")
        table.add_column("status")
        table.add_column("reason", overflow="fold")
        for name in sorted(self.resources):
            status, reason = self.resources[name]
            table.add_row(name, Text(status, style=_STYLES[self.phase(status)]), reason)
        return Group(header, table)


def _status_style(status: str) -> str:
    if status.endswith("FAILED"):
        return "bold red"
    return "yellow" if status.endswith("IN_PROGRESS") else "green"


def _started_at(stack: dict[str, Any]) -> float:
    """The operation's start on the monotonic clock, from the stack's updated or created time."""
    stamp = stack.get("updated_time") or stack.get("creation_time")
    if not stamp or not stack.get("stack_status", "").endswith("IN_PROGRESS"):
        return time.monotonic()
    when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return time.monotonic() - max(0.0, (datetime.now(UTC) - when).total_seconds())


async def _server_sent_events(
    response: aiohttp.ClientResponse,
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    kind, data = "message", ""
    async for raw in response.content:
        line = raw.decode().rstrip("\r\n")
        if not line:
            if data:
                yield kind, json.loads(data)
            kind, data = "message", ""
        elif line.startswith("event:"):
            kind = line[6:].strip()
        elif line.startswith("data:"):
            data += line[5:].strip()


class Watcher:
    def __init__(self, endpoint: str, token: str | None, console: Console) -> None:
        self._endpoint = endpoint.rstrip("/")
        self._headers = {"Accept": "application/json", "X-Auth-Token": token or "notused"}
        self._console = console

    async def _get(self, session: aiohttp.ClientSession, path: str) -> Any:
        async with session.get(self._endpoint + path) as answer:
            body = await answer.json(content_type=None)
            if answer.status != 200:
                message = (body or {}).get("error", {}).get("message") or answer.reason
                raise SystemExit(f"heat-temporal watch: {message}")
            return body

    async def watch(self, stack_ref: str) -> int:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=30)
        async with aiohttp.ClientSession(headers=self._headers, timeout=timeout) as session:
            stack = (await self._get(session, f"/stacks/{stack_ref}"))["stack"]
            base = f"/stacks/{stack['stack_name']}/{stack['id']}"
            latest = (await self._get(session, f"{base}/events?sort_dir=desc&limit=1"))["events"]
            resources = (await self._get(session, f"{base}/resources"))["resources"]
            view = OperationView(
                stack_name=stack["stack_name"],
                stack_status=stack["stack_status"],
                stack_reason=stack.get("stack_status_reason") or "",
                started=_started_at(stack),
                stack_id=stack["id"],
            )
            for resource in resources:
                view.resources[resource["resource_name"]] = (
                    resource["resource_status"],
                    resource.get("resource_status_reason") or "",
                )
            marker = f"&marker={latest[0]['id']}" if latest else ""
            async with session.get(f"{self._endpoint}{base}/events?watch=true{marker}") as stream:
                if stream.status != 200:
                    raise SystemExit(f"heat-temporal watch: the stream answered {stream.status}")
                await self._follow(stream, view)
        return 0 if view.stack_status.endswith("_COMPLETE") else 1

    async def _follow(self, stream: aiohttp.ClientResponse, view: OperationView) -> None:
        console = self._console
        if console.is_terminal:
            with Live(view.render(), console=console, refresh_per_second=4) as live:
                # Redraw on every event and, between them, for the elapsed time.
                async def tick() -> None:
                    while True:
                        await asyncio.sleep(0.25)
                        live.update(view.render())

                ticker = asyncio.create_task(tick())
                try:
                    async for kind, data in _server_sent_events(stream):
                        self._take(view, kind, data)
                        live.update(view.render())
                finally:
                    ticker.cancel()
        else:
            console.print(f"watching {view.stack_name} ({view.stack_status})")
            async for kind, data in _server_sent_events(stream):
                self._take(view, kind, data)
                if kind == "event":
                    reason = data.get("resource_status_reason") or ""
                    console.print(
                        f"{view.elapsed():7.1f} s  {data['resource_name']}  "
                        f"{data['resource_status']}  {reason}".rstrip(),
                        soft_wrap=True,
                    )
        console.print(view.summary(), soft_wrap=True)
        if view.stack_reason and not view.stack_status.endswith("_COMPLETE"):
            console.print(view.stack_reason, soft_wrap=True)

    @staticmethod
    def _take(view: OperationView, kind: str, data: dict[str, Any]) -> None:
        if kind == "event":
            view.apply(data)
        elif kind == "stack":
            view.stack_status = data["stack_status"]
            view.stack_reason = data.get("stack_status_reason") or ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("stack", help="stack name or id")
    parser.add_argument(
        "--os-endpoint",
        default=os.environ.get("OS_ENDPOINT"),
        help="the orchestration endpoint with the project, e.g. http://127.0.0.1:8004/v1/demo "
        "(default: $OS_ENDPOINT)",
    )
    parser.add_argument(
        "--os-token",
        default=os.environ.get("OS_TOKEN"),
        help="a Keystone token when auth is on (default: $OS_TOKEN)",
    )


def run(args: argparse.Namespace) -> int:
    if not args.os_endpoint:
        raise SystemExit("heat-temporal watch: give --os-endpoint or set OS_ENDPOINT")
    watcher = Watcher(args.os_endpoint, args.os_token, Console())
    try:
        return asyncio.run(watcher.watch(args.stack))
    except KeyboardInterrupt:
        return 130
    except aiohttp.ClientError as error:
        raise SystemExit(f"heat-temporal watch: {args.os_endpoint}: {error}") from None
