"""Template versions: which sections, resource keys and functions each version has."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from templates.errors import InvalidTemplateVersion
from templates.function import FunctionEntry, Invalid
from templates.function_registry import implementation
from templates.function_tables import CONDITION_FUNCTIONS, FUNCTIONS, VERSIONS

HOT_KEY: Final = "heat_template_version"

_HOT_SECTIONS = (
    "heat_template_version",
    "description",
    "parameter_groups",
    "parameters",
    "resources",
    "outputs",
    # Upstream lists the unused MAPPINGS section under this name, so a
    # top-level "__undefined__" key passes its section check too.
    "__undefined__",
)
_HOT_RESOURCE_KEYS = (
    "type",
    "properties",
    "metadata",
    "depends_on",
    "deletion_policy",
    "update_policy",
    "description",
)
_DELETION_POLICIES = ("Delete", "Retain", "Snapshot")

# Template classes from HOTemplate20161014 on add conditions, external_id,
# output conditions and lower-case deletion policies.
_CONDITIONAL_CLASSES = frozenset(
    {
        "HOTemplate20161014",
        "HOTemplate20170224",
        "HOTemplate20170901",
        "HOTemplate20180302",
        "HOTemplate20180831",
        "HOTemplate20210416",
    }
)
# Parameter constraint "modulo" from HOTParamSchema20170224, "tags" from 20180302.
_MODULO_CLASSES = _CONDITIONAL_CLASSES - {"HOTemplate20161014"}
_TAGS_CLASSES = frozenset({"HOTemplate20180302", "HOTemplate20180831", "HOTemplate20210416"})


@dataclass(frozen=True)
class TemplateVersion:
    """One `<key>: <name>` version of the template language (aliases are their own entry)."""

    key: str
    name: str
    class_name: str
    sections: tuple[str, ...]
    resource_keys: tuple[str, ...]
    output_keys: tuple[str, ...]
    deletion_policies: tuple[str, ...]
    parameter_keys: tuple[str, ...]
    parameter_constraints: tuple[str, ...]
    upstream_functions: Mapping[str, str]
    condition_functions: Mapping[str, str]
    functions: Mapping[str, FunctionEntry]

    @property
    def id(self) -> str:
        """The `GET /template_versions` id, e.g. "heat_template_version.2018-08-31"."""
        return f"{self.key}.{self.name}"

    @property
    def is_hot(self) -> bool:
        return self.key == HOT_KEY

    @property
    def has_conditions(self) -> bool:
        """Whether the version has a conditions section (HOT 2016-10-14+, AWS CFN)."""
        return bool(self.condition_functions)

    def condition_table(self) -> dict[str, FunctionEntry]:
        """Functions valid inside conditions; every other one is Invalid there (upstream)."""
        table: dict[str, FunctionEntry] = {}
        for fn, impl in self.upstream_functions.items():
            table[fn] = self.functions[fn] if impl == "hot_funcs.Removed" else Invalid
        for fn, impl in self.condition_functions.items():
            table[fn] = implementation(impl)
        return table

    def listed_condition_functions(self) -> dict[str, str]:
        """The functions API with `with_condition_func`: condition functions too."""
        return {**self.listed_functions(), **self.condition_functions}

    def listed_functions(self) -> dict[str, str]:
        """Function names to upstream class names, without removed ones (the functions API)."""
        return {
            name: impl
            for name, impl in self.upstream_functions.items()
            if impl != "hot_funcs.Removed"
        }


_CFN_SECTIONS = (
    "AWSTemplateFormatVersion",
    "HeatTemplateFormatVersion",
    "Description",
    "Mappings",
    "Parameters",
    "Resources",
    "Outputs",
)
_CFN_RESOURCE_KEYS = (
    "Type",
    "Properties",
    "Metadata",
    "DependsOn",
    "DeletionPolicy",
    "UpdatePolicy",
    "Description",
)
_CFN_PARAMETER_KEYS = (
    "Type",
    "Default",
    "NoEcho",
    "AllowedValues",
    "AllowedPattern",
    "MaxLength",
    "MinLength",
    "MaxValue",
    "MinValue",
    "Description",
    "ConstraintDescription",
    "Label",
)


def _build_cfn(key: str, name: str, class_name: str) -> TemplateVersion:
    conditional = class_name == "CfnTemplate"
    upstream = FUNCTIONS[class_name]
    return TemplateVersion(
        key=key,
        name=name,
        class_name=class_name,
        sections=_CFN_SECTIONS + (("Conditions",) if conditional else ()),
        resource_keys=_CFN_RESOURCE_KEYS + (("Condition",) if conditional else ()),
        output_keys=("Description", "Value") + (("Condition",) if conditional else ()),
        deletion_policies=_DELETION_POLICIES,
        parameter_keys=_CFN_PARAMETER_KEYS,
        parameter_constraints=(),
        upstream_functions=MappingProxyType(dict(upstream)),
        condition_functions=MappingProxyType(dict(CONDITION_FUNCTIONS[class_name])),
        functions=MappingProxyType({fn: implementation(impl) for fn, impl in upstream.items()}),
    )


def _build(key: str, name: str, class_name: str) -> TemplateVersion:
    if key != HOT_KEY:
        return _build_cfn(key, name, class_name)
    conditional = class_name in _CONDITIONAL_CLASSES
    sections = _HOT_SECTIONS + (("conditions",) if conditional else ())
    resource_keys = _HOT_RESOURCE_KEYS + (("external_id", "condition") if conditional else ())
    output_keys = ("description", "value") + (("condition",) if conditional else ())
    policies = _DELETION_POLICIES + (
        tuple(p.lower() for p in _DELETION_POLICIES) if conditional else ()
    )
    param_keys = (
        "type",
        "description",
        "default",
        "schema",
        "constraints",
        "hidden",
        "label",
        "immutable",
    ) + (("tags",) if class_name in _TAGS_CLASSES else ())
    constraints: tuple[str, ...] = (
        "description",
        "length",
        "range",
        "modulo",
        "allowed_values",
        "allowed_pattern",
        "custom_constraint",
    )
    if class_name not in _MODULO_CLASSES:
        constraints = tuple(c for c in constraints if c != "modulo")
    upstream = FUNCTIONS[class_name]
    return TemplateVersion(
        key=key,
        name=name,
        class_name=class_name,
        sections=sections,
        resource_keys=resource_keys,
        output_keys=output_keys,
        deletion_policies=policies,
        parameter_keys=param_keys,
        parameter_constraints=constraints,
        upstream_functions=MappingProxyType(dict(upstream)),
        condition_functions=MappingProxyType(dict(CONDITION_FUNCTIONS[class_name])),
        functions=MappingProxyType({fn: implementation(impl) for fn, impl in upstream.items()}),
    )


ALL_VERSIONS: Final[dict[tuple[str, str], TemplateVersion]] = {
    (key, name): _build(key, name, class_name) for key, name, class_name in VERSIONS
}


def get_version(template: Mapping[str, Any]) -> TemplateVersion:
    """The version a parsed template declares, with upstream's errors when it cannot tell."""
    version_keys = {key for key, _ in ALL_VERSIONS}
    present = sorted(k for k, v in template.items() if k in version_keys and isinstance(v, str))
    if len(present) > 1:
        raise InvalidTemplateVersion(f"Ambiguous versions ({', '.join(present)})")
    if not present:
        raise InvalidTemplateVersion("Template version was not provided")
    key = present[0]
    name = template[key]
    try:
        return ALL_VERSIONS[(key, name)]
    except KeyError:
        available = sorted(n for k, n in ALL_VERSIONS if k == key)
        joined = ", ".join(available)
        if len(available) > 1:
            explanation = f'"{key}: {name}". "{key}" should be one of: {joined}'
        else:
            explanation = f'"{key}: {name}". "{key}" should be: {joined}'
        raise InvalidTemplateVersion(explanation) from None
