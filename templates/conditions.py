"""The `conditions` section evaluated: lazy, cached, circular definitions detected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from templates.errors import FunctionArgumentError, StackValidationFailed
from templates.function import UNKNOWN, EvalContext, Function, resolve, validate_snippet

_IN_PROGRESS = object()


class Conditions:
    """Named conditions of one stack, resolved against its parameters."""

    def __init__(
        self,
        definitions: Mapping[str, Any],
        parameters: Mapping[str, Any],
        mappings: Mapping[str, Any] | None = None,
    ) -> None:
        self._definitions = dict(definitions)
        self._resolved: dict[str, Any] = {}
        self._ctx = EvalContext(
            parameters=parameters, resource_names=(), conditions=self, mappings=mappings or {}
        )

    @property
    def names(self) -> list[str]:
        return list(self._definitions)

    def validate(self) -> None:
        """Each definition is a boolean or a function, and its functions are valid."""
        for name, definition in self._definitions.items():
            self._check_type(name, definition)
            validate_snippet(definition, _NoScope())

    @staticmethod
    def _check_type(name: str, definition: Any) -> None:
        if not isinstance(definition, bool | Function) and definition is not UNKNOWN:
            raise StackValidationFailed(
                f'The definition of condition "{name}" is invalid: {definition}',
                error="Condition validation error",
            )

    def is_enabled(self, condition: Any) -> Any:
        """True/False for a condition name or boolean (UNKNOWN when it cannot be told yet)."""
        if condition is None:
            return True
        if isinstance(condition, bool) or condition is UNKNOWN:
            return condition
        if not (isinstance(condition, str) and condition in self._definitions):
            raise FunctionArgumentError(f'Invalid condition "{condition}"')
        if condition not in self._resolved:
            self._resolved[condition] = _IN_PROGRESS
            value = resolve(self._definitions[condition], self._ctx)
            self._check_type(condition, value)
            self._resolved[condition] = value
        result = self._resolved[condition]
        if result is _IN_PROGRESS:
            raise StackValidationFailed(
                f'Circular definition for condition "{condition}"',
                error="Condition validation error",
            )
        return result

    def values(self) -> dict[str, Any]:
        """Every condition's value, by name."""
        return {name: self.is_enabled(name) for name in self._definitions}


class _NoScope:
    def has_resource(self, name: str) -> bool:
        return False

    def attribute_names(self, name: str) -> None:
        return None
