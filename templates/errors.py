"""Template-language errors, named and worded as upstream Heat's exceptions."""

from __future__ import annotations

from collections.abc import Sequence


class TemplateError(Exception):
    """Base of every error the template language raises.

    `error_type` is the upstream exception class name, which Heat's API shows
    as `error.type`; `message` is the text it shows as `error.message`.
    """

    error_type: str = "StackValidationFailed"
    # "template" when raised by the template's own layout check, which Heat
    # runs (and wraps) separately from the stack validation; see api_errors.
    stage: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class TemplateParseError(TemplateError):
    """The template text is not YAML/JSON or not a mapping (API: HTTPBadRequest)."""

    error_type = "HTTPBadRequest"

    def __init__(self, detail: str) -> None:
        # Heat's API adds this prefix around template_format.parse's ValueError.
        super().__init__(f"Template not in valid format: {detail}")
        self.detail = detail


class TemplateOutputError(TemplateError):
    """get_attr on a nested stack's output that failed to resolve there (upstream's
    TemplateOutputError)."""

    error_type = "TemplateOutputError"

    def __init__(self, resource: str, attribute: str, message: str) -> None:
        super().__init__(f"Error in {resource} output {attribute}: {message}")


class ResourceTypeUnavailable(TemplateError):
    """A type whose cloud service is not in the caller's catalog (upstream's HEAT-E99001,
    which POST /validate's `ignore_errors=99001` lets through)."""

    error_type = "ResourceTypeUnavailable"
    error_code = "99001"

    def __init__(self, service_name: str, resource_type: str, reason: str) -> None:
        super().__init__(
            f"HEAT-E{self.error_code} Service {service_name} is not available for resource "
            f"type {resource_type}, reason: {reason}"
        )
        self.service_name, self.resource_type, self.reason = service_name, resource_type, reason

    def for_type(self, resource_type: str) -> ResourceTypeUnavailable:
        """The same refusal naming the template's type (the one a registry entry mapped)."""
        return ResourceTypeUnavailable(self.service_name, resource_type, self.reason)


class RequestLimitExceeded(TemplateError):
    error_type = "RequestLimitExceeded"

    def __init__(self, message: str) -> None:
        super().__init__(f"Request limit exceeded: {message}")


class InvalidTemplateVersion(TemplateError):
    error_type = "InvalidTemplateVersion"

    def __init__(self, explanation: str) -> None:
        super().__init__(f"The template version is invalid: {explanation}")
        self.explanation = explanation


class InvalidTemplateSection(TemplateError):
    error_type = "InvalidTemplateSection"

    def __init__(self, section: str) -> None:
        super().__init__(f"The template section is invalid: {section}")


class InvalidTemplateReference(TemplateError):
    error_type = "InvalidTemplateReference"

    def __init__(self, resource: object, key: str) -> None:
        super().__init__(f'The specified reference "{resource}" (in {key}) is incorrect.')
        self.resource = resource
        self.key = key


class InvalidTemplateAttribute(TemplateError):
    error_type = "InvalidTemplateAttribute"

    def __init__(self, resource: object, key: object) -> None:
        super().__init__(f"The Referenced Attribute ({resource} {key}) is incorrect.")


class UserParameterMissing(TemplateError):
    error_type = "UserParameterMissing"

    def __init__(self, key: str) -> None:
        super().__init__(f"The Parameter ({key}) was not provided.")
        self.key = key


class UnknownUserParameter(TemplateError):
    error_type = "UnknownUserParameter"

    def __init__(self, key: str) -> None:
        super().__init__(f"The Parameter ({key}) was not defined in template.")
        self.key = key


class InvalidSchemaError(TemplateError):
    error_type = "InvalidSchemaError"


class CircularDependencyException(TemplateError):
    error_type = "CircularDependencyException"

    def __init__(self, cycle: str) -> None:
        super().__init__(f"Circular Dependency Found: {cycle}")


class NotSupportedYet(TemplateError):
    """Valid in Heat's template language, but not implemented by this service yet."""

    error_type = "NotSupported"


class FunctionNotSupported(NotSupportedYet):
    """A function of the template's version that this service does not implement yet."""

    def __init__(self, fn_name: str) -> None:
        super().__init__(f'The function "{fn_name}" is not supported yet.')
        self.fn_name = fn_name


class FunctionArgumentError(TemplateError):
    """A function's arguments are malformed (upstream: TypeError/ValueError/KeyError).

    Upstream reports these with `str(exc)`, which quotes a KeyError's text;
    `quoted` keeps that difference so the wrapped message matches.
    """

    def __init__(self, message: str, *, quoted: bool = False) -> None:
        super().__init__(message)
        self.quoted = quoted

    def upstream_text(self) -> str:
        return repr(self.message) if self.quoted else self.message


class StackValidationFailed(TemplateError):
    """Heat's StackValidationFailed: "<error>: <path>: <message>", parts optional."""

    error_type = "StackValidationFailed"

    def __init__(
        self,
        message: str = "",
        *,
        error: str = "",
        path: Sequence[str | int] = (),
    ) -> None:
        self.error = error
        self.path: list[str | int] = list(path)
        self.error_message = message
        super().__init__(_format_with_path(error, self.path, message))


def _format_with_path(error: str, path: Sequence[str | int], message: str) -> str:
    # Same rendering as heat.common.exception.HeatExceptionWithPath: digits
    # become "[n]", other parts are dotted.
    result = ""
    for item in path:
        if isinstance(item, int) or item.isdigit():
            result += f"[{item}]"
        elif result:
            result += f".{item}"
        else:
            result = item
    prefix = f"{error}: " if error else ""
    where = f"{result}: " if result else ""
    return f"{prefix}{where}{message}"


class ImmutableParameterModified(TemplateError):
    error_type = "ImmutableParameterModified"

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(
            "The following parameters are immutable and may not be updated: " + ", ".join(names)
        )
