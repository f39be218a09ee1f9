"""A workflow that resolves template snippets, to compare resolution inside the sandbox."""

from __future__ import annotations

import json
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from templates import Template, TemplateError
    from templates.function import EvalContext, NoConditions, resolve

CONTEXT = dict(
    parameters={"a": "x", "p": [1, 2], "b": {"k": "v"}},
    files={"a": "file a"},
    mappings={"a": {"b": {"p": 1}}},
)


def evaluate(version_key: str, version: str, snippet: Any) -> list[Any]:
    """["ok", value] or [error type, message]: the same function inside and outside."""
    template = Template({version_key: version})
    ctx = EvalContext(resource_names=(), conditions=NoConditions(), **CONTEXT)  # type: ignore[arg-type]
    try:
        value = resolve(template.parse(snippet, "resources.r.properties"), ctx)
    except TemplateError as exc:
        return [type(exc).__name__, exc.message]
    try:
        # What crosses the workflow boundary is JSON; a value that is not is compared by repr.
        return ["ok", json.loads(json.dumps(value))]
    except (TypeError, ValueError):
        return ["not json", repr(value)]


@workflow.defn(name="ResolveSnippets")
class ResolveSnippets:
    @workflow.run
    async def run(self, cases: list[list[Any]]) -> list[list[Any]]:
        return [evaluate(key, version, snippet) for key, version, snippet in cases]
