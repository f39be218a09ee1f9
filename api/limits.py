"""Limits on what one stack may hold, refused up front in Heat's words instead of overflowing
the engine (Temporal refuses any payload over 2 MB, and an operation's result carries the
stack's whole state, so a stack too big for it would hang IN_PROGRESS)."""

from __future__ import annotations

from typing import Any

from api.errors import HeatError
from service.settings import Settings
from workflows.types import StackState, UpdateArgs


def limit_exceeded(message: str) -> HeatError:
    """Upstream's RequestLimitExceeded, a 400."""
    return HeatError(400, f"Request limit exceeded: {message}", "RequestLimitExceeded")


def _check_resource_count(resources: Any, settings: Settings) -> None:
    limit = settings.max_resources_per_stack
    if limit != -1 and isinstance(resources, dict) and len(resources) > limit:
        raise limit_exceeded("Maximum resources per stack exceeded.")


def check_new_stack(state: StackState, settings: Settings) -> None:
    """A create (or adopt, or preview): its resource count and the size of its state."""
    _check_resource_count(state.template.get("resources"), settings)
    size = len(state.model_dump_json())
    if size > settings.max_stack_state_bytes:
        raise limit_exceeded(
            f"Stack size ({size} bytes: template, parameters, environment and files) exceeds "
            f"maximum allowed size ({settings.max_stack_state_bytes} bytes)."
        )


def check_update(args: UpdateArgs, settings: Settings) -> None:
    """An update: the new template's resource count, and the size of what it brings."""
    if args.template is not None:
        _check_resource_count(args.template.get("resources"), settings)
    size = len(args.model_dump_json())
    if size > settings.max_stack_state_bytes:
        raise limit_exceeded(
            f"Stack size ({size} bytes: template, parameters, environment and files) exceeds "
            f"maximum allowed size ({settings.max_stack_state_bytes} bytes)."
        )
