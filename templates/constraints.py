"""Value constraints shared by parameters and properties, with Heat's messages and JSON form."""

from __future__ import annotations

import json
import numbers
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from templates.errors import InvalidSchemaError

# Value kinds, the common ground of parameter and property types.
KINDS = (STRING, INTEGER, NUMBER, BOOLEAN, LIST, MAP, ANY) = (
    "string",
    "integer",
    "number",
    "boolean",
    "list",
    "map",
    "any",
)

_TRUE_STRINGS = ("1", "t", "true", "on", "y", "yes")
_FALSE_STRINGS = ("0", "f", "false", "off", "n", "no")


def bool_from_string(subject: Any) -> bool:
    """oslo strutils.bool_from_string(strict=True), message included."""
    if isinstance(subject, bool):
        return subject
    text = subject if isinstance(subject, str) else str(subject)
    lowered = text.strip().lower()
    if lowered in _TRUE_STRINGS:
        return True
    if lowered in _FALSE_STRINGS:
        return False
    acceptable = ", ".join(f"'{s}'" for s in sorted(_TRUE_STRINGS + _FALSE_STRINGS))
    raise ValueError(f"Unrecognized value '{text}', acceptable values are: {acceptable}")


def str_to_num(value: Any) -> Any:
    """Heat's Schema.str_to_num: numbers pass, else int() then float() (their errors too)."""
    if isinstance(value, numbers.Number):
        return value
    try:
        return int(value)
    except ValueError:
        return float(value)


def to_kind(kind: str, value: Any, type_label: str) -> Any:
    """Heat's Schema.to_schema_type: convert `value` to the kind or raise its ValueError."""
    try:
        if kind == INTEGER:
            num = str_to_num(value)
            if isinstance(num, float):
                raise ValueError(f"{num} is not an integer.")
            return num
        if kind == NUMBER:
            return str_to_num(value)
        if kind == STRING:
            return str(value)
        if kind == BOOLEAN:
            return bool_from_string(str(value))
    except ValueError:
        raise ValueError(f'Value "{value}" is invalid for data type "{type_label}".') from None
    return value


@dataclass(frozen=True)
class Constraint(ABC):
    """One constraint; `check` raises ValueError with the description or Heat's text."""

    description: str | None

    name: ClassVar[str]
    valid_kinds: ClassVar[frozenset[str]]

    def check(self, value: Any, kind: str, type_label: str) -> None:
        if not self._is_valid(value, kind, type_label):
            raise ValueError(self.description or self._err_msg(value))

    @abstractmethod
    def _is_valid(self, value: Any, kind: str, type_label: str) -> bool: ...

    @abstractmethod
    def _err_msg(self, value: Any) -> str: ...

    @abstractmethod
    def body(self) -> Any:
        """The value under the constraint's name in its JSON form."""

    def to_dict(self) -> dict[str, Any]:
        # Upstream's Constraint mapping yields description first.
        out: dict[str, Any] = {}
        if self.description is not None:
            out["description"] = self.description
        out[self.name] = self.body()
        return out


def _check_min_max(low: Any, high: Any, what: str) -> None:
    for bound in (low, high):
        if not isinstance(bound, int | float | type(None)):
            raise InvalidSchemaError("min/max must be numeric")
    if low is None and high is None:
        raise InvalidSchemaError(
            f"A {what} constraint must have a min value and/or a max value specified."
        )


@dataclass(frozen=True)
class Range(Constraint):
    min: float | int | None = None
    max: float | int | None = None

    name: ClassVar[str] = "range"
    valid_kinds: ClassVar[frozenset[str]] = frozenset({INTEGER, NUMBER})

    def __post_init__(self) -> None:
        _check_min_max(self.min, self.max, "range")

    def _is_valid(self, value: Any, kind: str, type_label: str) -> bool:
        num = str_to_num(value)
        if self.min is not None and num < self.min:
            return False
        return not (self.max is not None and num > self.max)

    def _err_msg(self, value: Any) -> str:
        return f"{value} is out of range (min: {self.min}, max: {self.max})"

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        return out


@dataclass(frozen=True)
class Length(Constraint):
    min: int | None = None
    max: int | None = None

    name: ClassVar[str] = "length"
    valid_kinds: ClassVar[frozenset[str]] = frozenset({STRING, LIST, MAP})

    def __post_init__(self) -> None:
        if self.min is None and self.max is None:
            raise InvalidSchemaError(
                "A length constraint must have a min value and/or a max value specified."
            )
        _check_min_max(self.min, self.max, "length")
        for bound in (self.min, self.max):
            if not isinstance(bound, int | type(None)):
                raise InvalidSchemaError("min/max length must be integral")

    def _is_valid(self, value: Any, kind: str, type_label: str) -> bool:
        length = len(value)
        if self.min is not None and length < self.min:
            return False
        return not (self.max is not None and length > self.max)

    def _err_msg(self, value: Any) -> str:
        return f"length ({len(value)}) is out of range (min: {self.min}, max: {self.max})"

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        return out


@dataclass(frozen=True)
class Modulo(Constraint):
    step: int | None = None
    offset: int | None = None

    name: ClassVar[str] = "modulo"
    valid_kinds: ClassVar[frozenset[str]] = frozenset({INTEGER, NUMBER})

    def __post_init__(self) -> None:
        if self.step is None or self.offset is None:
            raise InvalidSchemaError(
                "A modulo constraint must have a step value and an offset value specified."
            )
        for bound in (self.step, self.offset):
            if not isinstance(bound, int | float):
                raise InvalidSchemaError("step/offset must be numeric")
            if int(bound) != bound:
                raise InvalidSchemaError("step/offset must be integer")
        step, offset = int(self.step), int(self.offset)
        if step == 0:
            raise InvalidSchemaError("step cannot be 0.")
        if abs(offset) >= abs(step):
            raise InvalidSchemaError("offset must be smaller (by absolute value) than step.")
        if step * offset < 0:
            raise InvalidSchemaError("step and offset must be both positive or both negative.")

    def _is_valid(self, value: Any, kind: str, type_label: str) -> bool:
        assert self.step is not None
        return bool(str_to_num(value) % self.step == self.offset)

    def _err_msg(self, value: Any) -> str:
        return f"{value} is not a multiple of {self.step} with an offset of {self.offset}"

    def body(self) -> dict[str, Any]:
        return {"step": self.step, "offset": self.offset}


@dataclass(frozen=True)
class AllowedValues(Constraint):
    allowed: tuple[Any, ...] = ()

    name: ClassVar[str] = "allowed_values"
    valid_kinds: ClassVar[frozenset[str]] = frozenset({STRING, INTEGER, NUMBER, BOOLEAN, LIST})

    def _is_valid(self, value: Any, kind: str, type_label: str) -> bool:
        if isinstance(value, list):
            return all(v in self.allowed for v in value)
        if kind in (STRING, INTEGER, NUMBER, BOOLEAN):
            allowed = tuple(to_kind(kind, v, type_label) for v in self.allowed)
            return to_kind(kind, value, type_label) in allowed
        return value in self.allowed

    def _err_msg(self, value: Any) -> str:
        allowed = "[{}]".format(", ".join(json.dumps(a) for a in self.allowed))
        return f"{json.dumps(value)} is not an allowed value {allowed}"

    def body(self) -> list[Any]:
        return list(self.allowed)


@dataclass(frozen=True)
class AllowedPattern(Constraint):
    pattern: str = ""

    name: ClassVar[str] = "allowed_pattern"
    valid_kinds: ClassVar[frozenset[str]] = frozenset({STRING})

    def __post_init__(self) -> None:
        if not isinstance(self.pattern, str):
            raise InvalidSchemaError("AllowedPattern must be a string")

    def _is_valid(self, value: Any, kind: str, type_label: str) -> bool:
        match = re.match(self.pattern, value)
        return match is not None and match.end() == len(value)

    def _err_msg(self, value: Any) -> str:
        return f'"{value}" does not match pattern "{self.pattern}"'

    def body(self) -> str:
        return self.pattern


@dataclass(frozen=True)
class CustomConstraint(Constraint):
    """A named check done by a plugin (e.g. "nova.flavor"); kept, not evaluated here."""

    constraint_name: str = ""

    name: ClassVar[str] = "custom_constraint"
    valid_kinds: ClassVar[frozenset[str]] = frozenset({STRING, INTEGER, NUMBER, BOOLEAN, LIST})

    def _is_valid(self, value: Any, kind: str, type_label: str) -> bool:
        return True

    def _err_msg(self, value: Any) -> str:
        return ""

    def body(self) -> str:
        return self.constraint_name


def allowed_values(values: Any, description: str | None = None) -> AllowedValues:
    """AllowedValues from template data, with Heat's check that it is a list."""
    if not isinstance(values, list | tuple):
        raise InvalidSchemaError("AllowedValues must be a list")
    return AllowedValues(description, tuple(values))


def check_constraints(
    constraints: tuple[Constraint, ...],
    value: Any,
    kind: str,
    type_label: str,
    *,
    skip_custom: bool = False,
) -> None:
    """Run every constraint in order; the first failure raises ValueError."""
    for constraint in constraints:
        if skip_custom and isinstance(constraint, CustomConstraint):
            continue
        constraint.check(value, kind, type_label)
