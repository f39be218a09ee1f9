"""Template parameters: schemas, user values and defaults, coercion, and their display forms."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from templates import constraints as c
from templates.errors import (
    InvalidSchemaError,
    StackValidationFailed,
    UnknownUserParameter,
    UserParameterMissing,
)
from templates.versions import TemplateVersion

PARAMETER_TYPES = ("string", "number", "comma_delimited_list", "json", "boolean")
_KIND = {
    "string": c.STRING,
    "number": c.NUMBER,
    "comma_delimited_list": c.LIST,
    "json": c.MAP,
    "boolean": c.BOOLEAN,
}
# Type names of the POST /validate body (heat.rpc.api VALIDATE_PARAM_TYPES).
API_TYPE_NAMES = {
    "string": "String",
    "number": "Number",
    "comma_delimited_list": "CommaDelimitedList",
    "json": "Json",
    "boolean": "Boolean",
}
_CONSTRAINT_KEYS = (
    "description",
    "length",
    "range",
    "modulo",
    "allowed_values",
    "allowed_pattern",
    "custom_constraint",
)
PSEUDO_PARAMETERS = ("OS::stack_id", "OS::stack_name", "OS::region", "OS::project_id")


def _check_dict(data: Any, allowed: tuple[str, ...], entity: str) -> None:
    if not isinstance(data, dict):
        raise InvalidSchemaError(f"Invalid {entity}, expected a mapping")
    for key in data:
        if key not in allowed:
            raise InvalidSchemaError(f"Invalid key '{key}' for {entity}")


def _num(data: Mapping[str, Any], key: str) -> Any:
    value = data.get(key)
    return None if value is None else c.str_to_num(value)


def _constraint(data: dict[str, Any], with_modulo: bool) -> c.Constraint:
    desc = data.get("description")
    if "range" in data:
        cdef = data["range"]
        _check_dict(cdef, ("min", "max"), "range constraint")
        return c.Range(desc, _num(cdef, "min"), _num(cdef, "max"))
    if "length" in data:
        cdef = data["length"]
        _check_dict(cdef, ("min", "max"), "length constraint")
        return c.Length(desc, _num(cdef, "min"), _num(cdef, "max"))
    if "allowed_values" in data:
        return c.allowed_values(data["allowed_values"], desc)
    if "allowed_pattern" in data:
        return c.AllowedPattern(desc, data["allowed_pattern"])
    if "custom_constraint" in data:
        return c.CustomConstraint(desc, data["custom_constraint"])
    if with_modulo and "modulo" in data:
        cdef = data["modulo"]
        _check_dict(cdef, ("step", "offset"), "modulo constraint")
        return c.Modulo(desc, _num(cdef, "step"), _num(cdef, "offset"))
    raise InvalidSchemaError("No constraint expressed")


@dataclass(frozen=True)
class ParameterSchema:
    """One entry of the `parameters` section."""

    name: str
    type: str
    description: str | None = None
    default: Any = None
    constraints: tuple[c.Constraint, ...] = ()
    hidden: bool = False
    label: str | None = None
    immutable: bool = False
    tags: tuple[Any, ...] | None = None

    @classmethod
    def from_dict(
        cls, name: str, data: Any, version: TemplateVersion | None = None
    ) -> ParameterSchema:
        """Build from template data, raising InvalidSchemaError in Heat's words."""
        keys = version.parameter_keys if version is not None else _KEYS_ALL
        _check_dict(data, keys, f"parameter ({name})")
        if "type" not in data:
            raise InvalidSchemaError(f"Missing parameter type for parameter: {name}")
        if "tags" in keys and not isinstance(data.get("tags", []), list):
            raise InvalidSchemaError(f"Tags property should be a list for parameter: {name}")
        raw_constraints = data.get("constraints")
        constraints: list[c.Constraint] = []
        if raw_constraints is not None:
            if not isinstance(raw_constraints, list):
                raise InvalidSchemaError(
                    f"Invalid parameter constraints for parameter {name}, expected a list"
                )
            with_modulo = version is None or "modulo" in version.parameter_constraints
            for item in raw_constraints:
                _check_dict(item, _CONSTRAINT_KEYS, "parameter constraints")
                constraints.append(_constraint(item, with_modulo))
        ptype = data["type"]
        if ptype not in PARAMETER_TYPES:
            raise InvalidSchemaError(f"Invalid type ({ptype})")
        tags = data.get("tags")
        return cls(
            name=name,
            type=ptype,
            description=data.get("description"),
            default=data.get("default"),
            constraints=tuple(constraints),
            hidden=bool(data.get("hidden", False)),
            label=data.get("label"),
            immutable=bool(data.get("immutable", False)),
            tags=tuple(tags) if tags else None,
        )

    @classmethod
    def from_cfn_dict(cls, name: str, data: Any) -> ParameterSchema:
        """Build from a CFN `Parameters` entry (Type, Default, NoEcho, MinLength, ...)."""
        _check_dict(data, _CFN_KEYS, f"parameter ({name})")
        if "Type" not in data:
            raise InvalidSchemaError(f"Missing parameter type for parameter: {name}")
        desc = data.get("ConstraintDescription")
        constraints: list[c.Constraint] = []
        if "MinValue" in data or "MaxValue" in data:
            constraints.append(c.Range(desc, _num(data, "MinValue"), _num(data, "MaxValue")))
        if "MinLength" in data or "MaxLength" in data:
            constraints.append(c.Length(desc, _num(data, "MinLength"), _num(data, "MaxLength")))
        if "AllowedValues" in data:
            constraints.append(c.allowed_values(data["AllowedValues"], desc))
        if "AllowedPattern" in data:
            constraints.append(c.AllowedPattern(desc, data["AllowedPattern"]))
        ptype = _CFN_TYPES.get(data["Type"])
        if ptype is None:
            raise InvalidSchemaError(f"Invalid type ({data['Type']})")
        return cls(
            name=name,
            type=ptype,
            description=data.get("Description"),
            default=data.get("Default"),
            constraints=tuple(constraints),
            hidden=str(data.get("NoEcho", "false")).lower() == "true",
            label=data.get("Label"),
        )

    @property
    def kind(self) -> str:
        return _KIND[self.type]

    def check_schema(self) -> None:
        """Constraints fit the type and the default meets them (else InvalidSchemaError)."""
        for constraint in self.constraints:
            if self.kind not in constraint.valid_kinds:
                raise InvalidSchemaError(
                    f"{type(constraint).__name__} constraint invalid for {self.type}"
                )
        if self.default is None:
            return
        default = self.default
        if self.type == "comma_delimited_list":
            if isinstance(default, list):
                default = [str(x) for x in default]
            elif isinstance(default, str):
                default = default.split(",")
            else:
                raise InvalidSchemaError(
                    "Default must be a comma-delimited list string: "
                    f"'{type(default).__name__}' object has no attribute 'split'"
                )
        try:
            c.check_constraints(self.constraints, default, self.kind, self.type, skip_custom=True)
        except (ValueError, TypeError) as exc:
            raise InvalidSchemaError(f"Invalid default {self.default} ({exc})") from None


_CFN_KEYS = (
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
_CFN_TYPES = {
    "String": "string",
    "Number": "number",
    "CommaDelimitedList": "comma_delimited_list",
    "Json": "json",
    "Boolean": "boolean",
}
CFN_PSEUDO_PARAMETERS = ("AWS::StackId", "AWS::StackName", "AWS::Region")
_AWS_REGIONS = (
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "sa-east-1",
    "eu-west-1",
    "ap-southeast-1",
    "ap-northeast-1",
)

_KEYS_ALL = (
    "type",
    "description",
    "default",
    "schema",
    "constraints",
    "hidden",
    "label",
    "immutable",
    "tags",
)


def _parse_list(value: Any) -> list[str] | None:
    if isinstance(value, list):
        return [str(x) for x in value]
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(
            "Value must be a comma-delimited list string: "
            f"'{type(value).__name__}' object has no attribute 'split'"
        )
    return [] if value == "" else value.split(",")


def _parse_json(value: Any) -> Any:
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        if text:
            return json.loads(text)
    except (ValueError, TypeError) as err:
        raise ValueError(f"Value must be valid JSON: {err}") from None
    return value


@dataclass
class Parameter:
    """A parameter of one stack: its schema, the user's value and an environment default."""

    schema: ParameterSchema
    user_value: Any = None
    user_default: Any = None

    @property
    def name(self) -> str:
        return self.schema.name

    def has_default(self) -> bool:
        return self.schema.default is not None or self.user_default is not None

    def default(self) -> Any:
        return self.user_default if self.user_default is not None else self.schema.default

    def has_value(self) -> bool:
        return self.user_value is not None or self.has_default()

    def _raw(self) -> Any:
        if self.user_value is not None:
            return self.user_value
        if self.has_default():
            return self.default()
        raise UserParameterMissing(self.name)

    def validate(self, check_value: bool = True) -> None:
        """Heat's Parameter.validate: schema, then the user value or the default."""
        try:
            self.schema.check_schema()
        except InvalidSchemaError as exc:
            raise InvalidSchemaError(f"Parameter '{self.name}' is invalid: {exc}") from None
        if not check_value:
            return
        raw = self._raw()
        try:
            self._check(raw)
        except (ValueError, TypeError) as exc:
            raise StackValidationFailed(f"Parameter '{self.name}' is invalid: {exc}") from None

    def _check(self, raw: Any) -> None:
        ptype, kind = self.schema.type, self.schema.kind
        value = raw
        if ptype == "number":
            c.str_to_num(raw)
        elif ptype == "boolean":
            c.bool_from_string(raw)
        elif ptype == "string":
            # Values from a JSON body may be numbers; Heat stores them as text.
            value = raw if isinstance(raw, str) else str(raw)
        elif ptype == "comma_delimited_list":
            value = _parse_list(raw)
        else:
            value = _parse_json(raw)
        c.check_constraints(self.schema.constraints, value, kind, ptype)

    def value(self) -> Any:
        """The value functions see: typed (number, bool, list, parsed JSON)."""
        raw = self._raw()
        ptype = self.schema.type
        if ptype == "number":
            return c.str_to_num(raw)
        if ptype == "boolean":
            return c.bool_from_string(str(raw))
        if ptype == "comma_delimited_list":
            return _parse_list(raw)
        if ptype == "json":
            return _parse_json(raw)
        return str(raw)

    def display(self) -> str:
        """The stack-show form: always a string, "******" when hidden."""
        value = self.value()
        if self.schema.hidden:
            return "******"
        if self.schema.type == "comma_delimited_list":
            return ",".join(value)
        if self.schema.type == "json":
            return json.dumps(value)
        return str(value)

    def validate_api_body(self) -> dict[str, Any]:
        """This parameter in the POST /validate body (heat.engine.api.format_validate_parameter)."""
        schema = self.schema
        out: dict[str, Any] = {
            "Type": API_TYPE_NAMES[schema.type],
            "Description": schema.description or "",
            "NoEcho": "true" if schema.hidden else "false",
            "Label": schema.label or self.name,
        }
        if self.has_default():
            out["Default"] = self.default()
        if self.user_value:
            out["Value"] = self.user_value
        if schema.tags:
            out["Tags"] = list(schema.tags)
        descriptions = []
        for constraint in schema.constraints:
            if isinstance(constraint, c.Length):
                _put(out, "MinLength", constraint.min)
                _put(out, "MaxLength", constraint.max)
            elif isinstance(constraint, c.Range):
                _put(out, "MinValue", constraint.min)
                _put(out, "MaxValue", constraint.max)
            elif isinstance(constraint, c.Modulo):
                _put(out, "Step", constraint.step)
                _put(out, "Offset", constraint.offset)
            elif isinstance(constraint, c.AllowedValues):
                out["AllowedValues"] = list(constraint.allowed)
            elif isinstance(constraint, c.AllowedPattern):
                out["AllowedPattern"] = constraint.pattern
            elif isinstance(constraint, c.CustomConstraint):
                out["CustomConstraint"] = constraint.constraint_name
            if constraint.description:
                descriptions.append(constraint.description)
        if descriptions:
            out["ConstraintDescription"] = " ".join(descriptions)
        return out


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


@dataclass
class StackIdentity:
    """What the pseudo parameters report; empty at validation time."""

    stack_id: str = ""
    stack_name: str = ""
    project_id: str = ""

    def arn(self) -> str:
        """The stack's identifier as upstream's HeatIdentifier.arn() writes it (AWS::StackId)."""
        return (
            f"arn:openstack:heat::{quote(self.project_id, '')}:"
            f"stacks/{quote(self.stack_name, '')}/{quote(self.stack_id, '')}"
        )


@dataclass
class Parameters(Mapping[str, Any]):
    """A stack's parameters (pseudo ones first), mapping names to typed values."""

    schemas: Mapping[str, ParameterSchema]
    user_params: Mapping[str, Any] = field(default_factory=dict)
    param_defaults: Mapping[str, Any] = field(default_factory=dict)
    identity: StackIdentity = field(default_factory=StackIdentity)
    cfn: bool = False
    params: dict[str, Parameter] = field(init=False)

    def __post_init__(self) -> None:
        params: dict[str, Parameter] = {}
        for pseudo in self._pseudo():
            params[pseudo.name] = pseudo
        for name, schema in self.schemas.items():
            params[name] = Parameter(schema, self.user_params.get(name))
        for name, default in self.param_defaults.items():
            if name in params:
                params[name].user_default = default
        self.params = params

    def _pseudo(self) -> Iterator[Parameter]:
        ident = self.identity
        if self.cfn:
            yield from self._cfn_pseudo()
            return
        yield Parameter(ParameterSchema("OS::stack_id", "string", "Stack ID", ident.stack_id))
        yield Parameter(ParameterSchema("OS::project_id", "string", "Project ID", ident.project_id))
        if ident.stack_name:
            yield Parameter(
                ParameterSchema("OS::stack_name", "string", "Stack Name", ident.stack_name)
            )

    def _cfn_pseudo(self) -> Iterator[Parameter]:
        ident = self.identity
        arn = ident.arn() if ident.stack_id else "None"
        yield Parameter(ParameterSchema("AWS::StackId", "string", "Stack ID", arn))
        if ident.stack_name:
            yield Parameter(
                ParameterSchema("AWS::StackName", "string", "Stack Name", ident.stack_name)
            )
            yield Parameter(
                ParameterSchema(
                    "AWS::Region",
                    "string",
                    None,
                    "ap-southeast-1",
                    (c.AllowedValues(None, _AWS_REGIONS),),
                )
            )

    def validate(self, check_values: bool = True) -> None:
        """Unknown user parameters first, then each parameter in order, as Heat does."""
        for name in self.user_params:
            if name not in self.schemas:
                raise UnknownUserParameter(name)
        for param in self.params.values():
            param.validate(check_values)

    def __getitem__(self, key: str) -> Any:
        return self.params[key].value()

    def __iter__(self) -> Iterator[str]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def known_values(self) -> dict[str, Any]:
        """Typed values; a parameter without any value is left out (get_param then fails)."""
        return {n: p.value() for n, p in self.params.items() if p.has_value()}

    def immutable_modified(self, new: Parameters) -> list[str]:
        """Parameters of both stacks whose new schema says `immutable` and whose value
        changes (upstream's immutable_params_modified; values are compared typed, so "5"
        and 5 for a number are the same)."""
        changed = []
        for name, param in new.params.items():
            old = self.params.get(name)
            if name in PSEUDO_PARAMETERS or name in CFN_PSEUDO_PARAMETERS or old is None:
                continue
            both = old.has_value() and param.has_value()
            if param.schema.immutable and both and old.value() != param.value():
                changed.append(name)
        return changed

    def display(self) -> dict[str, str]:
        """The `parameters` of GET /stacks/{name}/{id}: every value as a string."""
        return {name: param.display() for name, param in self.params.items()}

    def validate_api_body(self) -> dict[str, dict[str, Any]]:
        """The `Parameters` of the POST /validate body (pseudo parameters left out)."""
        return {
            name: param.validate_api_body()
            for name, param in self.params.items()
            if name not in PSEUDO_PARAMETERS and name not in CFN_PSEUDO_PARAMETERS
        }


def validate_parameter_groups(groups: Any, parameter_names: Iterable[str]) -> None:
    """Heat's ParameterGroups.validate: a list, each group's parameters a list of known names."""
    if not groups:
        return
    error = "Parameter Groups error"
    if not isinstance(groups, list):
        raise StackValidationFailed(
            "The parameter_groups should be a list.", error=error, path=["parameter_groups"]
        )
    names = set(parameter_names)
    grouped: list[Any] = []
    for group in groups:
        label = group.get("label", "") if isinstance(group, Mapping) else ""
        path = ["parameter_groups", label]
        params = group.get("parameters") if isinstance(group, Mapping) else None
        if params is None:
            raise StackValidationFailed(
                "The parameters must be provided for each parameter group.",
                error=error,
                path=path,
            )
        if not isinstance(params, list):
            raise StackValidationFailed(
                "The parameters of parameter group should be a list.", error=error, path=path
            )
        for param in params:
            if param in grouped:
                raise StackValidationFailed(
                    f"The {param} parameter must be assigned to one parameter group only.",
                    error=error,
                    path=path,
                )
            grouped.append(param)
            if param not in names:
                raise StackValidationFailed(
                    f"The grouped parameter {param} does not reference a valid parameter.",
                    error=error,
                    path=path,
                )
