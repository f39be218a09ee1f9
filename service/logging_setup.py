"""Structured logs: JSON lines (text on a terminal) with request, project, stack and workflow.

The API sets the context per request (`bind`), the worker per activity; workflow log lines carry
Temporal's own `temporal_workflow` extra. Every line passes through `redact`, so a password,
token or database credential that slips into a message never reaches the log.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

CONTEXT_FIELDS = ("request_id", "project_id", "stack_id", "workflow_id")
# Never mutated: `bind` sets a new dict, so the shared empty default is safe.
_EMPTY: dict[str, str] = {}
_context: ContextVar[dict[str, str]] = ContextVar("heat_temporal_log_context", default=_EMPTY)

# Fields an access-log line or a caller may add with `extra=`; copied into the JSON object.
EXTRA_FIELDS = ("method", "route", "path", "status", "duration_ms", "activity", "attempt")

_SECRET_PATTERNS = [
    # user:password@host in URLs (database URLs, transport URLs).
    (re.compile(r"(?P<keep>[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+(?=@)", re.I), r"\g<keep>***"),
    # "password": "...", password=..., X-Auth-Token: ..., and their kin.
    (
        re.compile(
            r"(?P<keep>[\"']?(?:[a-z_-]*password|passwd|secret|x-auth-token|x-subject-token|"
            r"token|credential)[\"']?\s*[:=]\s*[\"']?)[^\"',\s}]+",
            re.I,
        ),
        r"\g<keep>***",
    ),
]


def redact(text: str) -> str:
    """Mask what looks like a credential: URL passwords, password/token keys and headers."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def current_context() -> dict[str, str]:
    return dict(_context.get())


@contextmanager
def bind(**fields: str | None) -> Iterator[None]:
    """Add fields to every log line written inside the block (and the tasks it starts)."""
    merged = {**_context.get(), **{k: v for k, v in fields.items() if v}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def _project_from_workflow_id(workflow_id: str) -> str | None:
    # Our workflow ids are stack/<project>/<name>[/<stack id>/<operation>].
    parts = workflow_id.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "stack" else None


def _stack_from_workflow_id(workflow_id: str) -> str | None:
    parts = workflow_id.split("/")
    return parts[3] if len(parts) >= 5 and parts[0] == "stack" else None


class ContextFilter(logging.Filter):
    """Puts the bound context and Temporal's workflow/activity info on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = dict(_context.get())
        temporal = getattr(record, "temporal_workflow", None) or getattr(
            record, "temporal_activity", None
        )
        if isinstance(temporal, dict) and temporal.get("workflow_id"):
            fields.setdefault("workflow_id", str(temporal["workflow_id"]))
        workflow_id = fields.get("workflow_id")
        if workflow_id:
            project = _project_from_workflow_id(workflow_id)
            stack = _stack_from_workflow_id(workflow_id)
            if project:
                fields.setdefault("project_id", project)
            if stack:
                fields.setdefault("stack_id", stack)
        for name in CONTEXT_FIELDS:
            setattr(record, name, fields.get(name))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, process, logger, message, context, extras."""

    def __init__(self, process_name: str) -> None:
        super().__init__()
        self._process = process_name

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "process": self._process,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in (*CONTEXT_FIELDS, *EXTRA_FIELDS):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """For a person at a terminal: the usual line, with the context in brackets."""

    def __init__(self, process_name: str) -> None:
        super().__init__(f"%(asctime)s {process_name} %(levelname)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = redact(super().format(record))
        context = " ".join(
            f"{name}={getattr(record, name)}"
            for name in CONTEXT_FIELDS
            if getattr(record, name, None)
        )
        return f"{line} [{context}]" if context else line


def configure(process_name: str, level: str = "INFO", fmt: str = "auto") -> None:
    """Route every logger (ours, aiohttp's, Temporal's) through one redacting handler."""
    stream: TextIO = sys.stderr
    use_json = fmt == "json" or (fmt == "auto" and not stream.isatty())
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter(process_name) if use_json else TextFormatter(process_name))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
