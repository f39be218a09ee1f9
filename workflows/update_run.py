"""Applies an update's plan resource by resource, journaling each action so it can be undone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.resources.registry import plugin_for, type_schema
    from templates import Environment, TemplateError
    from workflows.projector import Projector
    from workflows.rendering import StackModel
    from workflows.resource_runner import ResourceRunner
    from workflows.scheduler import WalkResult, reverse, walk, walk_in_waves
    from workflows.types import Definition, ResourceState, StackState, implementation_of
    from workflows.update_plan import (
        Change,
        changed_properties,
        classify,
        failed_nested_stack,
        needs_creating,
        with_definition,
    )

if TYPE_CHECKING:
    from workflows.batches import Batches

# `converge` reads the types' live properties (changes made outside the stack are set back);
# histories recorded before it asked only whether each resource was gone.
CONVERGE_LIVE_STATE_PATCH = "converge-live-state-2026-12"
# Replacements of the types with upstream's prepare_for_replace (a port) prepare the old
# resource before the new one is made, and a rollback restores it; histories recorded before
# made the new one at once.
PREPARE_FOR_REPLACE_PATCH = "prepare-for-replace-2026-12"
# A failed nested stack's resource is updated in place (its nested stack updated), no longer
# replaced, as upstream's StackResource.
FAILED_NESTED_IN_PLACE_PATCH = "failed-nested-stack-in-place-2026-12"


@dataclass
class JournalEntry:
    """One resource action the update took, and what undoing it needs."""

    kind: Literal["created", "updated", "replaced", "deleted"]
    name: str
    before: ResourceState | None = None


class UpdateRun:
    """Walks the new template's graph: creates what is new, updates in place what the schema
    allows, replaces the rest (create the new one first, delete the old one at the end), then
    deletes what the template no longer has. Every action is journaled; `compensate` undoes
    them in reverse order (create -> delete, update -> update back, replace -> keep the old
    and delete the new, delete -> create again)."""

    def __init__(
        self,
        state: StackState,
        projector: Projector,
        runner: ResourceRunner,
        max_concurrency: int,
        stopped: Callable[[], bool],
        converge: bool = False,
        batches: Batches | None = None,
        pause_secs: float | None = None,
    ) -> None:
        self._state = state
        # Splits a walk over a group's thousands of members among batch workflows.
        self._batches = batches
        # A rolling update's pause_time: members change in waves with this pause between.
        self._pause_secs = pause_secs
        self._projector = projector
        self._runner = runner
        self._max_concurrency = max_concurrency
        self._stopped = stopped
        self._converge = converge
        self._before = {n: r.model_copy(deep=True) for n, r in state.resources.items()}
        self._replaced: dict[str, ResourceState] = {}
        self._journal: list[JournalEntry] = []
        self._failed: ResourceState | None = None
        # The stack's reason when a restricted action stopped the update (the resource itself
        # is left as it was, so its own reason does not tell).
        self._restricted: str | None = None

    # -- apply ------------------------------------------------------------------------------

    async def apply(self, previous: Definition) -> str | None:
        """Run the update; the failure reason, or None when done (or stopped)."""
        state = self._state
        model = StackModel(state)
        for name, definition in model.resources.items():
            if name not in state.resources:
                state.resources[name] = ResourceState(
                    name=name,
                    type=definition.type,
                    implementation=model.implementation(name),
                    description=definition.description or "",
                )
                self._projector.resource_changed(state.resources[name])
        result = await self._walk_updates(model)
        if result.failed:
            return self._reason()
        if self._stopped():
            return None
        if not await self._clean_up(model, previous):
            return self._reason()
        failed = await delete_retired(state, self._runner)
        if failed is not None:
            self._track(failed, False)
            return self._reason()
        await self._runner.attribute_delay(model.output_references())
        state.outputs = model.resolve_outputs()
        return None

    # -- batches (workflows/batches.py) ------------------------------------------------------

    @property
    def journal(self) -> list[JournalEntry]:
        return self._journal

    @property
    def replaced(self) -> dict[str, ResourceState]:
        return self._replaced

    def use_before(self, before: dict[str, ResourceState]) -> None:
        """The resources as they were before the whole update (a batch sees only its own)."""
        self._before = {n: r.model_copy(deep=True) for n, r in before.items()}

    async def update_walk(
        self, graph: Mapping[str, set[str] | frozenset[str]], model: StackModel
    ) -> WalkResult:
        """Update each resource of `graph` (a batch workflow's part of the update)."""
        return await walk(
            graph,
            lambda name: self._update_one(name, model),
            self._max_concurrency,
            self._stopped,
        )

    async def _walk_updates(self, model: StackModel) -> WalkResult:
        graph = model.dependencies()
        state = self._state
        batches = self._batches
        implementations = [model.implementation(n) for n in graph] + [
            implementation_of(state.resources[n]) for n in graph if n in state.resources
        ]
        if self._pause_secs and not any(graph.values()):
            return await walk_in_waves(
                graph,
                lambda name: self._update_one(name, model),
                self._max_concurrency,
                self._pause_secs,
                self._stopped,
                acted=lambda: len(self._journal),
            )
        if batches is None or not batches.fits(graph, implementations):
            return await self.update_walk(graph, model)
        before = {n: self._before[n] for n in graph if n in self._before}
        result, outputs = await batches.walk(
            "update", graph, before=before, converge=self._converge
        )
        for output in outputs:
            self._journal.extend(
                JournalEntry(entry.kind, entry.name, entry.before) for entry in output.journal
            )
            self._replaced.update(output.replaced)
        if result.failed and self._failed is None:
            self._failed = state.resources[result.failed[0]]
        return result

    async def _update_one(self, name: str, model: StackModel) -> bool:
        state = self._state
        current = state.resources[name]
        definition = model.resources[name]
        runner = self._runner
        implementation = model.implementation(name)
        if needs_creating(current):
            current.type = definition.type
            current.implementation = implementation
            self._journal.append(JournalEntry("created", name, self._before.get(name)))
            return self._track(current, await runner.create(name, model))
        await runner.attribute_delay(model.dependencies()[name])
        try:
            properties = model.resource_properties(name)
            # Checked now, so a bad value fails this resource before anything changes.
            model.validated_properties(name, properties, type_schema(implementation))
            metadata = model.resource_metadata(name)
        except TemplateError as error:
            current.action = "UPDATE"
            runner.record(
                current, "FAILED", f"{error.error_type}: resources.{name}: {error.message}"
            )
            return self._track(current, False)
        change = self._classify(current, implementation, properties, metadata)
        if change != "replaced" and self._converge:
            change = await self._converged_change(current, implementation, properties, metadata)
        if change == "replaced" and self._take_back_retired(name, implementation, properties):
            return True
        if change != "updated":
            # Upstream pauses at pre-update before it decides whether anything changes, so the
            # hook is hit by an unchanged resource and by one about to be replaced too.
            await self._pre_update_hook(current)
        if change == "unchanged":
            return True
        if self._is_restricted(current, change):
            return False
        if change == "updated":
            self._journal.append(JournalEntry("updated", name, current.model_copy(deep=True)))
            changed = changed_properties(current.properties, properties)
            current.metadata = metadata
            # A new type name with the same implementation (two aliases of one provider
            # template), or a hidden deprecated type's successor, updates in place and shows
            # the new name, as upstream.
            current.type = definition.type
            current.implementation = implementation
            return self._track(current, await runner.update(current, properties, changed, model))
        # Replace: the new resource is made first; the old one goes in the clean-up.
        if self._prepares_for_replace(current) and not await runner.prepare_for_replace(current):
            return self._track(current, False)
        self._replaced[name] = current
        replacement = ResourceState(
            name=name,
            type=definition.type,
            implementation=implementation,
            description=definition.description or "",
        )
        state.resources[name] = replacement
        self._journal.append(JournalEntry("replaced", name, current))
        return self._track(replacement, await runner.create(name, model))

    async def _converged_change(
        self,
        current: ResourceState,
        implementation: str,
        properties: Mapping[str, Any],
        metadata: Mapping[str, Any],
    ) -> Change:
        """`converge`: what the cloud holds now stands for what the stack recorded, as
        upstream's observe-on-update. Gone is replaced; a property changed outside the stack
        (read back by the types that can) is set back, in place or by replacement as the
        property allows."""
        runner = self._runner
        if not workflow.patched(CONVERGE_LIVE_STATE_PATCH):
            gone = await runner.is_gone(current)
            if gone:
                return "replaced"
            return self._classify(current, implementation, properties, metadata)
        live = await runner.live_properties(current)
        if live is None:
            return "replaced"
        drifted = {k: v for k, v in live.items() if current.properties.get(k) != v}
        if drifted:
            current.properties = {**current.properties, **drifted}
        return self._classify(current, implementation, properties, metadata)

    @staticmethod
    def _classify(
        current: ResourceState,
        implementation: str,
        properties: Mapping[str, Any],
        metadata: Mapping[str, Any],
    ) -> Change:
        """classify(), with the patch marker recorded only where the in-place rule applies."""
        in_place = not failed_nested_stack(current, implementation) or workflow.patched(
            FAILED_NESTED_IN_PLACE_PATCH
        )
        return classify(current, implementation, properties, metadata, in_place)

    def _take_back_retired(
        self, name: str, implementation: str, properties: Mapping[str, Any]
    ) -> bool:
        """Upstream's manual rollback: an update back to what a retired resource already is
        takes that resource back, and the failed replacement goes in the clean-up."""
        state = self._state
        current = state.resources[name]
        for old in state.retired:
            if (
                old.name == name
                and old.status == "COMPLETE"
                and implementation_of(old) == implementation
                and not changed_properties(old.properties, properties)
            ):
                state.retired.remove(old)
                self._replaced[name] = current
                state.resources[name] = old
                self._projector.resource_changed(old)
                return True
        return False

    def retire_leftovers(self) -> None:
        """The old resources of replacements this update made and did not delete (it failed
        or was stopped without rollback, or its rollback failed) go on the stack's retired
        list instead of being forgotten while still in the cloud."""
        state = self._state
        held = {r.physical_id for r in (*state.resources.values(), *state.retired)}
        olds = [
            *self._replaced.values(),
            *(e.before for e in self._journal if e.kind == "replaced" and e.before is not None),
        ]
        for old in olds:
            gone = (old.action, old.status) == ("DELETE", "COMPLETE")
            if old.physical_id and old.physical_id not in held and not gone:
                state.retired.append(old)
                held.add(old.physical_id)

    async def _clean_up(self, model: StackModel, previous: Definition) -> bool:
        """Delete the replaced resources and those the new template dropped, dependents first
        by the old template's graph."""
        state = self._state
        removed = {n for n in state.resources if n not in model.resources}
        doomed = set(self._replaced) | removed
        if not doomed:
            return True
        old_model = StackModel(with_definition(state, previous))
        old_requires = old_model.dependencies()
        graph = reverse({n: set(old_requires.get(n, ())) & doomed for n in doomed})

        async def delete(name: str) -> bool:
            if name in self._replaced:
                old = self._replaced.pop(name)
                ok = await self._runner.delete(old, listed=False)
                if not ok:
                    self._replaced[name] = old
                return self._track(old, ok)
            resource = state.resources[name]
            before = resource.model_copy(deep=True)
            ok = await self._runner.delete(resource)
            if ok:
                del state.resources[name]
                self._journal.append(JournalEntry("deleted", name, before))
            return self._track(resource, ok)

        if self._batches is not None and self._batches.fits(
            graph,
            [implementation_of(state.resources[n]) for n in removed]
            + [implementation_of(r) for r in self._replaced.values()],
        ):
            return await self._clean_up_in_batches(doomed, removed)
        result = await walk(graph, delete, self._max_concurrency, lambda: False)
        return not result.failed

    async def _clean_up_in_batches(self, doomed: set[str], removed: set[str]) -> bool:
        state = self._state
        assert self._batches is not None
        before = {n: state.resources[n].model_copy(deep=True) for n in removed}
        replaced = {n: r for n, r in self._replaced.items() if n in doomed}
        result, outputs = await self._batches.walk(
            "delete", doomed, interruptible=False, replaced=replaced
        )
        for name in result.succeeded:
            if name in replaced:
                self._replaced.pop(name, None)
            else:
                del state.resources[name]
                self._journal.append(JournalEntry("deleted", name, before[name]))
        for output in outputs:
            for name in output.failed:
                failed = output.replaced.get(name) or state.resources.get(name)
                if failed is not None:
                    if name in replaced:
                        self._replaced[name] = failed
                    self._track(failed, False)
        return not result.failed

    # -- compensate -------------------------------------------------------------------------

    async def compensate(self, previous: Definition) -> str | None:
        """Undo the journal in reverse; the failure reason, or None when all is undone."""
        state = self._state
        old_state = with_definition(state, previous)
        old_model = StackModel(old_state)
        runner = self._runner
        self._failed = None
        self._restricted = None
        for entry in reversed(self._journal):
            if not await self._undo(entry, old_model):
                return self._reason()
        for name in list(state.resources):
            resource = state.resources[name]
            if name not in old_model.resources and resource.action == "INIT":
                # Added by the update but never started.
                self._projector.resource_changed(resource, removed=True)
                del state.resources[name]
        for field in (
            "template",
            "environment",
            "files",
            "parameters",
            "timeout_mins",
            "disable_rollback",
            "tags",
        ):
            setattr(state, field, getattr(previous, field))
        await runner.attribute_delay(old_model.output_references())
        state.outputs = StackModel(state).resolve_outputs()
        self._projector.stack_changed(with_definition=True)
        return None

    async def _undo(self, entry: JournalEntry, old_model: StackModel) -> bool:
        state = self._state
        runner = self._runner
        name = entry.name
        if entry.kind == "created":
            resource = state.resources[name]
            if resource.action != "INIT" and not await runner.delete(resource):
                return self._track(resource, False)
            if entry.before is not None:
                state.resources[name] = entry.before
                self._projector.resource_changed(entry.before)
            else:
                del state.resources[name]
            return True
        if entry.kind == "updated":
            assert entry.before is not None
            resource = state.resources[name]
            old_properties = dict(entry.before.properties)
            changed = changed_properties(resource.properties, old_properties)
            resource.metadata = entry.before.metadata
            resource.type = entry.before.type
            return self._track(
                resource, await runner.update(resource, old_properties, changed, old_model)
            )
        if entry.kind == "replaced":
            assert entry.before is not None
            replacement = state.resources[name]
            if replacement.action != "INIT" and not await runner.delete(replacement, listed=False):
                return self._track(replacement, False)
            old = entry.before
            state.resources[name] = old
            if name not in self._replaced:
                # The clean-up had already deleted the old one: make it again.
                state.resources[name] = ResourceState(
                    name=name,
                    type=old.type,
                    implementation=old.implementation,
                    description=old.description,
                )
                return self._track(state.resources[name], await runner.create(name, old_model))
            self._replaced.pop(name)
            self._projector.resource_changed(old)
            if self._prepares_for_replace(old) and not await runner.restore_prev(old):
                return self._track(old, False)
            return True
        # "deleted" by the clean-up: the old template wants it back.
        assert entry.before is not None
        state.resources[name] = ResourceState(
            name=name,
            type=entry.before.type,
            implementation=entry.before.implementation,
            description=entry.before.description,
        )
        return self._track(state.resources[name], await runner.create(name, old_model))

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _prepares_for_replace(resource: ResourceState) -> bool:
        """Whether replacing this resource runs its type's prepare_for_replace first (and a
        rollback its restore_prev). Asked only for such types, so only their replacements
        record the marker."""
        plugin = plugin_for(implementation_of(resource))
        return (
            plugin is not None
            and plugin.prepares_for_replace
            and bool(resource.physical_id)
            and not resource.external_id
            and workflow.patched(PREPARE_FOR_REPLACE_PATCH)
        )

    async def _pre_update_hook(self, resource: ResourceState) -> None:
        hooks = self._runner.hooks
        # Only stacks with the hook take this path; the marker keeps older histories replaying.
        if "pre-update" in hooks.defined(resource.name) and workflow.patched(
            "pre-update-hook-unchanged-replaced"
        ):
            await hooks.pause(resource, "UPDATE", "pre")

    def _is_restricted(self, resource: ResourceState, change: str) -> bool:
        """The environment's `restricted_actions` forbid this update or replacement: as upstream,
        an UPDATE_FAILED event is written, the resource stays as it is and the update fails."""
        action = "update" if change == "updated" else "replace"
        registry = Environment.from_data(self._state.environment).registry
        if action not in registry.restricted_actions(resource.name):
            return False
        # Only stacks that restrict actions take this path; the marker keeps their older
        # histories (which ignored the restriction) replaying.
        if not workflow.patched("update-restricted-actions"):
            return False
        message = f"{action} is restricted for resource."
        self._projector.resource_note(resource, "UPDATE", "FAILED", message)
        if self._restricted is None and self._failed is None:
            self._restricted = f"Resource UPDATE failed: ResourceActionRestricted: {message}"
        return True

    def _track(self, resource: ResourceState, ok: bool) -> bool:
        if not ok and self._failed is None:
            self._failed = resource
        return ok

    def _reason(self) -> str:
        if self._restricted is not None:
            return self._restricted
        failed = self._failed
        if failed is None:
            return "Stack UPDATE failed"
        return f"Resource {failed.action} failed: {failed.status_reason}"


async def delete_retired(
    state: StackState,
    runner: ResourceRunner,
    keep: set[str] | frozenset[str] = frozenset(),
    only: str | None = None,
) -> ResourceState | None:
    """Delete the stack's retired resources, newest first (those named in `keep` stay; with
    `only`, just that name's); the first that fails, if any."""
    for old in reversed(list(state.retired)):
        if old.name in keep or (only is not None and old.name != only):
            continue
        if not await runner.delete(old, listed=False):
            return old
        state.retired.remove(old)
    return None
