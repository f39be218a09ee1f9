"""What every fuzzed response must satisfy: no server error, no traceback, Heat's error body."""

from __future__ import annotations

import json
import os
from typing import Any

# Bounded by default (make test); `make fuzz` raises it.
EXAMPLES = int(os.environ.get("HEAT_TEMPORAL_FUZZ_EXAMPLES", "3"))


def heat_error_problems(status: int, text: str) -> list[str]:
    """Why a response breaks the API's promises; empty when it keeps them."""
    problems = []
    if status >= 500 and status != 503:
        problems.append(f"server error {status}")
    if "Traceback (most recent call last)" in text or 'File "/' in text:
        problems.append("a traceback in the response")
    if status >= 400:
        try:
            body: Any = json.loads(text)
        except ValueError:
            return [*problems, f"{status} without a JSON body: {text[:200]!r}"]
        error = body.get("error") if isinstance(body, dict) else None
        if not (
            isinstance(error, dict)
            and body.get("code") == status
            and isinstance(body.get("title"), str)
            and isinstance(error.get("type"), str)
            and isinstance(error.get("message"), str)
            and error.get("traceback") is None
        ):
            problems.append(f"{status} without Heat's error body: {text[:300]!r}")
    return problems
