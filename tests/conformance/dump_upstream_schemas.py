"""Transcribe upstream Heat's declared schemas of the cloud resource types (run by hand).

The names, types, defaults, constraints, update_allowed flags and texts of the properties
and attributes of OS::Nova::*, OS::Neutron::*, ... are facts GET /resource_types/{type}
shows verbatim; typing thousands of lines of them by hand invites mistakes. This script
reads them from an upstream Heat 27.0.1 installation and writes them as our own
`templates.ResourceTypeSchema` declarations, one module per service family. Usage:

    /tmp/upstream-heat/venv/bin/python tests/conformance/dump_upstream_schemas.py
    .venv/bin/ruff check --fix activities/resources/*_schemas.py  # drops unused imports
    .venv/bin/ruff format activities/resources/*_schemas.py

Only data crosses over; the plugins that act on these types are ours.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parents[2] / "activities" / "resources"
# Upstream's API form of each type, which the conformance test compares ours with.
API_FORMS = Path(__file__).with_name("upstream_cloud_type_schemas.json")

FAMILIES: dict[str, list[str]] = {
    "neutron": [
        "OS::Neutron::Net",
        "OS::Neutron::Subnet",
        "OS::Neutron::Port",
        "OS::Neutron::Router",
        "OS::Neutron::RouterInterface",
        "OS::Neutron::RouterGateway",
        "OS::Neutron::FloatingIP",
        "OS::Neutron::FloatingIPAssociation",
        "OS::Neutron::SecurityGroup",
        "OS::Neutron::SecurityGroupRule",
        "OS::Neutron::ProviderNet",
    ],
    "nova": [
        "OS::Nova::Server",
        "OS::Nova::KeyPair",
        "OS::Nova::Flavor",
        "OS::Nova::ServerGroup",
        "OS::Nova::HostAggregate",
    ],
    "cinder": ["OS::Cinder::Volume", "OS::Cinder::VolumeAttachment", "OS::Cinder::VolumeType"],
    "glance": ["OS::Glance::WebImage"],
    "aws_twins": [
        "AWS::EC2::Instance",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::EIP",
        "AWS::EC2::EIPAssociation",
        "AWS::EC2::Volume",
        "AWS::EC2::VolumeAttachment",
    ],
}


def support(status: Any, default_empty: bool = True) -> str | None:
    """Our SupportStatus(...) for upstream's, or None when it is the plain default."""
    if status is None:
        return None
    if (
        default_empty
        and status.status == "SUPPORTED"
        and status.message is None
        and status.version is None
        and status.previous_status is None
    ):
        return None
    args = [f"status={status.status!r}"]
    if status.message is not None:
        args.append(f"message={str(status.message)!r}")
    if status.version is not None:
        args.append(f"version={status.version!r}")
    previous = support(status.previous_status, default_empty=False)
    if previous is not None:
        args.append(f"previous_status={previous}")
    return f"SupportStatus({', '.join(args)})"


def constraint(item: Any, kind: str) -> str:
    from heat.engine import constraints as uc

    description = None if item.description is None else str(item.description)
    if isinstance(item, uc.Range) and kind == "string":
        # Upstream declares a Range on a few strings (Server's deployment_swift_data), which
        # it never checks; our schemas reject that, so it becomes the Length it meant.
        return f"Length({description!r}, {item.min!r}, {item.max!r})"
    if isinstance(item, uc.Range):
        return f"Range({description!r}, {item.min!r}, {item.max!r})"
    if isinstance(item, uc.Length):
        return f"Length({description!r}, {item.min!r}, {item.max!r})"
    if isinstance(item, uc.Modulo):
        return f"Modulo({description!r}, {item.step!r}, {item.offset!r})"
    if isinstance(item, uc.AllowedValues):
        return f"AllowedValues({description!r}, {tuple(item.allowed)!r})"
    if isinstance(item, uc.AllowedPattern):
        return f"AllowedPattern({description!r}, {item.pattern!r})"
    if isinstance(item, uc.CustomConstraint):
        return f"CustomConstraint({description!r}, {item.name!r})"
    raise TypeError(f"unknown constraint {item!r}")


def prop(schema: Any) -> str:
    args = [repr(schema.type.lower())]
    if schema.description is not None:
        args.append(f"description={str(schema.description)!r}")
    if schema.default is not None:
        args.append(f"default={schema.default!r}")
    if schema.required:
        args.append("required=True")
    if schema.constraints:
        kind = schema.type.lower()
        items = "".join(constraint(item, kind) + ", " for item in schema.constraints)
        args.append(f"constraints=({items})")
    if schema.update_allowed:
        args.append("update_allowed=True")
    if schema.immutable:
        args.append("immutable=True")
    if schema.schema is not None:
        from heat.engine.constraints import AnyIndexDict

        if isinstance(schema.schema, AnyIndexDict):
            args.append(f"schema={prop(schema.schema.value)}")
        elif isinstance(schema.schema, dict):
            inner = ", ".join(f"{k!r}: {prop(v)}" for k, v in schema.schema.items())
            args.append(f"schema={{{inner}}}")
        else:
            args.append(f"schema={prop(schema.schema)}")
    status = support(schema.support_status)
    if status is not None:
        args.append(f"support_status={status}")
    if not schema.implemented:
        args.append("implemented=False")
    return f"PropertySchema({', '.join(args)})"


def attribute(schema: Any) -> str:
    args = [repr(None if schema.description is None else str(schema.description))]
    if schema.type is not None:
        args.append(f"type={schema.type.lower()!r}")
    status = support(schema.support_status)
    if status is not None:
        args.append(f"support_status={status}")
    return f"AttributeSchema({', '.join(args)})"


def type_schema(cls: Any) -> str:
    from heat.engine import attributes as ua
    from heat.engine import properties as up

    props = ", ".join(
        f"{name!r}: {prop(up.Schema.from_legacy(value))}"
        for name, value in cls.properties_schema.items()
    )
    attrs = ", ".join(
        f"{name!r}: {attribute(ua.Schema.from_attribute(value))}"
        for name, value in cls.attributes_schema.items()
    )
    args = [
        f"class_name={cls.__name__!r}",
        f"description={cls.getdoc()!r}",
        f"properties={{{props}}}",
        f"attributes={{{attrs}}}",
    ]
    status = support(cls.support_status)
    if status is not None:
        args.append(f"support_status={status}")
    return f"ResourceTypeSchema({', '.join(args)})"


def main() -> None:
    from heat.engine import resources

    resources.initialise()
    env = resources.global_env()
    for family, type_names in FAMILIES.items():
        body = ",\n".join(
            f"    {name!r}: {type_schema(env.get_class(name))}" for name in type_names
        )
        text = (
            f'"""Upstream Heat 27.0.1\'s declared schemas of the {family} resource types."""\n'
            "\n"
            "# ruff: noqa: E501\n"
            "# Written by tests/conformance/dump_upstream_schemas.py: texts, defaults and order\n"
            "# are upstream's, because GET /resource_types/{type} shows them verbatim.\n"
            "\n"
            "from templates import (\n"
            "    AllowedPattern,\n"
            "    AllowedValues,\n"
            "    AttributeSchema,\n"
            "    CustomConstraint,\n"
            "    Length,\n"
            "    Modulo,\n"
            "    PropertySchema,\n"
            "    Range,\n"
            "    ResourceTypeSchema,\n"
            "    SupportStatus,\n"
            ")\n"
            "\n"
            f"SCHEMAS: dict[str, ResourceTypeSchema] = {{\n{body},\n}}\n"
        )
        path = OUT_DIR / f"{family}_schemas.py"
        path.write_text(text)
        print(f"wrote {path}", file=sys.stderr)
    answers = {
        name: api_form(name, env.get_class(name)) for names in FAMILIES.values() for name in names
    }
    API_FORMS.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
    print(f"wrote {API_FORMS}", file=sys.stderr)


def api_form(type_name: str, cls: Any) -> dict[str, Any]:
    """What upstream's GET /resource_types/{type} answers (EngineService.resource_schema)."""
    from heat.engine import attributes as ua
    from heat.engine import properties as up

    properties = {}
    for name, value in cls.properties_schema.items():
        schema = up.Schema.from_legacy(value)
        if schema.implemented and schema.support_status.status != "HIDDEN":
            properties[name] = dict(schema)
    attributes = {}
    for name, value in {**cls.attributes_schema, **cls.base_attributes_schema}.items():
        attribute = ua.Schema.from_attribute(value)
        if attribute.support_status.status != "HIDDEN":
            attributes[name] = dict(attribute)
    return json.loads(
        json.dumps(
            {
                "resource_type": type_name,
                "properties": properties,
                "attributes": attributes,
                "support_status": cls.support_status.to_dict(),
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()
