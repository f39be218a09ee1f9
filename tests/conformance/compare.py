"""Our POST /validate answer for a recorded request, and its comparison with upstream's."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from api.definition import validation_report
from api.errors import HeatError

_MISSING_TYPE = re.compile(r"The Resource Type \((.+)\) could not be found\.")
_UNAVAILABLE_TYPE = re.compile(r"HEAT-E99001 Service \S+ is not available for resource type (\S+),")
_CYCLE_NODE = re.compile(r'(?:[A-Za-z]\w* "([^"]+)"|([^\s{},:"]+)): \{([^}]*)\}')
_CYCLE_MEMBER = re.compile(r'[A-Za-z]\w* "([^"]+)"|([^\s{},:"]+)')


def our_answer(body: dict[str, Any]) -> dict[str, Any]:
    """Status and body of our POST /validate, from the same code the route runs."""
    try:
        return {"status": 200, "body": validation_report(dict(body))}
    except HeatError as error:
        return {
            "status": error.status,
            "body": {"error": {"type": error.error_type, "message": error.message}},
        }


def comparable(answer: dict[str, Any]) -> dict[str, Any]:
    """What the conformance test compares: accepted/refused, parameters, description, error."""
    body = answer["body"]
    if answer["status"] != 200:
        error = body.get("error", {})
        return {
            "status": answer["status"],
            "type": error.get("type"),
            "message": error.get("message"),
        }
    return {
        "status": 200,
        "Description": body.get("Description"),
        "Parameters": body.get("Parameters"),
        "ParameterGroups": body.get("ParameterGroups"),
    }


def missing_type(answer: dict[str, Any]) -> str | None:
    """The type a "could not be found" refusal names (None for any other answer)."""
    found = _MISSING_TYPE.fullmatch(answer.get("message") or "")
    return found.group(1) if found else None


def unavailable_type(answer: dict[str, Any]) -> str | None:
    """The type an upstream ResourceTypeUnavailable refusal names (service not in the catalog)."""
    if answer.get("type") != "ResourceTypeUnavailable":
        return None
    found = _UNAVAILABLE_TYPE.match(answer.get("message") or "")
    return found.group(1) if found else None


def cycle(answer: dict[str, Any]) -> dict[str, frozenset[str]] | None:
    """The graph a CircularDependencyException names: resource -> the resources it requires.

    Upstream writes each resource as `<plugin class> "<name>"` and lists the
    required ones in set order (by object id, so not reproducible); this is
    what both messages say once that presentation is set aside.
    """
    if answer.get("type") != "CircularDependencyException":
        return None
    text = answer["message"].removeprefix("Circular Dependency Found: ")
    return {
        quoted or bare: frozenset(q or b for q, b in _CYCLE_MEMBER.findall(members))
        for quoted, bare, members in _CYCLE_NODE.findall(text)
    }


def stand_in_answer(body: dict[str, Any], upstream_types: Collection[str]) -> dict[str, Any]:
    """Our answer when each type upstream offers and we lack is stood in for by OS::Heat::None.

    Types upstream offers but we do not implement yet would otherwise stop
    our validation first; with a stand-in the template language itself
    (parameters, description, functions, references, the dependency graph,
    types upstream does not know either) is still compared.
    """
    import api.definition as definition
    from activities.resources.heat_types import NONE_SCHEMA
    from activities.resources.registry import type_schema

    def lookup(name: str) -> Any:
        schema = type_schema(name)
        if schema is None and name in upstream_types:
            return NONE_SCHEMA
        return schema

    original = definition.type_schema
    definition.type_schema = lookup  # type: ignore[assignment]
    try:
        return our_answer(body)
    finally:
        definition.type_schema = original
