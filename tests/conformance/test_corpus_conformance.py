"""Every corpus template through POST /validate, compared with upstream Heat's recorded answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.compare import comparable, our_answer, permissive_answer

HERE = Path(__file__).parent
RECORDED: dict[str, Any] = json.loads((HERE / "upstream_answers.json").read_text())
ANSWERS: dict[str, Any] = RECORDED["answers"]
KNOWN: dict[str, Any] = json.loads((HERE / "known_differences.json").read_text())
SENDABLE = sorted(name for name, answer in ANSWERS.items() if "client_error" not in answer)


def test_the_recording_says_how_it_was_made() -> None:
    assert "noauth" in RECORDED["upstream"]
    assert len(ANSWERS) == 154


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
    if name in KNOWN:
        # Listed with its reason; the answer must still be exactly the one
        # recorded, so a change (a type implemented) is noticed here.
        assert ours == KNOWN[name]["ours"]
        if "the types are implemented here" in KNOWN[name]["reason"]:
            # Upstream, recorded without a catalog, could not judge it; we do.
            assert KNOWN[name]["cloud_dependent"]
        else:
            assert "not implemented here yet" in KNOWN[name]["reason"]
            assert ours["status"] == 400
    else:
        assert ours == upstream


@pytest.mark.parametrize("name", [n for n in SENDABLE if ANSWERS[n]["status"] == 200])
def test_templates_upstream_accepts_give_its_parameters_with_stand_in_types(name: str) -> None:
    # Types we lack stood in for by OS::Heat::None: description, parameters
    # and parameter groups must be upstream's exactly.
    assert comparable(permissive_answer(ANSWERS[name]["request"])) == comparable(ANSWERS[name])
