"""Property and attribute schemas: API rendering and property validation messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from activities.resources.heat_types import (
    NONE_SCHEMA,
    RANDOM_STRING_SCHEMA,
    TEST_RESOURCE_SCHEMA,
    VALUE_SCHEMA,
)
from templates import (
    UNKNOWN,
    InvalidSchemaError,
    PropertySchema,
    Range,
    StackValidationFailed,
    validate_properties,
)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "upstream-samples"


def sample(name: str) -> dict[str, Any]:
    return json.loads(next(SAMPLES.glob(f"{name}_*.json")).read_text())


def test_random_string_type_renders_exactly_as_upstream_sample_33() -> None:
    recorded = sample("33")["response"]
    body = RANDOM_STRING_SCHEMA.to_api("OS::Heat::RandomString")
    assert body == recorded["body_json"]
    # Same keys in the same order, byte for byte.
    assert json.dumps(body) == recorded["body_raw"]


def test_every_type_lists_the_implicit_show_attribute() -> None:
    for schema in (NONE_SCHEMA, VALUE_SCHEMA, RANDOM_STRING_SCHEMA, TEST_RESOURCE_SCHEMA):
        assert schema.to_api("T")["attributes"]["show"] == {
            "description": "Detailed information about resource.",
            "type": "map",
        }


def test_attributes_without_a_type_render_only_their_description() -> None:
    assert TEST_RESOURCE_SCHEMA.to_api("T")["attributes"]["output"] == {
        "description": "The string that was stored. This value is also available by "
        "referencing the resource."
    }


def test_custom_constraints_and_any_type_render_as_heat_does() -> None:
    props = TEST_RESOURCE_SCHEMA.to_api("T")["properties"]
    assert props["constraint_prop_secs"]["constraints"] == [{"custom_constraint": "test_constr"}]
    assert VALUE_SCHEMA.to_api("T")["properties"]["value"]["type"] == "any"


def test_hidden_properties_are_not_listed_but_still_accepted() -> None:
    assert "sequence" not in RANDOM_STRING_SCHEMA.to_api("T")["properties"]
    values = validate_properties(RANDOM_STRING_SCHEMA.properties, {"sequence": "digits"}, "r")
    assert values["sequence"] == "digits"


def test_defaults_are_applied_and_values_coerced() -> None:
    values = validate_properties(RANDOM_STRING_SCHEMA.properties, {"length": "10"}, "r")
    assert values["length"] == 10
    assert values["character_classes"] == [{"class": "lettersdigits", "min": 1}]
    assert values["salt"] is None


def test_unknown_property_uses_heats_message() -> None:
    with pytest.raises(StackValidationFailed) as err:
        validate_properties(RANDOM_STRING_SCHEMA.properties, {"lenght": 10}, "r2")
    assert err.value.message == "Property error: resources.r2.properties: Unknown Property lenght"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"length": 0}, "resources.r.properties.length: 0 is out of range (min: 1, max: 512)"),
        ({"length": "x"}, "resources.r.properties.length: Value 'x' is not an integer"),
        (
            {"character_classes": [{"class": "nope"}]},
            "resources.r.properties.character_classes[0].class: "
            '"nope" is not an allowed value ["lettersdigits", "letters", "lowercase", '
            '"uppercase", "digits", "hexdigits", "octdigits"]',
        ),
        (
            {"character_sequences": [{"min": 2}]},
            "resources.r.properties.character_sequences[0]: Property sequence not assigned",
        ),
        (
            {"character_classes": "abc"},
            "resources.r.properties.character_classes: \"'abc'\" is not a list",
        ),
        ({"salt": [1]}, "resources.r.properties.salt: Value must be a string; got [1]"),
    ],
)
def test_bad_values_report_the_path_and_heats_message(values: dict[str, Any], message: str) -> None:
    with pytest.raises(StackValidationFailed) as err:
        validate_properties(RANDOM_STRING_SCHEMA.properties, values, "r")
    assert err.value.message == f"Property error: {message}"


def test_a_missing_required_property_is_reported_at_the_properties_level() -> None:
    with pytest.raises(StackValidationFailed) as err:
        validate_properties(VALUE_SCHEMA.properties, {}, "v")
    assert err.value.message == (
        "Property error: resources.v.properties: Property value not assigned"
    )


def test_values_not_known_yet_skip_coercion_and_constraints() -> None:
    values = validate_properties(RANDOM_STRING_SCHEMA.properties, {"length": UNKNOWN}, "r")
    assert values["length"] is UNKNOWN


def test_booleans_accept_only_true_and_false_strings() -> None:
    assert validate_properties(TEST_RESOURCE_SCHEMA.properties, {"fail": "True"}, "t")["fail"]
    with pytest.raises(StackValidationFailed, match='"yes" is not a valid boolean'):
        validate_properties(TEST_RESOURCE_SCHEMA.properties, {"fail": "yes"}, "t")


def test_without_value_checks_only_names_are_validated() -> None:
    values = validate_properties(
        RANDOM_STRING_SCHEMA.properties, {"length": "x"}, "r", check_values=False
    )
    assert values["length"] == "x"


def test_a_schema_refuses_a_constraint_that_does_not_fit_its_type() -> None:
    with pytest.raises(InvalidSchemaError, match="Range constraint invalid for String"):
        PropertySchema("string", constraints=(Range(None, 1, 2),))
