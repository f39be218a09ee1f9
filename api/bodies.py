"""Parses and checks request bodies and query strings the way Heat does."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from api.errors import bad_request

_STACK_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$")
_TRUE = {"true", "1", "yes", "y", "on", "t"}
_FALSE = {"false", "0", "no", "n", "off", "f"}


async def json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise bad_request(
            "The server could not comply with the request since it is either malformed or "
            "otherwise incorrect."
        ) from error
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    return body


def check_stack_name(name: Any) -> str:
    if not name:
        raise bad_request("No stack name specified")
    if not isinstance(name, str) or not _STACK_NAME.match(name):
        raise bad_request(
            f'Invalid stack name {name} must contain only alphanumeric or "_-." characters, '
            "must start with alpha and must be 255 characters or less."
        )
    return name


def bool_param(name: str, value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise bad_request(
        f'Unrecognized value "{value}" for "{name}", acceptable values are: true, false.'
    )


def int_param(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise bad_request(f"Only integer is acceptable by '{name}'.") from error
    if number < 0:
        raise bad_request(f"Value must be >= 0 for '{name}'.")
    return number


def tags_param(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return [str(t) for t in value]
    if isinstance(value, str):
        return [t for t in value.split(",") if t] if value else []
    raise bad_request("Tags must be a comma separated string or a list.")


def query_list(request: web.Request, name: str) -> list[str]:
    """All values of a repeatable query parameter; tag filters are also comma separated."""
    values: list[str] = []
    for value in request.query.getall(name, []):
        if name.startswith(("tags", "not_tags")):
            values.extend(v for v in value.split(",") if v)
        else:
            values.append(value)
    return values
