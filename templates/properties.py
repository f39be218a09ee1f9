"""Check resource property values against a type's schema: defaults, coercion, constraints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from templates import constraints as c
from templates.errors import StackValidationFailed
from templates.function import contains_unknown
from templates.schema import PropertySchema


def validate_properties(
    schema: Mapping[str, PropertySchema],
    values: Mapping[str, Any] | None,
    resource_name: str,
    *,
    check_values: bool = True,
) -> dict[str, Any]:
    """Return every property's value (defaults applied, coerced), or raise Heat's error.

    `values` are resolved values; any holding UNKNOWN (a resource not created
    yet) skip coercion and constraints, as upstream skips them. With
    `check_values=False` (POST /validate) only unknown property names fail.
    Errors read "Property error: resources.<name>.properties.<path>: <message>".
    """
    try:
        return _validate_map(schema, values or {}, check_values)
    except StackValidationFailed as exc:
        raise StackValidationFailed(
            exc.error_message,
            error=exc.error or "Property error",
            path=["resources", resource_name, "properties", *exc.path],
        ) from None


def _validate_map(
    schema: Mapping[Any, PropertySchema],
    data: Mapping[Any, Any],
    check_values: bool,
) -> dict[Any, Any]:
    for key in data:
        if key not in schema:
            raise StackValidationFailed(f"Unknown Property {key}")
    data = _translated(schema, data)
    result: dict[Any, Any] = {}
    for key, prop in schema.items():
        if not check_values:
            result[key] = data.get(key, prop.default)
        else:
            try:
                result[key] = _property_value(prop, key, data)
            except StackValidationFailed as exc:
                raise StackValidationFailed(exc.error_message, path=[key, *exc.path]) from None
            except (ValueError, TypeError) as exc:
                path = [] if prop.required and key not in data else [key]
                raise StackValidationFailed(str(exc), path=path) from None
        if not prop.implemented and key in data:
            raise StackValidationFailed(f"Property {key} not implemented yet")
    return result


def _translated(schema: Mapping[Any, PropertySchema], data: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """Deprecated properties' values moved to the properties replacing them, as upstream's
    translation rules do before validation (only where the new one is not given)."""
    moves = {
        key: prop.replaced_by
        for key, prop in schema.items()
        if prop.replaced_by and data.get(key) is not None and data.get(prop.replaced_by) is None
    }
    if not moves:
        return data
    out = {key: value for key, value in data.items() if key not in moves}
    for old, new in moves.items():
        out[new] = data[old]
    return out


def _property_value(prop: PropertySchema, key: Any, data: Mapping[Any, Any]) -> Any:
    if key in data:
        value = data[key]
        if contains_unknown(value):
            return value
        return _coerce(prop, value)
    if prop.default is not None:
        return _coerce(prop, None)
    if prop.required:
        raise ValueError(f"Property {key} not assigned")
    return None


def _coerce(prop: PropertySchema, value: Any) -> Any:
    kind = prop.type
    if kind == c.STRING:
        result: Any = _string(prop, value)
    elif kind == c.INTEGER:
        result = _integer(prop, value)
    elif kind == c.NUMBER:
        result = c.str_to_num(_or_default(prop, value, 0))
    elif kind == c.BOOLEAN:
        result = _boolean(prop, value)
    elif kind == c.MAP:
        result = _map(prop, value)
    elif kind == c.LIST:
        result = _list(prop, value)
    else:
        result = value
    c.check_constraints(prop.constraints, result, kind, prop.type_label)
    return result


def _or_default(prop: PropertySchema, value: Any, empty: Any) -> Any:
    # Upstream's `has_default() and default() or <empty>`: a falsy default
    # also falls back to the empty value.
    if value is None:
        return (prop.default is not None and prop.default) or empty
    return value


def _string(prop: PropertySchema, value: Any) -> str:
    value = _or_default(prop, value, "")
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int):
        return str(value)
    raise ValueError(f"Value must be a string; got {value!r}")


def _integer(prop: PropertySchema, value: Any) -> int:
    value = _or_default(prop, value, 0)
    try:
        return int(value)
    except ValueError:
        raise TypeError(f"Value '{value}' is not an integer") from None


def _boolean(prop: PropertySchema, value: Any) -> bool:
    value = _or_default(prop, value, False)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        normalised = value.lower()
        if normalised not in ("true", "false"):
            raise ValueError(f'"{normalised}" is not a valid boolean')
        return normalised == "true"
    raise TypeError(f'"{value}" is not a valid boolean')


def _map(prop: PropertySchema, value: Any) -> dict[Any, Any]:
    if value is None:
        value = prop.default if prop.default is not None else {}
    if not isinstance(value, Mapping):
        raise TypeError(f'"{value}" is not a map')
    children = prop.children()
    if children is None:
        return dict(value)
    return _validate_map(children, value, check_values=True)


def _list(prop: PropertySchema, value: Any) -> list[Any]:
    value = _or_default(prop, value, [])
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f'"{value!r}" is not a list')
    if not isinstance(prop.schema, PropertySchema):
        return list(value)
    item_schema = prop.schema
    indexed = {index: item_schema for index in range(len(value))}
    checked = _validate_map(indexed, dict(enumerate(value)), check_values=True)
    return [checked[index] for index in range(len(value))]
