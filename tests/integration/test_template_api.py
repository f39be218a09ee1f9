"""Template APIs: versions, functions, resource type filters and templates, as upstream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import HeatClient

# Recorded from upstream Heat 27.0.1 (noauth, a fresh process) by the same GETs.
RECORDED = json.loads(Path(__file__).with_name("template_api_upstream.json").read_text())
ANSWERS: dict[str, dict] = RECORDED["answers"]


@pytest.mark.parametrize("path", sorted(ANSWERS))
def test_template_api_answers_as_upstream(heat: HeatClient, path: str) -> None:
    response = heat.get(path)
    assert response.status_code == ANSWERS[path]["status"]
    assert response.json() == ANSWERS[path]["body"]


def test_validate_reads_environment_files_from_files(heat: HeatClient) -> None:
    body = {
        "template": (
            "heat_template_version: 2016-10-14\nparameters:\n  p: {type: string}\n"
            "resources:\n  r: {type: My::Thing}\n"
        ),
        "files": {
            "env.yaml": "parameters: {p: from-file}\nresource_registry: {My::Thing: OS::Heat::None}"
        },
        "environment_files": ["env.yaml"],
    }
    response = heat.post("/validate", body)
    assert response.status_code == 200, response.text
    # Upstream's answer to the same request, verbatim.
    assert response.json() == {
        "Description": "No description",
        "Parameters": {
            "p": {
                "Type": "String",
                "Description": "",
                "NoEcho": "false",
                "Label": "p",
                "Value": "from-file",
            }
        },
        "Environment": {
            "resource_registry": {"resources": {}, "My::Thing": "OS::Heat::None"},
            "parameters": {"p": "from-file"},
            "parameter_defaults": {},
            "event_sinks": [],
        },
    }
