"""Which public corpus templates can be created in the minicloud, why the others cannot, and
the parameters each gets from the minicloud (image, flavor, network, key)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from activities.resources.cloud_plugin import CloudPlugin
from activities.resources.registry import plugin_for
from tests.conftest import REPO

CORPUS = REPO.parent / "shared" / "corpus"
_VERSION_KEYS = ("heat_template_version", "AWSTemplateFormatVersion", "HeatTemplateFormatVersion")
# Types only the cloud admin may make: the corpus runs as the demo project's member (Nova and
# Cinder answer 403); tests/cloud/test_cloud_admin_types.py makes them as the admin.
ADMIN_ONLY = frozenset({"OS::Nova::Flavor", "OS::Nova::HostAggregate", "OS::Cinder::VolumeType"})
# Types that wait for a signal from software inside a server (cfn-signal, os-collect-config):
# the minicloud's fake hypervisor runs no guest, so nothing ever signals them.
IN_GUEST_SIGNALS = frozenset(
    {
        "AWS::CloudFormation::WaitCondition",
        "OS::Heat::WaitCondition",
        "OS::Heat::SoftwareDeployment",
        "OS::Heat::SoftwareDeployments",
        "OS::Heat::SoftwareDeploymentGroup",
        "OS::Heat::StructuredDeployment",
        "OS::Heat::StructuredDeployments",
        "OS::Heat::StructuredDeploymentGroup",
    }
)
SERVER_TYPES = frozenset({"OS::Nova::Server", "AWS::EC2::Instance"})
# A value of a parameter the minicloud can supply, by what the parameter is for.
IMAGE, FLAVOR = "fake-img", "m1.fake"
# Parameters that name something the template makes (a new network's name and addresses);
# the corpus leaves them to the user, so they are given here.
NEW_NETWORK_PARAMETERS = {
    "private_net_name": "{stack}-private",
    "private_net_cidr": "10.82.{n}.0/24",
    "private_net_gateway": "10.82.{n}.1",
    "private_net_pool_start": "10.82.{n}.10",
    "private_net_pool_end": "10.82.{n}.100",
}


@dataclass
class CloudValues:
    """What the minicloud offers to fill parameters with."""

    key_name: str
    private_network: str
    private_subnet: str
    external_network: str


@dataclass
class Candidate:
    """One corpus template: whether it can run here, why not, and how it is given."""

    path: Path
    reason: str = ""
    types: set[str] = field(default_factory=set)
    # Servers that name no network: Nova picks the project's only network, so these run
    # while no other template's networks exist ("Multiple possible networks found").
    needs_sole_network: bool = False
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path.relative_to(CORPUS))

    @property
    def qualifies(self) -> bool:
        return not self.reason


def load(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text()
        loaded = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError, UnicodeDecodeError):
        return None
    if isinstance(loaded, dict) and any(key in loaded for key in _VERSION_KEYS):
        return loaded
    return None


def _section(template: dict[str, Any], hot: str, cfn: str) -> dict[str, Any]:
    value = template.get(hot, template.get(cfn)) or {}
    return value if isinstance(value, dict) else {}


def _types(path: Path, template: dict[str, Any], seen: set[Path]) -> tuple[set[str], str]:
    """The resource types a template uses, through its provider templates and groups, and
    the first reason it cannot run (empty when it can)."""
    types: set[str] = set()
    for name, resource in _section(template, "resources", "Resources").items():
        if not isinstance(resource, dict):
            continue
        if "external_id" in resource:
            return types, f"{name} adopts an existing resource by external_id"
        kind = resource.get("type", resource.get("Type"))
        if kind in ("OS::Heat::ResourceGroup", "OS::Heat::AutoScalingGroup"):
            props = resource.get("properties") or {}
            inner = props.get("resource_def") or props.get("resource") or {}
            kind = inner.get("type") if isinstance(inner, dict) else None
            types.add(str(resource.get("type")))
        if not isinstance(kind, str):
            return types, f"{name}'s type is computed"
        if kind.endswith((".yaml", ".yml", ".template")):
            nested_path = (path.parent / kind).resolve()
            nested = load(nested_path) if nested_path.exists() else None
            if nested is None:
                return types, f"provider template {kind} is not in the corpus"
            if nested_path not in seen:
                inner_types, why = _types(nested_path, nested, seen | {nested_path})
                types |= inner_types
                if why:
                    return types, f"{kind}: {why}"
            continue
        types.add(kind)
    missing = sorted(kind for kind in types if plugin_for(kind) is None)
    if missing:
        return types, f"uses types not implemented: {', '.join(missing)}"
    admin = sorted(types & ADMIN_ONLY)
    if admin:
        return types, f"only the cloud admin may make {', '.join(admin)}"
    waits = sorted(types & IN_GUEST_SIGNALS)
    if waits:
        return types, f"waits for a signal from inside a server ({', '.join(waits)})"
    return types, ""


def _missing_files(path: Path, node: Any) -> str:
    """A get_file whose file the corpus does not hold (the CLI could not send it)."""
    if isinstance(node, dict):
        target = node.get("get_file")
        if isinstance(target, str) and "://" not in target and not (path.parent / target).exists():
            return f"get_file {target} is not in the corpus"
        for value in node.values():
            if why := _missing_files(path, value):
                return why
    elif isinstance(node, list):
        for value in node:
            if why := _missing_files(path, value):
                return why
    return ""


def _servers_without_network(template: dict[str, Any]) -> bool:
    for resource in _section(template, "resources", "Resources").values():
        if not isinstance(resource, dict):
            continue
        props = resource.get("properties", resource.get("Properties")) or {}
        kind = resource.get("type", resource.get("Type"))
        if kind == "OS::Nova::Server" and not props.get("networks"):
            return True
        if kind == "AWS::EC2::Instance" and not (
            props.get("SubnetId") or props.get("NetworkInterfaces")
        ):
            return True
    return False


def _kind_of(name: str, schema: dict[str, Any]) -> str:
    """What a parameter is for, from its custom constraint or its name."""
    constraints = schema.get("constraints") or []
    for constraint in constraints if isinstance(constraints, list) else []:
        if isinstance(constraint, dict) and "custom_constraint" in constraint:
            return str(constraint["custom_constraint"]).split(".")[-1]
    lower = name.lower()
    if re.search(r"(instance|server)_?id$", lower):
        return "server"
    if "image" in lower:
        return "image"
    if "flavor" in lower or "instancetype" in lower or "instance_type" in lower:
        return "flavor"
    if "key" in lower and "name" in lower:
        return "keypair"
    if "subnet" in lower:
        return "subnet"
    if re.search(r"(public|external|ext)_?net", lower):
        return "external"
    if re.search(r"net(work)?(_id|_name)?$", lower):
        return "network"
    return ""


def _allowed(schema: dict[str, Any]) -> list[Any] | None:
    if "AllowedValues" in schema:
        return list(schema["AllowedValues"])
    for constraint in schema.get("constraints") or []:
        if isinstance(constraint, dict) and "allowed_values" in constraint:
            return list(constraint["allowed_values"])
    return None


def fill_parameters(
    template: dict[str, Any], cloud: CloudValues, stack: str, n: int
) -> tuple[dict[str, str], str]:
    """The parameters to give (the minicloud's image, flavor, network, key; defaults kept
    for the rest), and why the template cannot be given them (empty when it can)."""
    given: dict[str, str] = {}
    for name, schema in _section(template, "parameters", "Parameters").items():
        schema = schema if isinstance(schema, dict) else {}
        has_default = "default" in schema or "Default" in schema
        kind = _kind_of(name, schema)
        value = {
            "image": IMAGE,
            "flavor": FLAVOR,
            "keypair": cloud.key_name,
            "network": cloud.private_network,
            "subnet": cloud.private_subnet,
            "external": cloud.external_network,
        }.get(kind)
        if name in NEW_NETWORK_PARAMETERS:
            value = NEW_NETWORK_PARAMETERS[name].format(stack=stack, n=n)
        allowed = _allowed(schema)
        if kind == "server" and not has_default:
            return given, f"parameter {name} names an existing server"
        if value is not None:
            if allowed is not None and value not in allowed:
                return given, (
                    f"parameter {name} allows only {allowed}, not the minicloud's {value}"
                )
            given[name] = value
        elif not has_default:
            if allowed:
                given[name] = str(allowed[0])
            elif str(schema.get("type", schema.get("Type"))).lower() == "number":
                given[name] = "1"
            elif str(schema.get("type", schema.get("Type"))).lower() == "json":
                given[name] = "{}"
            else:
                # Passwords and names: a value most allowed_patterns accept.
                given[name] = "Abc12345"
    return given, ""


def _fixed_images(template: dict[str, Any]) -> str:
    """A server whose image the template fixes (a literal or a Mappings lookup) instead of
    taking it from a parameter cannot boot here."""
    for name, resource in _section(template, "resources", "Resources").items():
        if not isinstance(resource, dict) or resource.get("type", resource.get("Type")) not in (
            SERVER_TYPES
        ):
            continue
        props = resource.get("properties", resource.get("Properties")) or {}
        image = props.get("image", props.get("ImageId"))
        if image is None or image == IMAGE:
            continue
        if isinstance(image, dict) and set(image) <= {"get_param", "Ref"}:
            continue
        return f"{name}'s image is fixed by the template ({json.dumps(image)[:60]})"
    return ""


def candidates(cloud: CloudValues) -> list[Candidate]:
    """Every corpus template that makes cloud resources, classified."""
    found = []
    for n, path in enumerate(sorted(CORPUS.rglob("*"))):
        if path.suffix not in (".yaml", ".yml", ".template", ".json") or "invalid" in path.parts:
            continue
        template = load(path)
        if template is None:
            continue
        types, reason = _types(path, template, {path.resolve()})
        if not any(isinstance(plugin_for(kind), CloudPlugin) for kind in types):
            continue  # no cloud resources: the conformance tests cover these
        candidate = Candidate(path=path, reason=reason, types=types)
        if not reason:
            candidate.reason = _missing_files(path, template) or _fixed_images(template)
        if not candidate.reason:
            stack = f"corpus{n:03d}"
            candidate.parameters, candidate.reason = fill_parameters(
                template, cloud, stack, n % 200
            )
        candidate.needs_sole_network = _servers_without_network(template)
        found.append(candidate)
    return found
