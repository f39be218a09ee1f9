"""Our POST /validate answer for a recorded request, and its comparison with upstream's."""

from __future__ import annotations

from typing import Any

from api.definition import validation_report
from api.errors import HeatError


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


def permissive_answer(body: dict[str, Any]) -> dict[str, Any]:
    """Our answer when every type we lack is stood in for by OS::Heat::None.

    Upstream accepted templates that we refuse only because a resource type
    is not implemented yet; with a stand-in type the template language itself
    (parameters, description, functions, references) is still compared.
    """
    import api.definition as definition
    from activities.resources.heat_types import NONE_SCHEMA
    from activities.resources.registry import type_schema

    original = definition.type_schema
    definition.type_schema = lambda name: type_schema(name) or NONE_SCHEMA  # type: ignore[assignment]
    try:
        return our_answer(body)
    finally:
        definition.type_schema = original
