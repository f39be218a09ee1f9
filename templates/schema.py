"""Declared schemas of resource types: properties, attributes, support status, API form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from templates import constraints as c
from templates.errors import InvalidSchemaError

PROPERTY_TYPES = (c.STRING, c.INTEGER, c.NUMBER, c.BOOLEAN, c.LIST, c.MAP, c.ANY)
# Upstream's Schema type names, used in its conversion messages.
TYPE_LABELS = {
    c.STRING: "String",
    c.INTEGER: "Integer",
    c.NUMBER: "Number",
    c.BOOLEAN: "Boolean",
    c.LIST: "List",
    c.MAP: "Map",
    c.ANY: "Any",
}
SUPPORT_STATUSES = ("UNKNOWN", "SUPPORTED", "DEPRECATED", "UNSUPPORTED", "HIDDEN")


@dataclass(frozen=True)
class SupportStatus:
    status: str = "SUPPORTED"
    message: str | None = None
    version: str | None = None
    previous_status: SupportStatus | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "version": self.version,
            "previous_status": (
                self.previous_status.to_dict() if self.previous_status is not None else None
            ),
        }


@dataclass(frozen=True)
class PropertySchema:
    """One property (heat.engine.properties.Schema).

    `schema` is either one PropertySchema (the items of a list, shown as "*")
    or a mapping of key -> PropertySchema (the keys of a map).
    """

    type: str
    description: str | None = None
    default: Any = None
    required: bool = False
    constraints: tuple[c.Constraint, ...] = ()
    update_allowed: bool = False
    immutable: bool = False
    schema: PropertySchema | Mapping[str, PropertySchema] | None = None
    support_status: SupportStatus = field(default_factory=SupportStatus)
    implemented: bool = True
    # A deprecated property whose value upstream moves to this one before validating
    # (its translation rule REPLACE: Subnet's network_id becomes network).
    replaced_by: str | None = None

    def __post_init__(self) -> None:
        if self.type not in PROPERTY_TYPES:
            raise InvalidSchemaError(f"Invalid type ({self.type})")
        if isinstance(self.schema, PropertySchema) and self.type != c.LIST:
            raise InvalidSchemaError(
                f"Single schema valid only for List, not {TYPE_LABELS[self.type]}"
            )
        if self.schema is not None and self.type not in (c.LIST, c.MAP):
            raise InvalidSchemaError(
                f"Schema valid only for List or Map, not {TYPE_LABELS[self.type]}"
            )
        for constraint in self.constraints:
            if self.type not in constraint.valid_kinds:
                raise InvalidSchemaError(
                    f"{type(constraint).__name__} constraint invalid for {TYPE_LABELS[self.type]}"
                )
        if self.update_allowed and self.immutable:
            raise InvalidSchemaError("Options UpdateAllowed and Immutable cannot both be True")

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    @property
    def hidden(self) -> bool:
        return self.support_status.status == "HIDDEN"

    def children(self) -> Mapping[str, PropertySchema] | None:
        """Nested schemas keyed as upstream renders them ("*" for list items)."""
        if isinstance(self.schema, PropertySchema):
            return {"*": self.schema}
        return self.schema

    def to_dict(self) -> dict[str, Any]:
        """The resource-type API form, keys in upstream's order."""
        out: dict[str, Any] = {"type": self.type}
        if self.description is not None:
            out["description"] = self.description
        if self.default is not None:
            out["default"] = self.default
        children = self.children()
        if children is not None:
            out["schema"] = {name: child.to_dict() for name, child in children.items()}
        out["required"] = self.required
        if self.constraints:
            out["constraints"] = [constraint.to_dict() for constraint in self.constraints]
        out["update_allowed"] = self.update_allowed
        out["immutable"] = self.immutable
        return out


@dataclass(frozen=True)
class AttributeSchema:
    """One attribute (heat.engine.attributes.Schema); type None means unspecified."""

    description: str | None = None
    type: str | None = None
    support_status: SupportStatus = field(default_factory=SupportStatus)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.description is not None:
            out["description"] = self.description
        if self.type is not None:
            out["type"] = self.type
        return out


# Every resource has it (Resource.base_attributes_schema upstream).
SHOW_ATTRIBUTE = AttributeSchema("Detailed information about resource.", "map")


@dataclass(frozen=True)
class ResourceTypeSchema:
    """What a resource type declares: properties, attributes, support status.

    `dynamic_attributes` is for types whose attributes are only known at run
    time (nested stacks' outputs), so get_attr names are not checked.
    `any_properties` is for placeholders such as OS::Heat::None, which accept
    whatever properties the type they stand in for had.
    `nested_resources`: a provider template's resource, whose get_attr may name any
    attribute (as upstream's TemplateResource.get_attribute): an output, or
    `resource.<inner>[.<attribute>]` (a resource of its nested stack); `attributes` are its
    outputs, for the facade check and the resource_types API.
    """

    properties: Mapping[str, PropertySchema] = field(default_factory=dict)
    attributes: Mapping[str, AttributeSchema] = field(default_factory=dict)
    support_status: SupportStatus = field(default_factory=SupportStatus)
    dynamic_attributes: bool = False
    any_properties: bool = False
    nested_resources: bool = False
    # Upstream's plugin class name (provider templates name the resource after
    # it) and docstring (GET /resource_types?with_description=true).
    class_name: str = ""
    description: str = ""

    def all_attributes(self) -> dict[str, AttributeSchema]:
        return {**self.attributes, "show": SHOW_ATTRIBUTE}

    def to_api(self, type_name: str) -> dict[str, Any]:
        """The body of GET /resource_types/{type_name}."""
        return {
            "resource_type": type_name,
            "properties": {
                name: prop.to_dict()
                for name, prop in self.properties.items()
                if prop.implemented and not prop.hidden
            },
            "attributes": {
                name: attr.to_dict()
                for name, attr in self.all_attributes().items()
                if attr.support_status.status != "HIDDEN"
            },
            "support_status": self.support_status.to_dict(),
        }
