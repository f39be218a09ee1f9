"""A resource type rendered as a provider template (GET /resource_types/{type}/template)."""

from __future__ import annotations

from typing import Any

from templates import constraints as c
from templates.errors import TemplateError
from templates.schema import PropertySchema, ResourceTypeSchema

_HOT_TYPES = {
    c.INTEGER: "number",
    c.STRING: "string",
    c.NUMBER: "number",
    c.BOOLEAN: "boolean",
    c.MAP: "json",
    c.LIST: "comma_delimited_list",
}
_CFN_TYPES = {
    c.INTEGER: "Number",
    c.STRING: "String",
    c.NUMBER: "Number",
    c.BOOLEAN: "Boolean",
    c.MAP: "Json",
    c.LIST: "CommaDelimitedList",
}


class UnrepresentableType(TemplateError):
    """A property type no parameter type can carry (upstream answers 500 KeyError)."""

    error_type = "KeyError"


def _min_max(constraint: Any) -> dict[str, Any]:
    out = {}
    if constraint.min is not None:
        out["min"] = constraint.min
    if constraint.max is not None:
        out["max"] = constraint.max
    return out


def _hot_parameter(prop: PropertySchema) -> dict[str, Any]:
    if prop.type not in _HOT_TYPES:
        raise UnrepresentableType(prop.type)
    out: dict[str, Any] = {"type": _HOT_TYPES[prop.type]}
    if prop.description is not None:
        out["description"] = prop.description
    if prop.default is not None:
        out["default"] = prop.default
    if prop.constraints:
        items: list[dict[str, Any]] = []
        for constraint in prop.constraints:
            if isinstance(constraint, c.Length):
                items.append({"length": _min_max(constraint)})
            elif isinstance(constraint, c.Range):
                items.append({"range": _min_max(constraint)})
            elif isinstance(constraint, c.AllowedValues):
                items.append({"allowed_values": list(constraint.allowed)})
            elif isinstance(constraint, c.AllowedPattern):
                items.append({"allowed_pattern": constraint.pattern})
            else:
                items.append({})
        out["constraints"] = items
    return out


def _cfn_parameter(prop: PropertySchema) -> dict[str, Any]:
    if prop.type not in _CFN_TYPES:
        raise UnrepresentableType(prop.type)
    out: dict[str, Any] = {"Type": _CFN_TYPES[prop.type]}
    if prop.description is not None:
        out["Description"] = prop.description
    if prop.default is not None:
        out["Default"] = prop.default
    for constraint in prop.constraints:
        if isinstance(constraint, c.Length):
            if constraint.min is not None:
                out["MinLength"] = constraint.min
            if constraint.max is not None:
                out["MaxLength"] = constraint.max
        elif isinstance(constraint, c.Range):
            if constraint.min is not None:
                out["MinValue"] = constraint.min
            if constraint.max is not None:
                out["MaxValue"] = constraint.max
        elif isinstance(constraint, c.AllowedValues):
            out["AllowedValues"] = list(constraint.allowed)
        elif isinstance(constraint, c.AllowedPattern):
            out["AllowedPattern"] = constraint.pattern
    if prop.type == c.BOOLEAN:
        out["AllowedValues"] = ["True", "true", "False", "false"]
    return out


def resource_to_template(
    type_name: str, schema: ResourceTypeSchema, template_type: str = "cfn"
) -> dict[str, Any]:
    """Upstream's Resource.resource_to_template: properties as parameters, attributes as outputs."""
    res_name = schema.class_name or type_name.split("::")[-1]
    hot = template_type == "hot"
    params: dict[str, Any] = {}
    props: dict[str, Any] = {}
    for name, prop in schema.properties.items():
        if prop.hidden or not prop.implemented:
            continue
        if hot:
            params[name] = _hot_parameter(prop)
            props[name] = {"get_param": name}
        else:
            params[name] = _cfn_parameter(prop)
            props[name] = (
                {"Fn::Split": [",", {"Ref": name}]} if prop.type == c.LIST else {"Ref": name}
            )
    outputs: dict[str, Any] = {}
    for name, attr in schema.all_attributes().items():
        if attr.support_status.status == "HIDDEN":
            continue
        if hot:
            outputs[name] = {
                "value": {"get_attr": [res_name, name]},
                "description": attr.description,
            }
        else:
            outputs[name] = {
                "Value": {"Fn::GetAtt": [res_name, name]},
                "Description": attr.description,
            }
    if hot:
        outputs["OS::stack_id"] = {"value": {"get_resource": res_name}}
        return {
            "heat_template_version": "2016-10-14",
            "description": f"Initial template of {res_name}",
            "parameters": params,
            "outputs": outputs,
            "resources": {res_name: {"type": type_name, "properties": props}},
        }
    outputs["OS::stack_id"] = {"Value": {"Ref": res_name}}
    return {
        "HeatTemplateFormatVersion": "2012-12-12",
        "Description": f"Initial template of {res_name}",
        "Parameters": params,
        "Resources": {res_name: {"Type": type_name, "Properties": props}},
        "Outputs": outputs,
    }
