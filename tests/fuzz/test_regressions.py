"""Defects the fuzzers found, each pinned by the request that showed it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import HeatClient
from tests.fuzz.checks import heat_error_problems


@pytest.mark.parametrize("template", [[1, 2], 7, True, 1.5], ids=["list", "int", "bool", "float"])
@pytest.mark.parametrize("path", ["/validate", "/stacks", "/stacks/preview"])
def test_a_template_that_is_neither_text_nor_an_object_is_a_bad_request(
    heat: HeatClient, path: str, template: Any
) -> None:
    # Found by schemathesis (negative mode) on POST /validate: it was a 500 (TypeError).
    response = heat.post(path, {"stack_name": "fuzzed", "template": template})
    assert response.status_code == 400, response.text
    assert heat_error_problems(response.status_code, response.text) == []
    assert response.json()["error"]["message"] == (
        "The template is not a JSON object or YAML mapping."
    )
    assert heat.get("/stacks?name=fuzzed").json()["stacks"] == []
