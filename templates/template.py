"""A parsed HOT template: its version, sections, parameter schemas, resources and outputs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from templates.errors import (
    FunctionArgumentError,
    InvalidTemplateSection,
    NotSupportedYet,
    StackValidationFailed,
    TemplateError,
)
from templates.function import Function, Reference, dependencies, parse_snippet
from templates.parameters import ParameterSchema
from templates.versions import TemplateVersion, get_version

_CANONICAL_POLICY = {"delete": "Delete", "retain": "Retain", "snapshot": "Snapshot"}


@dataclass(frozen=True)
class ResourceDefinition:
    """One entry of `resources`, with functions parsed (properties may hold Functions)."""

    name: str
    type: str
    properties: Any = None
    metadata: Any = None
    depends_on: tuple[str, ...] = ()
    deletion_policy: Any = None
    update_policy: Any = None
    description: str | None = None
    external_id: Any = None
    condition: Any = None

    def references(self) -> Iterator[Reference]:
        """Resources this one needs: properties, metadata, then depends_on (Heat's order)."""
        yield from dependencies(self.properties, f"{self.name}.properties")
        yield from dependencies(self.metadata, f"{self.name}.metadata")
        for name in self.depends_on:
            yield Reference(name, self.name)


@dataclass(frozen=True)
class OutputDefinition:
    name: str
    value: Any
    description: str | None = None
    condition: Any = None


class Template:
    """A template checked for structure; sections are parsed on first use, as Heat does.

    Construction checks the version and the section/resource layout (Heat's
    Template.validate); `parameter_schemas`, `resources` and `outputs` parse
    lazily so that a whole-stack validation reports errors in upstream's order.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data: dict[str, Any] = dict(data)
        self.version: TemplateVersion = get_version(self.data)
        if not self.version.is_hot:
            raise NotSupportedYet("CFN-format templates are not supported yet.")
        try:
            self._check_layout()
        except TemplateError as exc:
            exc.stage = "template"
            raise

    def _check_layout(self) -> None:
        for key in self.data:
            if key not in self.version.sections:
                raise InvalidTemplateSection(key)
        section = self.data.get("resources") or {}
        if not isinstance(section, Mapping):
            # Upstream fails on section.items() and reports the AttributeError.
            raise StackValidationFailed(
                f"'{type(section).__name__}' object has no attribute 'items'"
            )
        missing_type = "Each resource must contain a type key."
        for _name, attrs in sorted(section.items(), key=lambda item: str(item[0])):
            if not attrs:
                raise StackValidationFailed(missing_type)
            if not isinstance(attrs, Mapping):
                raise StackValidationFailed(
                    '"resources" must contain a map of resource maps. '
                    f"Found a [{type(attrs)}] instead"
                )
            for key in attrs:
                if key not in self.version.resource_keys:
                    raise StackValidationFailed(
                        f'"{key}" is not a valid keyword inside a resource definition'
                    )
            if "type" not in attrs:
                raise StackValidationFailed(missing_type)
        for attrs in section.values():
            if not attrs.get("type"):
                raise StackValidationFailed("Each Resource must contain a Type key.")

    def parse(self, snippet: Any) -> Any:
        """Parse functions in `snippet` with this version's table."""
        return parse_snippet(snippet, self.version.functions)

    @property
    def description(self) -> str | None:
        return self.data.get("description")

    @property
    def parameter_groups(self) -> list[Any] | None:
        return self.data.get("parameter_groups")

    @cached_property
    def parameter_schemas(self) -> dict[str, ParameterSchema]:
        """The `parameters` section, raising InvalidSchemaError in Heat's words."""
        section = self.data.get("parameters") or {}
        return {
            name: ParameterSchema.from_dict(name, data, self.version)
            for name, data in section.items()
        }

    @cached_property
    def conditions(self) -> Mapping[str, Any]:
        section = self.data.get("conditions") or {}
        if section:
            raise NotSupportedYet("Template conditions are not supported yet.")
        return {}

    @cached_property
    def resources(self) -> dict[str, ResourceDefinition]:
        """Resource definitions in template order, function calls parsed."""
        section = self.data.get("resources") or {}
        out = {}
        for name, data in section.items():
            try:
                out[name] = self._resource(name, data)
            except FunctionArgumentError as exc:
                raise StackValidationFailed(exc.upstream_text()) from None
        return out

    def _resource(self, name: str, data: Mapping[str, Any]) -> ResourceDefinition:
        def field(key: str, types: type | tuple[type, ...], typename: str, parse: bool) -> Any:
            if key not in data:
                return None
            value = self.parse(data[key]) if parse else data[key]
            if not isinstance(value, types):
                raise StackValidationFailed(f"Resource {name} {key} type must be {typename}")
            return value

        rtype = field("type", str, "string", True)
        properties = field("properties", (Mapping, Function), "object", True)
        metadata = field("metadata", (Mapping, Function), "object", True)
        depends = field("depends_on", Sequence, "list or string", False)
        depends_on: tuple[str, ...] = ()
        if isinstance(depends, str):
            depends_on = (depends,)
        elif depends:
            for dep in depends:
                if not isinstance(dep, str):
                    raise StackValidationFailed(
                        f"Resource {name} depends_on must be a list of strings"
                    )
            depends_on = tuple(depends)
        policy = field("deletion_policy", (str, Function), "string", True)
        if isinstance(policy, str):
            policy = self.check_deletion_policy(policy)
        if data.get("condition") is not None:
            raise NotSupportedYet("Resource conditions are not supported yet.")
        return ResourceDefinition(
            name=name,
            type=rtype,
            properties=properties,
            metadata=metadata,
            depends_on=depends_on,
            deletion_policy=policy,
            update_policy=field("update_policy", (Mapping, Function), "object", True),
            description=field("description", str, "string", False),
            external_id=self.parse(data.get("external_id")),
            condition=data.get("condition"),
        )

    def check_deletion_policy(self, policy: Any) -> str:
        """The canonical policy name, or Heat's 'Invalid deletion policy' error."""
        if policy not in self.version.deletion_policies:
            raise StackValidationFailed(f'Invalid deletion policy "{policy}"')
        return _CANONICAL_POLICY.get(policy, policy)

    @cached_property
    def outputs(self) -> dict[str, OutputDefinition]:
        """Output definitions in template order, function calls parsed."""
        section = self.data.get("outputs") or {}
        out = {}
        for key, val in section.items():
            error, path = "Output validation error", ["outputs", key]
            if not isinstance(val, Mapping):
                raise StackValidationFailed(
                    f"Output definitions must be a map. Found a {type(val).__name__} instead",
                    error=error,
                    path=path,
                )
            if "value" not in val:
                raise StackValidationFailed(
                    "Each output definition must contain a value key.", error=error, path=path
                )
            if val.get("condition") is not None:
                raise NotSupportedYet("Output conditions are not supported yet.")
            try:
                value = self.parse(val["value"])
            except FunctionArgumentError as exc:
                raise StackValidationFailed(
                    exc.upstream_text(), error=error, path=[*path, "value"]
                ) from None
            out[key] = OutputDefinition(key, value, val.get("description"), val.get("condition"))
        return out
