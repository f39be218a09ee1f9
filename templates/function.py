"""The intrinsic-function machinery: base class, snippet walkers and evaluation contexts."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from templates.errors import (
    FunctionArgumentError,
    FunctionNotSupported,
    InvalidTemplateVersion,
    StackValidationFailed,
    TemplateError,
)


class Unknown:
    """A value that cannot be known yet (a resource not created, at validation time)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"

    def __reduce__(self) -> str:
        # Pickling/copying keeps the singleton, so `is UNKNOWN` stays true.
        return "UNKNOWN"


UNKNOWN = Unknown()


def contains_unknown(value: Any) -> bool:
    """Whether `value` is, or holds anywhere inside it, the UNKNOWN marker."""
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


class ResourceLookup(Protocol):
    """What functions may ask about the stack's resources while resolving."""

    def physical_id(self, name: str) -> str | None: ...

    def attribute(self, name: str, attr: str) -> Any: ...

    def attributes(self, name: str) -> dict[str, Any]: ...


class NoResources:
    """Lookup for validation time: no resource exists yet, so everything is UNKNOWN."""

    def physical_id(self, name: str) -> str | None:
        return None

    def attribute(self, name: str, attr: str) -> Any:
        return UNKNOWN

    def attributes(self, name: str) -> dict[str, Any]:
        return {}


class ConditionLookup(Protocol):
    """Answers whether a named condition (or a literal boolean) is enabled."""

    def is_enabled(self, condition: Any) -> bool: ...


class NoConditions:
    """A template without a conditions section: only literal booleans are valid."""

    def is_enabled(self, condition: Any) -> bool:
        if condition is None:
            return True
        if isinstance(condition, bool):
            return condition
        raise FunctionArgumentError(f'Invalid condition "{condition}"')


@dataclass(frozen=True)
class Facade:
    """What `resource_facade` reads: the parent resource of a provider template."""

    metadata: Mapping[str, Any] = field(default_factory=dict)
    deletion_policy: str = "Delete"
    update_policy: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalContext:
    """Everything `Function.result` may read.

    Parameter values and resources, plus what some functions need: the
    request's `files` (get_file), the template's conditions (if, and, or,
    not), CFN `Mappings` (Fn::FindInMap), the parent resource of a provider
    template (resource_facade) and the availability zones (Fn::GetAZs).
    """

    parameters: Mapping[str, Any]
    resource_names: Collection[str]
    resources: ResourceLookup = field(default_factory=NoResources)
    files: Mapping[str, str] = field(default_factory=dict)
    conditions: ConditionLookup = field(default_factory=NoConditions)
    mappings: Mapping[str, Any] = field(default_factory=dict)
    facade: Facade | None = None
    availability_zones: tuple[str, ...] | None = None


class ValidationScope(Protocol):
    """What `Function.validate` may ask: which resources and attributes exist."""

    def has_resource(self, name: str) -> bool: ...

    def attribute_names(self, name: str) -> Collection[str] | None:
        """Known attribute names of a resource, or None when any name is allowed."""
        ...


@dataclass(frozen=True)
class Reference:
    """A resource a snippet refers to, and where (upstream's path for messages)."""

    resource: Any
    path: str


class Function(ABC):
    """One intrinsic-function call: arguments parsed once, value from `result()`."""

    def __init__(self, fn_name: str, args: Any) -> None:
        self.fn_name = fn_name
        self.args = args
        self._parse_args()

    def _parse_args(self) -> None:  # noqa: B027 - optional hook, most functions check later
        """Check the arguments' shape; raise FunctionArgumentError in Heat's words."""

    def validate(self, scope: ValidationScope) -> None:
        """Check references without resolving; by default only the nested snippets."""
        validate_snippet(self.args, scope)

    def dependencies(self, path: str) -> Iterator[Reference]:
        """Resources this call needs, in upstream's order (nested calls first)."""
        return dependencies(self.args, f"{path}.{self.fn_name}")

    @abstractmethod
    def result(self, ctx: EvalContext) -> Any:
        """The resolved value (UNKNOWN when it depends on something not known yet)."""

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, Function)
            and (other.fn_name, other.args) == (self.fn_name, self.args)
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fn_name))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fn_name!r}, {self.args!r})"


class Removed(Function):
    """A function that this template version removed (upstream hot_funcs.Removed)."""

    def validate(self, scope: ValidationScope) -> None:
        raise InvalidTemplateVersion(
            f"The function {self.fn_name} is not supported in this version of HOT."
        )

    def result(self, ctx: EvalContext) -> Any:
        # Upstream returns the snippet unresolved.
        return {self.fn_name: resolve(self.args, ctx)}


class NotImplementedYet:
    """Marker in a function table: the version has the function, we do not yet."""


NOT_IMPLEMENTED = NotImplementedYet()


class Invalid(Function):
    """A function not allowed where it is used (upstream function.Invalid, in conditions)."""

    def _parse_args(self) -> None:
        raise FunctionArgumentError(f'The function "{self.fn_name}" is invalid in this context')

    def result(self, ctx: EvalContext) -> Any:  # pragma: no cover - never constructed
        raise FunctionArgumentError(f'The function "{self.fn_name}" is invalid in this context')


FunctionFactory = Callable[[str, Any], Function]
FunctionEntry = type[Function] | NotImplementedYet | FunctionFactory

# What a nullable `if` without its false branch yields: the enclosing item
# (map entry, list item) disappears, as upstream's Ellipsis does.
OMITTED: Any = Ellipsis


def parse_snippet(snippet: Any, table: Mapping[str, FunctionEntry], path: str = "") -> Any:
    """Replace every one-key mapping naming a function of `table` by its Function.

    A function whose arguments are malformed raises StackValidationFailed
    with the dotted path upstream shows (`resources.r.properties.a.str_split`).
    """
    if isinstance(snippet, Mapping):
        if len(snippet) == 1:
            fn_name, args = next(iter(snippet.items()))
            entry = table.get(fn_name) if isinstance(fn_name, str) else None
            if entry is not None:
                if isinstance(entry, NotImplementedYet):
                    raise FunctionNotSupported(fn_name)
                fn_path = f"{path}.{fn_name}"
                parsed = parse_snippet(args, table, fn_path)
                try:
                    return entry(fn_name, parsed)
                except FunctionArgumentError as exc:
                    raise StackValidationFailed(
                        exc.upstream_text(), path=[fn_path] if path else [fn_name]
                    ) from None
        return {k: parse_snippet(v, table, f"{path}.{k}") for k, v in snippet.items()}
    if isinstance(snippet, list):
        return [parse_snippet(v, table, f"{path}[{i}]") for i, v in enumerate(snippet)]
    return snippet


def resolve(snippet: Any, ctx: EvalContext, nullable: bool = False) -> Any:
    """Evaluate every Function inside `snippet` (omitted items drop out, as upstream)."""
    if isinstance(snippet, Function):
        result = snippet.result(ctx)
        return result if nullable or result is not OMITTED else None
    if isinstance(snippet, Mapping):
        out = {}
        for k, v in snippet.items():
            value = resolve(v, ctx, nullable=True)
            if value is not OMITTED:
                out[k] = value
        return out
    if isinstance(snippet, list):
        items = (resolve(v, ctx, nullable=True) for v in snippet)
        return [v for v in items if v is not OMITTED]
    return snippet


def validate_snippet(
    snippet: Any, scope: ValidationScope, path: list[str | int] | None = None
) -> None:
    """Validate every Function inside `snippet`, reporting the path like Heat."""
    path = [] if path is None else path
    if isinstance(snippet, Function):
        try:
            snippet.validate(scope)
        except TemplateError as exc:
            raise StackValidationFailed(str(exc), path=[*path, snippet.fn_name]) from None
    elif isinstance(snippet, Mapping):
        for key, value in snippet.items():
            validate_snippet(value, scope, [*path, key])
    elif isinstance(snippet, list):
        base = list(path)
        parent = base.pop() if base else ""
        for index, value in enumerate(snippet):
            validate_snippet(value, scope, [*base, f"{parent}[{index}]"])


def dependencies(snippet: Any, path: str = "") -> Iterator[Reference]:
    """Every resource reference inside `snippet`, with upstream's path strings."""
    if isinstance(snippet, Function):
        yield from snippet.dependencies(path)
    elif isinstance(snippet, Mapping):
        for key, value in snippet.items():
            yield from dependencies(value, f"{path}.{key}")
    elif isinstance(snippet, list):
        for index, value in enumerate(snippet):
            yield from dependencies(value, f"{path}[{index}]")


def functions_in(snippet: Any) -> Iterator[Function]:
    """Every Function inside `snippet`, outermost first."""
    if isinstance(snippet, Function):
        yield snippet
        yield from functions_in(snippet.args)
    elif isinstance(snippet, Mapping):
        for value in snippet.values():
            yield from functions_in(value)
    elif isinstance(snippet, list):
        for value in snippet:
            yield from functions_in(value)
