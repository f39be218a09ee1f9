"""The in-engine OS::Heat types: None, Value, RandomString and TestResource."""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from activities.resources.base import ResourceFailure, ResourcePlugin
from activities.resources.heat_types import (
    NONE_SCHEMA,
    RANDOM_STRING_SCHEMA,
    TEST_RESOURCE_SCHEMA,
    VALUE_SCHEMA,
)
from activities.types import ActionResult, ResourceActionRequest

# Seconds between checks of a TestResource that waits forever (wait_secs: -1).
_FOREVER_POLL_SECS = 60.0


class NoneResource(ResourcePlugin):
    """Does nothing; its physical id is a UUID, as upstream's."""

    type_name = "OS::Heat::None"
    schema = NONE_SCHEMA
    in_engine = True
    never_updates = True

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        # The id must be stable across retries of the same create: derive it from the name the
        # workflow chose deterministically.
        return ActionResult(physical_id=str(uuid.uuid5(uuid.NAMESPACE_URL, request.physical_name)))


class ValueResource(ResourcePlugin):
    """Holds a value, typed by its `type` property, as its `value` attribute."""

    type_name = "OS::Heat::Value"
    schema = VALUE_SCHEMA
    in_engine = True

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult(
            physical_id=request.physical_name,
            attributes={"value": request.properties.get("value")},
        )

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult(attributes={"value": request.properties.get("value")})

    async def adopt(self, request: ResourceActionRequest) -> ActionResult:
        return ActionResult(
            physical_id=request.physical_id,
            attributes={"value": request.properties.get("value")},
        )


_CHARACTER_CLASSES: dict[str, str] = {
    "lettersdigits": string.ascii_letters + string.digits,
    "letters": string.ascii_letters,
    "lowercase": string.ascii_lowercase,
    "uppercase": string.ascii_uppercase,
    "digits": string.digits,
    "hexdigits": string.digits + "ABCDEF",
    "octdigits": string.octdigits,
}


def generate_random_string(
    length: int,
    classes: list[dict[str, Any]] | None,
    sequences: list[dict[str, Any]] | None,
) -> str:
    """A random string with at least `min` characters of each class and sequence."""
    rng = secrets.SystemRandom()
    pools: list[tuple[str, int]] = []
    for item in classes or []:
        pools.append((_CHARACTER_CLASSES[item.get("class") or "lettersdigits"], item.get("min", 1)))
    for item in sequences or []:
        pools.append((str(item["sequence"]), item.get("min", 1)))
    if not pools:
        pools.append((_CHARACTER_CLASSES["lettersdigits"], 1))
    required = sum(minimum for _, minimum in pools)
    if required > length:
        raise ResourceFailure(
            "Length property cannot be smaller than combined character class and "
            "character sequence minimums",
            "StackValidationFailed",
        )
    chars = [rng.choice(pool) for pool, minimum in pools for _ in range(minimum)]
    union = "".join(sorted({c for pool, _ in pools for c in pool}))
    chars.extend(rng.choice(union) for _ in range(length - required))
    rng.shuffle(chars)
    return "".join(chars)


class RandomStringResource(ResourcePlugin):
    """Generates a random string once; get_resource and the `value` attribute return it."""

    type_name = "OS::Heat::RandomString"
    schema = RANDOM_STRING_SCHEMA
    in_engine = True

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        classes = props.get("character_classes")
        sequences = props.get("character_sequences")
        if props.get("sequence"):
            # The deprecated `sequence` property names one character class.
            classes = [{"class": props["sequence"], "min": 1}]
        value = generate_random_string(int(props.get("length") or 32), classes, sequences)
        return ActionResult(
            physical_id=request.physical_name,
            reference_id=value,
            attributes={"value": value},
        )

    async def adopt(self, request: ResourceActionRequest) -> ActionResult:
        value = request.data.get("value")
        return ActionResult(
            physical_id=request.physical_id,
            reference_id=value,
            attributes={"value": value},
            data={"value": value},
        )


class TestResource(ResourcePlugin):
    """Stores `value`; waits `wait_secs` (or per-action `action_wait_secs`); can be made to fail."""

    type_name = "OS::Heat::TestResource"
    schema = TEST_RESOURCE_SCHEMA
    in_engine = False
    _ACTIONS: ClassVar[dict[str, str]] = {"create": "create", "delete": "delete"}

    @staticmethod
    def _wait_secs(props: dict[str, Any], action: str) -> float:
        per_action = props.get("action_wait_secs") or {}
        secs = per_action.get(action)
        if secs is None:
            secs = props.get("wait_secs") or 0
        return float(secs)

    def _finish_or_poll(
        self, request: ResourceActionRequest, action: str, data: dict[str, Any]
    ) -> ActionResult:
        started = datetime.fromisoformat(data["started_at"])
        wait = float(data["wait_secs"])
        waited = (datetime.now(UTC) - started).total_seconds()
        if wait < 0:
            return ActionResult(poll_after=_FOREVER_POLL_SECS)
        if waited < wait:
            return ActionResult(poll_after=max(wait - waited, 0.05))
        if request.properties.get("fail") and action != "delete":
            raise ResourceFailure(f"Test Resource failed {request.resource_name}", "ValueError")
        return ActionResult(attributes={"output": data.get("value")})

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        data: dict[str, Any] = {
            "started_at": datetime.now(UTC).isoformat(),
            "wait_secs": self._wait_secs(props, "create"),
            "value": None if props.get("fail") else props.get("value", "test_string"),
            "attr_wait_secs": props.get("attr_wait_secs") or 0,
        }
        result = self._finish_or_poll(request, "create", data)
        return ActionResult(
            # Upstream sets no resource id when the create is made to fail.
            physical_id=None if props.get("fail") else request.physical_name,
            attributes=result.attributes,
            data=data,
            poll_after=result.poll_after,
        )

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        return self._finish_or_poll(request, "create", request.data)

    @classmethod
    def replacement_required(
        cls, old: dict[str, Any], new: dict[str, Any], data: Mapping[str, Any] | None = None
    ) -> bool:
        # Upstream raises UpdateReplace when update_replace changes to true.
        return bool(new.get("update_replace")) and old.get("update_replace") != new.get(
            "update_replace"
        )

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        data = {**request.data, "attr_wait_secs": props.get("attr_wait_secs") or 0}
        if "value" not in request.changed:
            # Nothing to store: done at once, as upstream's handle_update; `fail` still fails
            # it (upstream's check_update_complete raises for any update while fail is set).
            if props.get("fail"):
                raise ResourceFailure(f"Test Resource failed {request.resource_name}", "ValueError")
            return ActionResult(data=data, attributes={"output": data.get("value")})
        if not props.get("fail"):
            data["value"] = props.get("value")
        data.update(
            started_at=datetime.now(UTC).isoformat(), wait_secs=self._wait_secs(props, "update")
        )
        result = self._finish_or_poll(request, "update", data)
        return ActionResult(data=data, attributes=result.attributes, poll_after=result.poll_after)

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        return self._finish_or_poll(request, "update", request.data)

    supports_check = True
    check_patch = "test-resource-check"

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        # Upstream's handle_check: a resource that was never created fails its check.
        if not request.physical_id:
            raise ResourceFailure("Resource not created", "Exception")
        return ActionResult()

    async def adopt(self, request: ResourceActionRequest) -> ActionResult:
        value = request.data.get("value")
        return ActionResult(
            physical_id=request.physical_id,
            data={"value": value, "attr_wait_secs": 0},
            attributes={"output": value},
        )

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        data = {
            **request.data,
            "started_at": datetime.now(UTC).isoformat(),
            "wait_secs": self._wait_secs(request.properties, "delete"),
        }
        result = self._finish_or_poll(request, "delete", data)
        return ActionResult(data=data, poll_after=result.poll_after)

    async def check_delete(self, request: ResourceActionRequest) -> ActionResult:
        result = self._finish_or_poll(request, "delete", request.data)
        return ActionResult(poll_after=result.poll_after)


HEAT_PLUGINS: tuple[ResourcePlugin, ...] = (
    NoneResource(),
    ValueResource(),
    RandomStringResource(),
    TestResource(),
)
