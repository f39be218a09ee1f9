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


@pytest.mark.parametrize(
    "environment_files", [[["a"]], "env.yaml", {"a": 1}, [1]], ids=["nested", "text", "map", "int"]
)
@pytest.mark.parametrize("path", ["/validate", "/stacks"])
def test_environment_files_that_are_not_a_list_of_names_are_a_bad_request(
    heat: HeatClient, path: str, environment_files: Any
) -> None:
    # Found by hypothesis over the validate body: a list inside the list was a 500 (TypeError:
    # unhashable type) from the environment merge.
    template = {"heat_template_version": "2018-08-31"}
    body = {"stack_name": "envfiles", "template": template, "environment_files": environment_files}
    response = heat.post(path, body)
    assert response.status_code == 400, response.text
    assert heat_error_problems(response.status_code, response.text) == []
    assert response.json()["error"]["message"] == "environment_files must be a list of file names."


@pytest.mark.parametrize("parameters", [["a"], True, "text", 3], ids=["list", "bool", "str", "int"])
@pytest.mark.parametrize("path", ["/validate", "/stacks"])
def test_a_parameters_section_that_is_not_a_map_is_a_bad_request(
    heat: HeatClient, path: str, parameters: Any
) -> None:
    # Found by hypothesis over the validate body: an AttributeError (a 500), upstream too.
    template = {"heat_template_version": "2018-08-31", "parameters": parameters}
    response = heat.post(path, {"stack_name": "params", "template": template})
    assert response.status_code == 400, response.text
    assert heat_error_problems(response.status_code, response.text) == []
    assert response.json()["error"]["message"] == (
        'The template section "parameters" must be a map of parameter names to their definitions.'
    )
