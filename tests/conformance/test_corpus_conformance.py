"""Every corpus template through POST /validate, compared with upstream Heat's recorded answer.

Upstream's answers were recorded with a real Keystone catalog (the
minicloud's): see record_upstream.py and start_upstream.sh.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from activities.resources.registry import type_schema
from tests.conformance.compare import (
    comparable,
    cycle,
    missing_type,
    our_answer,
    stand_in_answer,
    unavailable_type,
)

HERE = Path(__file__).parent
RECORDED: dict[str, Any] = json.loads((HERE / "upstream_answers.json").read_text())
ANSWERS: dict[str, Any] = RECORDED["answers"]
UPSTREAM_TYPES: dict[str, str] = RECORDED["resource_types"]
KNOWN: dict[str, Any] = json.loads((HERE / "known_differences.json").read_text())
SENDABLE = sorted(name for name, answer in ANSWERS.items() if "client_error" not in answer)
REGENERATE = (
    "our answer changed: run `python -m tests.conformance.known_differences` and review "
    "known_differences.json"
)


def test_the_recording_was_made_with_a_keystone_catalog() -> None:
    assert "keystone auth against the minicloud" in RECORDED["upstream"]
    assert len(ANSWERS) == 154
    # With the catalog, upstream accepts templates of Nova, Neutron, Cinder,
    # Glance and its own software-config types, which it refuses without one.
    accepted_only_with_the_cloud = [
        name for name in SENDABLE if ANSWERS[name]["status"] == 200 and "noauth" in ANSWERS[name]
    ]
    assert "heat-templates/hot/servers_in_new_neutron_net.yaml" in accepted_only_with_the_cloud
    assert UPSTREAM_TYPES["OS::Nova::Server"] == "available"
    assert UPSTREAM_TYPES["OS::Swift::Container"] == "unavailable"


@pytest.mark.parametrize("name", SENDABLE)
def test_the_recording_says_which_answers_depend_on_the_cloud(name: str) -> None:
    answer = ANSWERS[name]
    upstream = comparable(answer)
    differs_without_catalog = "noauth" in answer
    refused_for_a_service = unavailable_type(upstream) is not None
    called_the_cloud = "upstream called the cloud" in answer.get("cloud_dependence", "")
    dependent = differs_without_catalog or refused_for_a_service or called_the_cloud
    assert answer["cloud_dependent"] is dependent
    assert bool(answer.get("cloud_dependence")) is dependent
    if differs_without_catalog:
        assert answer["noauth"] != {"status": answer["status"], "body": answer["body"]}


def test_templates_the_cli_cannot_send_are_the_ones_missing_their_files() -> None:
    # The corpus keeps only templates; the scripts get_file names are not in
    # it, so the openstack CLI itself refuses these before any request.
    unsendable = [name for name, answer in ANSWERS.items() if "client_error" in answer]
    assert all("Could not fetch contents" in ANSWERS[n]["client_error"] for n in unsendable)
    assert len(unsendable) == 18


@pytest.mark.parametrize("name", SENDABLE)
def test_our_validate_answer_matches_upstream_or_a_listed_difference(name: str) -> None:
    upstream = comparable(ANSWERS[name])
    ours = comparable(our_answer(ANSWERS[name]["request"]))
    if name not in KNOWN:
        assert ours == upstream
        return
    known = KNOWN[name]
    # Listed with its reason; the answer must still be exactly the one
    # recorded, so a change (a type implemented) is noticed here.
    assert ours == known["ours"], REGENERATE
    assert ours != upstream, "listed as different but agrees now: " + REGENERATE
    assert known["cloud_dependent"] is ANSWERS[name]["cloud_dependent"]
    if known["kind"] == "type_not_implemented":
        lacking = missing_type(ours)
        assert lacking is not None
        # We really lack it, and upstream registers it: not a template error.
        assert type_schema(lacking) is None
        assert UPSTREAM_TYPES[lacking] in ("available", "hidden", "unavailable")
        assert any(lacking in step for step in known["removed_by"])
        if unavailable_type(upstream) is not None:
            # Upstream refused for a service missing from the minicloud's catalog.
            assert known["cloud_dependent"]
            assert any("catalog" in step for step in known["removed_by"])
    elif known["kind"] == "service_not_checked":
        service_type = unavailable_type(upstream)
        assert service_type is not None and type_schema(service_type) is not None
        assert known["cloud_dependent"]
    else:
        assert known["kind"] == "cycle_presentation"
        assert cycle(ours) is not None and cycle(ours) == cycle(upstream)


@pytest.mark.parametrize(
    "name", [n for n in SENDABLE if unavailable_type(comparable(ANSWERS[n])) is None]
)
def test_with_stand_ins_for_types_we_lack_we_answer_as_upstream(name: str) -> None:
    # Every type upstream registers and we do not implement yet stood in for
    # by OS::Heat::None: accepted or refused as upstream, with its
    # description, parameters and parameter groups, or its error (types
    # upstream does not know either are still refused, by the same name).
    # Only answers where upstream refused for a service the minicloud lacks
    # are left out: they name no template-language behaviour.
    known_upstream = {t for t, status in UPSTREAM_TYPES.items() if status != "unknown"}
    upstream = comparable(ANSWERS[name])
    ours = comparable(stand_in_answer(ANSWERS[name]["request"], known_upstream))
    if upstream.get("type") == "CircularDependencyException":
        # Upstream's cycle message lists resources in an order that is not
        # reproducible (see known_differences.py): the cycle must be the same.
        assert ours["type"] == upstream["type"]
        assert cycle(ours) == cycle(upstream)
        assert cycle(ours)
    else:
        assert ours == upstream
