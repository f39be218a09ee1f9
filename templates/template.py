"""A parsed template (HOT or CFN): version, sections, parameters, conditions, resources, outputs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from templates.errors import (
    FunctionArgumentError,
    InvalidSchemaError,
    InvalidTemplateSection,
    StackValidationFailed,
    TemplateError,
)
from templates.function import (
    Function,
    FunctionEntry,
    Reference,
    dependencies,
    parse_snippet,
)
from templates.parameters import ParameterSchema
from templates.versions import TemplateVersion, get_version

_CANONICAL_POLICY = {"delete": "Delete", "retain": "Retain", "snapshot": "Snapshot"}


@dataclass(frozen=True)
class Sections:
    """The names a template format gives its sections and keys."""

    description: str
    parameter_groups: str
    parameters: str
    mappings: str
    conditions: str
    resources: str
    outputs: str
    res_type: str
    res_properties: str
    res_metadata: str
    res_depends_on: str
    res_deletion_policy: str
    res_update_policy: str
    res_description: str
    res_condition: str
    res_external_id: str
    out_value: str
    out_description: str
    out_condition: str


HOT_SECTIONS = Sections(
    "description",
    "parameter_groups",
    "parameters",
    "__undefined__",
    "conditions",
    "resources",
    "outputs",
    "type",
    "properties",
    "metadata",
    "depends_on",
    "deletion_policy",
    "update_policy",
    "description",
    "condition",
    "external_id",
    "value",
    "description",
    "condition",
)
CFN_SECTIONS = Sections(
    "Description",
    "ParameterGroups",
    "Parameters",
    "Mappings",
    "Conditions",
    "Resources",
    "Outputs",
    "Type",
    "Properties",
    "Metadata",
    "DependsOn",
    "DeletionPolicy",
    "UpdatePolicy",
    "Description",
    "Condition",
    "ExternalId",
    "Value",
    "Description",
    "Condition",
)


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
        yield from dependencies(self.properties, f"{self.name}.Properties")
        yield from dependencies(self.metadata, f"{self.name}.Metadata")
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
    Template.validate); `parameter_schemas`, `conditions`, `resources` and
    `outputs` parse lazily so that a whole-stack validation reports errors in
    upstream's order. `resources` lists every resource, whatever its
    condition: `StackDefinition` gives the enabled ones.
    """

    def __init__(self, data: Mapping[str, Any], files: Mapping[str, str] | None = None) -> None:
        self.data: dict[str, Any] = dict(data)
        self.files: dict[str, str] = dict(files or {})
        self.version: TemplateVersion = get_version(self.data)
        self.sections: Sections = HOT_SECTIONS if self.version.is_hot else CFN_SECTIONS
        try:
            self._check_layout()
        except TemplateError as exc:
            exc.stage = "template"
            raise

    @property
    def is_cfn(self) -> bool:
        return not self.version.is_hot

    def _check_layout(self) -> None:
        for key in self.data:
            if key not in self.version.sections:
                raise InvalidTemplateSection(key)
        if self.is_cfn:
            self._check_cfn_layout()
            return
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

    def _check_cfn_layout(self) -> None:
        section = self.data.get("Resources") or {}
        if not isinstance(section, Mapping):
            raise StackValidationFailed(
                f"'{type(section).__name__}' object has no attribute 'values'"
            )
        for attrs in section.values():
            if not isinstance(attrs, Mapping) and attrs:
                raise StackValidationFailed(
                    f"Resources must contain Resource. Found a [{type(attrs)}] instead"
                )
            if not attrs or not attrs.get("Type"):
                raise StackValidationFailed("Each Resource must contain a Type key.")

    @cached_property
    def function_table(self) -> Mapping[str, FunctionEntry]:
        """This version's functions; `Ref` bound to the resource names, as upstream parses it."""
        table = dict(self.version.functions)
        if "Ref" in table and self.version.upstream_functions.get("Ref") == "cfn_funcs.Ref":
            from templates.cfn_functions import ref_factory

            table["Ref"] = ref_factory(frozenset(self.resource_names))
        return table

    @cached_property
    def condition_function_table(self) -> Mapping[str, FunctionEntry]:
        return self.version.condition_table()

    @property
    def resource_names(self) -> list[str]:
        section = self.data.get(self.sections.resources) or {}
        return list(section) if isinstance(section, Mapping) else []

    def parse(self, snippet: Any, path: str = "") -> Any:
        """Parse functions in `snippet` with this version's table."""
        return parse_snippet(snippet, self.function_table, path)

    def parse_condition(self, snippet: Any, path: str = "") -> Any:
        """Parse a condition (definition or reference) with the condition functions."""
        return parse_snippet(snippet, self.condition_function_table, path)

    @property
    def description(self) -> str | None:
        return self.data.get(self.sections.description)

    @property
    def parameter_groups(self) -> list[Any] | None:
        return self.data.get(self.sections.parameter_groups)

    @cached_property
    def mappings(self) -> dict[str, Any]:
        """CFN `Mappings` (Fn::FindInMap reads them); HOT has none."""
        if not self.is_cfn:
            return {}
        return dict(self.data.get("Mappings") or {})

    @cached_property
    def parameter_schemas(self) -> dict[str, ParameterSchema]:
        """The `parameters` section, raising InvalidSchemaError in Heat's words."""
        section = self.data.get(self.sections.parameters) or {}
        if not isinstance(section, Mapping):
            # A list or a scalar here was an AttributeError (a 500) here and upstream alike.
            raise InvalidSchemaError(
                f'The template section "{self.sections.parameters}" must be a map of '
                "parameter names to their definitions."
            )
        if self.is_cfn:
            return {
                name: ParameterSchema.from_cfn_dict(name, data) for name, data in section.items()
            }
        return {
            name: ParameterSchema.from_dict(name, data, self.version)
            for name, data in section.items()
        }

    @cached_property
    def conditions(self) -> dict[str, Any]:
        """The condition definitions, parsed with the condition functions."""
        if not self.version.has_conditions:
            return {}
        name = self.sections.conditions
        section = self.data.get(name, {})
        if not isinstance(section, Mapping):
            raise StackValidationFailed(
                f"Condition definitions must be a map. Found a {type(section).__name__} instead",
                error="Conditions validation error",
            )
        return {
            cname: self.parse_condition(definition, f"{name}.{cname}")
            for cname, definition in section.items()
        }

    @cached_property
    def resources(self) -> dict[str, ResourceDefinition]:
        """Every resource definition in template order, function calls parsed."""
        section = self.data.get(self.sections.resources) or {}
        out = {}
        for name, data in section.items():
            try:
                out[name] = self._resource(name, data)
            except FunctionArgumentError as exc:
                raise StackValidationFailed(exc.upstream_text()) from None
        return out

    def _resource(self, name: str, data: Mapping[str, Any]) -> ResourceDefinition:
        s = self.sections
        base = f"{s.resources}.{name}"

        def field(
            key: str,
            types: type | tuple[type, ...],
            typename: str,
            parse: bool,
            condition: bool = False,
        ) -> Any:
            if key not in data:
                return None
            if condition:
                value = self.parse_condition(data[key], f"{base}.{key}")
            else:
                value = self.parse(data[key], f"{base}.{key}") if parse else data[key]
            if not isinstance(value, types):
                raise StackValidationFailed(f"Resource {name} {key} type must be {typename}")
            return value

        rtype = field(s.res_type, str, "string", True)
        properties = field(s.res_properties, (Mapping, Function), "object", True)
        metadata = field(s.res_metadata, (Mapping, Function), "object", True)
        depends = field(s.res_depends_on, Sequence, "list or string", False)
        depends_on: tuple[str, ...] = ()
        if isinstance(depends, str):
            depends_on = (depends,)
        elif depends:
            for dep in depends:
                if not isinstance(dep, str):
                    raise StackValidationFailed(
                        f"Resource {name} {s.res_depends_on} must be a list of strings"
                    )
            depends_on = tuple(depends)
        policy = field(s.res_deletion_policy, (str, Function), "string", True)
        if isinstance(policy, str):
            policy = self.check_deletion_policy(policy)
        update_policy = field(s.res_update_policy, (Mapping, Function), "object", True)
        description = field(s.res_description, str, "string", False)
        external_id = None
        if not self.is_cfn and "external_id" in self.version.resource_keys:
            external_id = field(s.res_external_id, (str, Function), "string", True)
        condition = None
        if s.res_condition in self.version.resource_keys:
            typename = "string or boolean" if self.is_cfn else "string_or_boolean"
            condition = field(
                s.res_condition, (str, bool, Function), typename, True, condition=True
            )
        return ResourceDefinition(
            name=name,
            type=rtype,
            properties=properties,
            metadata=metadata,
            depends_on=depends_on,
            deletion_policy=policy,
            update_policy=update_policy,
            description=description,
            external_id=external_id,
            condition=condition,
        )

    def check_deletion_policy(self, policy: Any) -> str:
        """The canonical policy name, or Heat's 'Invalid deletion policy' error."""
        if policy not in self.version.deletion_policies:
            raise StackValidationFailed(f'Invalid deletion policy "{policy}"')
        return _CANONICAL_POLICY.get(policy, policy)

    @cached_property
    def outputs(self) -> dict[str, OutputDefinition]:
        """Every output definition in template order, function calls parsed."""
        s = self.sections
        section = self.data.get(s.outputs) or {}
        out = {}
        for key, val in section.items():
            error, path = "Output validation error", [s.outputs, key]
            if not isinstance(val, Mapping):
                raise StackValidationFailed(
                    f"Output definitions must be a map. Found a {type(val).__name__} instead",
                    error=error,
                    path=path,
                )
            if s.out_value not in val:
                raise StackValidationFailed(
                    f"Each output definition must contain a {s.out_value} key.",
                    error=error,
                    path=path,
                )
            condition = None
            if s.out_condition in self.version.output_keys:
                condition = self.parse_condition(
                    val.get(s.out_condition), f"{s.outputs}.{key}.{s.out_condition}"
                )
            try:
                value = self.parse(val[s.out_value], f"{s.outputs}.{key}.{s.out_value}")
            except FunctionArgumentError as exc:
                raise StackValidationFailed(
                    exc.upstream_text(), error=error, path=[*path, "value"]
                ) from None
            out[key] = OutputDefinition(key, value, val.get(s.out_description), condition)
        return out
