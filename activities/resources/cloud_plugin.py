"""What every plugin of a cloud resource shares: its marker, attributes, polling and lookups."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from openstack import connection as sdk_connection
from openstack import exceptions as sdk_exceptions

from activities.cloud import call
from activities.resources.base import ResourceFailure, ResourcePlugin
from activities.types import ActionResult, ResourceActionRequest
from templates import ResourceTypeSchema

# Seconds between the short check steps of a wait; the workflow sleeps on durable timers.
POLL_SECS = 2.0
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def marker(request: ResourceActionRequest) -> str:
    """A tag naming what one create makes (stack, resource, the create's physical name).

    A create retried after its worker died looks for this tag before it makes anything, so
    it adopts the thing it made instead of making a second one.
    """
    key = f"{request.stack_id}/{request.resource_name}/{request.physical_name}"
    return f"heat-{uuid.uuid5(uuid.NAMESPACE_URL, key).hex}"


def not_found(entity: str, name: str) -> ResourceFailure:
    return ResourceFailure(f"The {entity} ({name}) could not be found.", "EntityNotFound")


def ignore_not_found(error: BaseException) -> bool:
    """Whether a failure means the thing is already gone (a delete of it succeeds)."""
    cause = error.__cause__ if isinstance(error, ResourceFailure) else error
    return isinstance(cause, sdk_exceptions.NotFoundException) or (
        isinstance(error, ResourceFailure) and error.kind == "NotFound"
    )


async def call_unless_gone(
    request: ResourceActionRequest, work: Callable[[sdk_connection.Connection], object]
) -> None:
    """Run cloud work whose target may already be gone (a delete, a detach): gone is done."""
    try:
        await call(request, work)
    except ResourceFailure as failure:
        if not ignore_not_found(failure):
            raise


def with_replacements(schema: ResourceTypeSchema, moves: dict[str, str]) -> ResourceTypeSchema:
    """The schema with upstream's REPLACE translations: each deprecated name's value moves to
    its successor before validation (e.g. Subnet's `network_id` to `network`)."""
    properties = dict(schema.properties)
    for old, new in moves.items():
        properties[old] = dataclasses.replace(properties[old], replaced_by=new)
    return dataclasses.replace(schema, properties=properties)


def without_nones(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


class CloudPlugin(ResourcePlugin):
    """Base of plugins that act on the cloud: a health check and attributes from one read."""

    supports_check: ClassVar[bool] = True

    def attributes_of(self, found: dict[str, Any]) -> dict[str, Any]:
        """The declared attributes present on the cloud's view, plus `show` (all of it)."""
        values = {name: found.get(name) for name in self.schema.attributes}
        values["show"] = found
        return values

    def done(self, found: dict[str, Any] | None = None, **extra: Any) -> ActionResult:
        return ActionResult(
            attributes=self.attributes_of(found) if found is not None else None, **extra
        )
