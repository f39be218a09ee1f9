"""Write known_differences.json: each corpus answer where ours differs from upstream, and why.

Run after record_upstream.py, and again when a resource type gets implemented
(the conformance test fails until this file is regenerated and reviewed):

    .venv/bin/python -m tests.conformance.known_differences

Only these kinds of difference are accepted; anything else stops the script
as unexplained (fix it, or explain it here with a new kind):

- `type_not_implemented`: we refuse because a type upstream offers is not
  implemented here yet (and, with such types stood in for, we answer exactly
  as upstream: the conformance test checks that separately). When upstream
  itself refused the template because a service is missing from the
  minicloud's catalog, the difference is also cloud-dependent.
- `service_not_checked`: upstream refused because the service of a type is
  not in the minicloud's catalog; we implement the type but do not check its
  service at validation (cloud-dependent).
- `cycle_presentation`: both find the same circular dependency; upstream's
  message writes each resource as `<plugin class> "<name>"` in set order
  (by object id, not reproducible), ours writes the names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from activities.resources.registry import type_schema
from tests.conformance.compare import (
    comparable,
    cycle,
    missing_type,
    our_answer,
    unavailable_type,
)
from tests.conformance.record_upstream import template_types

HERE = Path(__file__).parent

# What must change here for a difference to go, by kind.
SERVICE_CHECK = (
    "POST /validate checking, as upstream, that each type's service is in the request "
    "token's catalog (and Neutron/Cinder extensions the type requires): "
    "ResourceTypeUnavailable, HEAT-E99001"
)


# Upstream's default global environment (etc/heat/environment.d/default.yaml)
# maps these names to another type or to a provider template it ships.
UPSTREAM_GLOBAL_ALIASES = {
    "OS::Ceilometer::Alarm": "OS::Aodh::Alarm",
    "OS::Metering::Alarm": "OS::Aodh::Alarm",
    "AWS::CloudWatch::Alarm": "the provider template AWS_CloudWatch_Alarm.yaml",
    "AWS::RDS::DBInstance": "the provider template AWS_RDS_DBInstance.yaml",
}


def implementing(type_name: str) -> str:
    alias = UPSTREAM_GLOBAL_ALIASES.get(type_name)
    if alias is None:
        return f"implementing {type_name}"
    return f"implementing {type_name} (upstream's global environment maps it to {alias})"


def upstream_said(upstream: dict[str, Any]) -> str:
    if upstream["status"] == 200:
        return "upstream accepts it"
    return f"upstream refuses it: {upstream['type']}: {upstream['message']}"


def lacking_types(request: dict[str, Any], known_upstream: dict[str, str]) -> list[str]:
    """Types of the template (and its files) that upstream registers and we do not implement."""
    return sorted(
        name
        for name in template_types(request)
        if known_upstream.get(name, "unknown") != "unknown" and type_schema(name) is None
    )


def classify(
    name: str, answer: dict[str, Any], known_upstream: dict[str, str]
) -> dict[str, Any] | None:
    """The known-difference entry for one template (None when we agree with upstream)."""
    upstream = comparable(answer)
    ours = comparable(our_answer(answer["request"]))
    if upstream == ours:
        return None
    lacking = missing_type(ours)
    missing_service = unavailable_type(upstream)
    entry: dict[str, Any] = {"cloud_dependent": answer["cloud_dependent"], "ours": ours}
    if lacking is not None and type_schema(lacking) is None and lacking in known_upstream:
        if known_upstream[lacking] == "unknown":
            raise SystemExit(f"{name}: we lack {lacking}, which upstream does not know either")
        types = lacking_types(answer["request"], known_upstream)
        entry["kind"] = "type_not_implemented"
        entry["reason"] = (
            f"we refuse first because resource type {lacking} is not implemented here yet "
            f"(upstream: {known_upstream[lacking]}); {upstream_said(upstream)}"
        )
        entry["removed_by"] = [implementing(t) for t in types]
        if missing_service is not None:
            entry["reason"] += (
                f" (cloud-dependent: the minicloud's catalog lacks {missing_service}'s service)"
            )
            entry["removed_by"].append(SERVICE_CHECK)
        return entry
    if missing_service is not None and type_schema(missing_service) is not None:
        entry["kind"] = "service_not_checked"
        entry["reason"] = (
            f"we implement {missing_service} but do not check that its service is in the "
            f"catalog; {upstream_said(upstream)} (cloud-dependent)"
        )
        entry["removed_by"] = [SERVICE_CHECK]
        return entry
    if cycle(upstream) is not None and cycle(upstream) == cycle(ours):
        entry["kind"] = "cycle_presentation"
        entry["reason"] = (
            "the same circular dependency; upstream writes each resource as "
            '`<plugin class> "<name>"` and lists required resources in set order (by '
            "object id, not reproducible), ours writes the names in template order"
        )
        entry["removed_by"] = []
        return entry
    raise SystemExit(f"{name}: unexplained difference\n  upstream {upstream}\n  ours {ours}")


def main() -> None:
    recorded = json.loads((HERE / "upstream_answers.json").read_text())
    known_upstream: dict[str, str] = recorded["resource_types"]
    differences = {}
    for name, answer in sorted(recorded["answers"].items()):
        if "client_error" in answer:
            continue
        entry = classify(name, answer, known_upstream)
        if entry is not None:
            differences[name] = entry
    (HERE / "known_differences.json").write_text(
        json.dumps(differences, indent=1, sort_keys=True) + "\n"
    )
    print(f"{len(differences)} known differences")


if __name__ == "__main__":
    main()
