"""An audit trail of the physical resources the plugins made and removed (JSON lines).

Off unless the worker is given a file (setting `resource_ledger`). The chaos and fault
harnesses read it as "what the cloud holds": every resource still alive there must belong to
a live stack (else it leaked), and no stack resource may own two of them (a duplicate).
Appends are one short `write` each on a file opened with O_APPEND, so concurrent workers
(and a worker killed mid-write, at worst leaving one torn last line) do not interleave.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from activities.types import ActionResult, ResourceActionRequest

_CREATED_BY = ("create", "check_create", "adopt")
_DELETED_BY = ("delete", "check_delete")
_ledger: Path | None = None


def configure(path: Path | None) -> None:
    global _ledger
    _ledger = path


def record_step(request: ResourceActionRequest, result: ActionResult) -> None:
    """Record a create or delete once its last step has finished (nothing left to poll)."""
    if _ledger is None or result.poll_after is not None:
        return
    if request.step in _CREATED_BY:
        event = "created"
    elif request.step in _DELETED_BY:
        event = "deleted"
    else:
        return
    physical_id = result.physical_id or request.physical_id or request.physical_name
    if not physical_id:
        return
    line = json.dumps(
        {
            "event": event,
            "physical_id": physical_id,
            "stack_id": request.stack_id,
            "resource": request.resource_name,
            "type": request.resource_type,
        }
    )
    fd = os.open(_ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


@dataclass(frozen=True)
class LedgerEntry:
    physical_id: str
    stack_id: str
    resource: str
    type: str


def alive(path: Path) -> dict[str, LedgerEntry]:
    """The physical resources created and not (yet) deleted, by physical id."""
    living: dict[str, LedgerEntry] = {}
    if not path.exists():
        return living
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:  # a torn last line from a killed worker
            continue
        if entry["event"] == "created":
            living[entry["physical_id"]] = LedgerEntry(
                entry["physical_id"], entry["stack_id"], entry["resource"], entry["type"]
            )
        else:
            living.pop(entry["physical_id"], None)
    return living
