"""Which `error.type` Heat's API shows for a template error, per endpoint."""

from __future__ import annotations

from typing import Literal

from templates.errors import StackValidationFailed, TemplateError, TemplateParseError

Endpoint = Literal["create", "validate"]


def api_error_type(exc: TemplateError, endpoint: Endpoint) -> str:
    """The `error.type` upstream answers with (all are HTTP 400).

    POST /stacks (and update/preview, "create") wraps the template layout
    check into StackValidationFailed; POST /validate returns every
    StackValidationFailed, and that layout check, as a bare HTTPBadRequest.
    Other errors keep their own class name on both endpoints.
    """
    if isinstance(exc, TemplateParseError):
        return "HTTPBadRequest"
    if exc.stage == "template" or isinstance(exc, StackValidationFailed):
        return "StackValidationFailed" if endpoint == "create" else "HTTPBadRequest"
    return exc.error_type
