"""Parses PUT and PATCH stack bodies into the engine's UpdateArgs, checked as Heat checks them."""

from __future__ import annotations

from typing import Any

from api.bodies import bool_param, int_param, tags_param
from api.definition import (
    as_http_error,
    request_environment,
    request_files,
    request_parameters,
    request_template,
)
from api.errors import bad_request
from templates import TemplateError
from workflows.types import Definition, StackState, UpdateArgs
from workflows.update_plan import new_definition, validate_definition


def update_args(body: dict[str, Any], existing: bool) -> UpdateArgs:
    """A PUT (existing=False) or PATCH (existing=True) body."""
    template: dict[str, Any] | None = None
    try:
        if body.get("template") is not None or not existing:
            template = request_template(body)
    except TemplateError as error:
        raise as_http_error(error, "create") from error
    clear = body.get("clear_parameters") or []
    if not isinstance(clear, list):
        raise bad_request("clear_parameters must be a list of parameter names.")
    disable_rollback = body.get("disable_rollback")
    return UpdateArgs(
        existing=existing,
        template=template,
        parameters=request_parameters(body),
        environment=request_environment(body) if body.get("environment") is not None else None,
        files=request_files(body),
        clear_parameters=[str(c) for c in clear],
        timeout_mins=int_param("timeout_mins", body.get("timeout_mins")),
        disable_rollback=(
            None if disable_rollback is None else bool_param("disable_rollback", disable_rollback)
        ),
        tags=tags_param(body.get("tags")),
        converge=bool_param("converge", body.get("converge") or False),
    )


def checked_update(state: StackState, args: UpdateArgs) -> Definition:
    """The definition an update leads to, or Heat's 400 for it (used by previews)."""
    try:
        definition = new_definition(state, args)
        validate_definition(state, definition)
    except TemplateError as error:
        raise as_http_error(error, "create") from error
    return definition
