"""Resource signals: which ones upstream refuses, and what an accepted one does to the state."""

from __future__ import annotations

import hmac
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.resources.registry import accepts_signals, type_schema
    from templates import Environment, TemplateError
    from templates.environment import HOOK_TYPES
    from workflows.deployments import DEPLOYMENT_TYPES, SIGNAL_KEY
    from workflows.hooks import Hooks
    from workflows.projector import Projector
    from workflows.types import ResourceSignal, ResourceState, StackState, implementation_of
    from workflows.waits import HANDLE_TYPES, handle_signal, handle_token

SIGNAL_RESOURCE = "resource_signal"
# Upstream's Resource.no_signal_actions.
_NO_SIGNAL_ACTIONS = ("SUSPEND", "DELETE")


class SignalRefused(Exception):
    """A signal upstream refuses: HTTP status, message and error type for the API."""

    def __init__(self, status: int, message: str, error_type: str) -> None:
        super().__init__(message)
        self.status, self.message, self.error_type = status, message, error_type


def describe(state: StackState, resource: ResourceState) -> str:
    """A resource as upstream's str(resource) writes it in messages."""
    schema = type_schema(implementation_of(resource))
    class_name = (schema.class_name if schema else "") or "Resource"
    stack = f'Stack "{state.stack_name}" [{state.stack_id}]'
    if resource.physical_id:
        return f'{class_name} "{resource.name}" [{resource.physical_id}] {stack}'
    return f'{class_name} "{resource.name}" {stack}'


def unset_hook(details: Any) -> str | None:
    if isinstance(details, dict) and "unset_hook" in details:
        return str(details["unset_hook"])
    return None


def check_signal(state: StackState, signal: ResourceSignal) -> ResourceState:
    """The resource the signal is for, or SignalRefused with upstream's answer."""
    resource = state.resources.get(signal.resource_name)
    if resource is None or (resource.action == "INIT" and resource.status != "COMPLETE"):
        raise SignalRefused(
            404,
            f"The Resource ({signal.resource_name}) could not be found in Stack "
            f"{state.stack_name}.",
            "ResourceNotFound",
        )
    hook = unset_hook(signal.details)
    if hook is not None:
        if hook not in HOOK_TYPES:
            raise SignalRefused(
                400,
                f'Invalid hook type "{hook}" for {describe(state, resource)}',
                "InvalidBreakPointHook",
            )
        try:
            defined = Environment.from_data(state.environment).registry.hooks(resource.name)
        except TemplateError:
            defined = []
        if hook not in defined:
            raise SignalRefused(
                400,
                f'The "{hook}" hook is not defined on {describe(state, resource)}',
                "InvalidBreakPointHook",
            )
        return resource
    # A deployment takes its server's signal in any action (upstream: no_signal_actions = ()),
    # as it runs its config on DELETE, SUSPEND and RESUME when its `actions` say so.
    if (
        resource.action in _NO_SIGNAL_ACTIONS
        and implementation_of(resource) not in DEPLOYMENT_TYPES
    ):
        raise SignalRefused(
            400, f"Signal resource during {resource.action} is not supported.", "NotSupported"
        )
    if not accepts_signals(implementation_of(resource)):
        raise SignalRefused(
            400, "signal is not supported for resource.", "ResourceActionNotSupported"
        )
    # The entity's copy of a handle made by a running operation has no data yet: the token
    # is checked against the one derived from the stack's secret.
    expected = handle_token(state, resource.name) or resource.data.get("token") or ""
    if signal.token is not None and not hmac.compare_digest(
        signal.token.encode(), str(expected).encode()
    ):
        raise SignalRefused(403, "The handle's token does not match.", "Forbidden")
    if implementation_of(resource) in HANDLE_TYPES:
        try:
            handle_signal(resource.model_copy(deep=True), signal.details)
        except ValueError as error:
            raise SignalRefused(
                400, f"ValueError: resources.{resource.name}: {error}", "ResourceFailure"
            ) from error
    return resource


def apply_signal(
    state: StackState, signal: ResourceSignal, projector: Projector, hooks: Hooks | None
) -> None:
    """Carry out an accepted signal on the state (its validity was checked when it came in)."""
    resource = state.resources.get(signal.resource_name)
    if resource is None:
        return
    hook = unset_hook(signal.details)
    if hook is not None:
        if hooks is not None:
            hooks.clear(resource, hook)
        return
    if implementation_of(resource) in DEPLOYMENT_TYPES:
        resource.data = {**resource.data, SIGNAL_KEY: signal.details}
        failed = isinstance(signal.details, dict) and signal.details.get(
            "deploy_status_code"
        ) not in (None, 0, "0")
        outcome = "failed" if failed else "succeeded"
        projector.resource_note(
            resource,
            "SIGNAL",
            resource.status,
            f"Signal: deployment {resource.physical_id} {outcome}",
        )
        return
    if implementation_of(resource) in HANDLE_TYPES:
        try:
            reason = handle_signal(resource, signal.details)
        except ValueError:
            return
        if reason is None:
            return
        projector.resource_changed(resource)
        projector.resource_note(resource, "SIGNAL", resource.status, f"Signal: {reason}")
