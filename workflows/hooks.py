"""Breakpoints: resource_registry hooks pause an operation at a resource until cleared."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from templates import Environment, TemplateError
    from workflows.projector import Projector
    from workflows.types import ResourceState, StackState


class Hooks:
    """Pauses at `pre-<action>` and `post-<action>` hooks and resumes when a signal clears
    them (`{"unset_hook": "pre-create"}`, what `openstack stack hook clear` sends).

    The events are upstream's words, which `openstack stack hook poll` looks for:
    "CREATE paused until Hook pre-create is cleared", then "Hook pre-create is cleared".
    """

    def __init__(self, state: StackState, projector: Projector, stopped: Callable[[], bool]):
        self._state = state
        self._projector = projector
        self._stopped = stopped
        self._pending: dict[str, set[str]] = {}

    def defined(self, resource_name: str) -> list[str]:
        try:
            registry = Environment.from_data(self._state.environment).registry
        except TemplateError:
            return []
        return registry.hooks(resource_name)

    async def pause(self, resource: ResourceState, action: str, when: str) -> None:
        """Wait here while the hook `<when>-<action>` is set on this resource."""
        hook = f"{when}-{action.lower()}"
        if hook not in self.defined(resource.name):
            return
        self._pending.setdefault(resource.name, set()).add(hook)
        self._projector.resource_note(
            resource,
            resource.action,
            resource.status,
            f"{action} paused until Hook {hook} is cleared",
        )
        pending = self._pending[resource.name]
        await workflow.wait_condition(lambda: hook not in pending or self._stopped())
        pending.discard(hook)

    def clear(self, resource: ResourceState, hook: str) -> bool:
        """Clear a pending hook; False when it is not pending here."""
        pending = self._pending.get(resource.name, set())
        if hook not in pending:
            return False
        pending.discard(hook)
        self._projector.resource_note(
            resource, resource.action, resource.status, f"Hook {hook} is cleared"
        )
        return True
