"""The dependency graph: requirements from depends_on and functions, order, errors."""

from __future__ import annotations

from typing import Any

import pytest

from templates import (
    CircularDependencyException,
    DependencyGraph,
    InvalidTemplateReference,
    Template,
)


def graph(resources: dict[str, Any], version: str = "2018-08-31") -> DependencyGraph:
    tmpl = Template({"heat_template_version": version, "resources": resources})
    return DependencyGraph.from_resources(tmpl.resources)


def test_requirements_come_from_depends_on_get_resource_and_get_attr() -> None:
    g = graph(
        {
            "a": {"type": "T"},
            "b": {"type": "T", "depends_on": "a"},
            "c": {"type": "T", "properties": {"x": [{"get_resource": "b"}]}},
            "d": {"type": "T", "metadata": {"m": {"get_attr": ["c", "out"]}}, "depends_on": ["a"]},
        }
    )
    assert g.requires == {"a": (), "b": ("a",), "c": ("b",), "d": ("c", "a")}
    assert g.required_by == {"a": ("b", "d"), "b": ("c",), "c": ("d",), "d": ()}
    assert g.order == ("a", "b", "c", "d")
    assert g.reverse_order == ("d", "c", "b", "a")


def test_independent_resources_keep_template_order() -> None:
    g = graph({"z": {"type": "T"}, "y": {"type": "T", "depends_on": "x"}, "x": {"type": "T"}})
    assert g.order == ("z", "x", "y")


def test_a_bad_depends_on_names_the_resource_as_in_sample_04() -> None:
    with pytest.raises(InvalidTemplateReference) as err:
        graph({"r1": {"type": "T", "depends_on": "does_not_exist"}})
    assert err.value.message == 'The specified reference "does_not_exist" (in r1) is incorrect.'
    assert err.value.error_type == "InvalidTemplateReference"


def test_a_bad_function_reference_names_the_property_path() -> None:
    with pytest.raises(InvalidTemplateReference) as err:
        graph({"r1": {"type": "T", "properties": {"p": [1, {"get_attr": ["ghost", "a"]}]}}})
    assert err.value.message == (
        'The specified reference "ghost" (in r1.Properties.p[1]) is incorrect.'
    )


def test_function_references_are_reported_before_depends_on() -> None:
    with pytest.raises(InvalidTemplateReference, match='"ghost"'):
        graph(
            {
                "r": {
                    "type": "T",
                    "depends_on": "nope",
                    "properties": {"p": {"get_resource": "ghost"}},
                }
            }
        )


def test_a_cycle_is_reported_with_heats_exception() -> None:
    with pytest.raises(CircularDependencyException) as err:
        graph(
            {
                "ok": {"type": "T"},
                "a": {"type": "T", "depends_on": "b"},
                "b": {"type": "T", "properties": {"x": {"get_resource": "a"}}},
            }
        )
    assert err.value.error_type == "CircularDependencyException"
    assert err.value.message == "Circular Dependency Found: {a: {b}, b: {a}}"


def test_a_resource_depending_on_itself_is_a_cycle() -> None:
    with pytest.raises(CircularDependencyException):
        graph({"a": {"type": "T", "depends_on": "a"}})
