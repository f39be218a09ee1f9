"""The contract every resource plugin follows: a declared schema and start/check steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from activities.types import ActionResult, ResourceActionRequest
from templates import ResourceTypeSchema


class ResourceFailure(Exception):
    """A failure the user must fix (bad input, quota, not found): never retried.

    `kind` is the exception name Heat shows before the message, e.g. "ValueError".
    """

    def __init__(self, message: str, kind: str = "Error") -> None:
        super().__init__(message)
        self.kind = kind


class ResourcePlugin:
    """Base of all plugins. Start steps begin an action; check steps say whether it is done.

    A step that must wait returns `poll_after`; the workflow then sleeps on a durable timer and
    calls the matching check step, so no activity ever runs for the length of a long wait.
    """

    type_name: ClassVar[str]
    schema: ClassVar[ResourceTypeSchema]
    # In-engine types do no I/O and run as local activities (no server round trip each).
    in_engine: ClassVar[bool] = False
    # Nested stacks are carried out by the operation workflow itself (child stack workflows),
    # not by activities: the plugin only declares the type (workflows/nested.py).
    runs_in_workflow: ClassVar[bool] = False
    # Types that take POST .../resources/{name}/signal; others answer 400, as upstream.
    accepts_signals: ClassVar[bool] = False

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult(physical_id=request.physical_name)

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_delete(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def suspend(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_suspend(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def resume(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_resume(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def adopt(self, request: ResourceActionRequest) -> ActionResult:
        """Take over an existing resource (its id and data from adopt_stack_data)."""
        return ActionResult(physical_id=request.physical_id, data=request.data)

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        """Is the physical resource what the stack expects? Raise ResourceFailure if not."""
        return ActionResult()

    # Replacement steps, for the types that declare `prepares_for_replace`, run on the old
    # resource: `prepare_for_replace` records what it will change (returned as data, which
    # the workflow keeps before anything changes, so a retry never records the changed
    # state), `check_prepare_for_replace` changes it (a port gives up its fixed IPs, for its
    # replacement to take), and `restore_prev` puts it back when a rollback keeps the old
    # resource (after the replacement is deleted).

    async def prepare_for_replace(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_prepare_for_replace(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def restore_prev(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def live_state(self, request: ResourceActionRequest) -> ActionResult:
        """The update_allowed properties as the cloud holds them (`live_properties`), for an
        update with `converge`; raise ResourceFailure kind NotFound when it is gone. Only
        for the types that declare `supports_live_state`."""
        return ActionResult(live_properties={})

    # Snapshot steps, for the types that declare `supports_snapshot`. `snapshot` returns the
    # resource's data with the cloud snapshot's id added (what a stack snapshot records);
    # `delete_snapshot` and `restore` receive that recorded data as `request.data`.

    async def snapshot(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def delete_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_delete_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def restore(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    async def check_restore(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult()

    # -- pure declarations the workflow consults (no I/O) ---------------------------------

    # Types with a real health check; others report "CHECK not supported for <type>".
    supports_check: ClassVar[bool] = False
    # Types that read their live state back, so `converge` sees changes made outside.
    supports_live_state: ClassVar[bool] = False
    # For a type that gained its check later: the workflow.patched marker that keeps the
    # histories of its earlier "not supported" checks replaying.
    check_patch: ClassVar[str | None] = None
    # Types whose stack snapshot makes a cloud snapshot (upstream's handle_snapshot).
    supports_snapshot: ClassVar[bool] = False
    # The keys of the resource data that name its cloud snapshot (recorded by a snapshot).
    snapshot_keys: ClassVar[tuple[str, ...]] = ()
    # Whether the resource itself stays after a `deletion_policy: Snapshot` delete (a Cinder
    # snapshot cannot outlive its volume).
    kept_by_snapshot_policy: ClassVar[bool] = False
    # Types with upstream's prepare_for_replace / restore_prev_rsrc (the steps above).
    prepares_for_replace: ClassVar[bool] = False
    # Placeholders (OS::Heat::None) are never updated or replaced, as upstream.
    never_updates: ClassVar[bool] = False
    # A hidden deprecated type's successor (upstream's support status `substitute_class`): an
    # update from this type to that one with the same properties updates in place.
    substitute_type: ClassVar[str | None] = None

    @classmethod
    def live_properties(
        cls, properties: Mapping[str, Any], live: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Upstream's parse_live_resource_data: the update_allowed properties the live object
        holds under the same name. Only what the template sets is compared (a name it left
        to the engine, a device a port was given by Nova are not drift), and only scalars:
        the cloud writes lists and maps in other forms (ids for names, added defaults)."""
        found: dict[str, Any] = {}
        for key, prop in cls.schema.properties.items():
            if not prop.update_allowed or key not in live or properties.get(key) is None:
                continue
            value = live[key]
            if value is None or isinstance(value, (str, bool, int, float)):
                found[key] = value
        return found

    @classmethod
    def replacement_required(
        cls, old: dict[str, Any], new: dict[str, Any], data: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether a change the schema allows in place must still replace the resource.
        `data` is the resource's private data (what its create recorded)."""
        return False
