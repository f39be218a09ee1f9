"""Heat's error body and the exceptions routes raise to produce it."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.responses import json_response

_TITLES: dict[int, tuple[str, str]] = {
    400: (
        "Bad Request",
        "The server could not comply with the request since it is either malformed or "
        "otherwise incorrect.",
    ),
    401: (
        "Unauthorized",
        "This server could not verify that you are authorized to access the "
        "document you requested.",
    ),
    403: ("Forbidden", "Access was denied to this resource."),
    404: ("Not Found", "The resource could not be found."),
    405: ("Method Not Allowed", "The method specified is not allowed for this resource."),
    409: ("Conflict", "There was a conflict when trying to complete your request."),
    413: ("Request Entity Too Large", "The request is too large."),
    415: ("Unsupported Media Type", "The request media type is not supported by this server."),
    500: (
        "Internal Server Error",
        "The server has either erred or is incapable of performing the requested operation.",
    ),
    503: ("Service Unavailable", "The server is currently unavailable."),
}


class HeatError(Exception):
    """An error a route reports to the client, rendered in Heat's error body."""

    def __init__(self, status: int, message: str, error_type: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type


def bad_request(message: str, error_type: str = "HTTPBadRequest") -> HeatError:
    return HeatError(400, message, error_type)


def not_found(message: str, error_type: str = "EntityNotFound") -> HeatError:
    return HeatError(404, message, error_type)


def conflict(message: str, error_type: str) -> HeatError:
    return HeatError(409, message, error_type)


def stack_not_found(identity: str) -> HeatError:
    return not_found(f"The Stack ({identity}) could not be found.")


def error_body(status: int, message: str, error_type: str) -> dict[str, Any]:
    title, explanation = _TITLES.get(status, _TITLES[500])
    return {
        "code": status,
        "title": title,
        "explanation": explanation,
        "error": {"type": error_type, "traceback": None, "message": message},
    }


def error_response(status: int, message: str, error_type: str) -> web.Response:
    return json_response(error_body(status, message, error_type), status=status)
