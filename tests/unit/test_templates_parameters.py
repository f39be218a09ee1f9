"""Parameters: types, coercion, constraints, environment values and display forms."""

from __future__ import annotations

from typing import Any

import pytest

from templates import (
    InvalidSchemaError,
    Parameters,
    ParameterSchema,
    StackIdentity,
    StackValidationFailed,
    Template,
    UnknownUserParameter,
    UserParameterMissing,
)


def params(
    section: dict[str, Any],
    user: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
    identity: StackIdentity | None = None,
) -> Parameters:
    tmpl = Template({"heat_template_version": "2018-08-31", "parameters": section})
    return Parameters(
        tmpl.parameter_schemas, user or {}, defaults or {}, identity or StackIdentity()
    )


def test_values_are_coerced_to_their_types() -> None:
    p = params(
        {
            "n": {"type": "number"},
            "f": {"type": "number"},
            "b": {"type": "boolean"},
            "l": {"type": "comma_delimited_list"},
            "j": {"type": "json"},
            "s": {"type": "string"},
        },
        {"n": "16", "f": "1.5", "b": "yes", "l": "a,b", "j": '{"k": [1]}', "s": 5},
    )
    p.validate()
    assert (p["n"], p["f"], p["b"], p["l"], p["j"], p["s"]) == (
        16,
        1.5,
        True,
        ["a", "b"],
        {"k": [1]},
        "5",
    )


def test_a_required_parameter_without_value_is_heats_user_parameter_missing() -> None:
    p = params({"x": {"type": "string"}})
    with pytest.raises(UserParameterMissing) as err:
        p.validate()
    assert err.value.message == "The Parameter (x) was not provided."
    assert err.value.error_type == "UserParameterMissing"


def test_missing_values_are_not_checked_when_values_are_not_validated() -> None:
    params({"x": {"type": "string"}}).validate(check_values=False)


def test_a_value_for_an_undeclared_parameter_is_rejected() -> None:
    with pytest.raises(UnknownUserParameter) as err:
        params({}, {"ghost": 1}).validate()
    assert err.value.message == "The Parameter (ghost) was not defined in template."


def test_parameter_defaults_from_the_environment_replace_the_template_default() -> None:
    p = params({"x": {"type": "number", "default": 1}}, defaults={"x": 7})
    p.validate()
    assert p["x"] == 7


def test_range_violation_uses_heats_message() -> None:
    section = {"length": {"type": "number", "constraints": [{"range": {"min": 1, "max": 512}}]}}
    with pytest.raises(StackValidationFailed) as err:
        params(section, {"length": "600"}).validate()
    assert err.value.message == (
        "Parameter 'length' is invalid: 600 is out of range (min: 1, max: 512)"
    )


def test_a_constraint_description_replaces_the_message() -> None:
    section = {
        "name": {
            "type": "string",
            "constraints": [{"length": {"min": 3}, "description": "at least three"}],
        }
    }
    with pytest.raises(StackValidationFailed) as err:
        params(section, {"name": "ab"}).validate()
    assert err.value.message == "Parameter 'name' is invalid: at least three"


@pytest.mark.parametrize(
    ("constraint", "value", "message"),
    [
        ({"length": {"max": 2}}, "abc", "length (3) is out of range (min: None, max: 2)"),
        ({"allowed_values": ["a", "b"]}, "c", '"c" is not an allowed value ["a", "b"]'),
        ({"allowed_pattern": "[a-z]+"}, "ab1", '"ab1" does not match pattern "[a-z]+"'),
    ],
)
def test_string_constraints_report_heats_messages(
    constraint: dict[str, Any], value: str, message: str
) -> None:
    section = {"x": {"type": "string", "constraints": [constraint]}}
    with pytest.raises(StackValidationFailed) as err:
        params(section, {"x": value}).validate()
    assert err.value.message == f"Parameter 'x' is invalid: {message}"


def test_a_number_that_is_not_a_number_is_reported_with_pythons_text() -> None:
    with pytest.raises(StackValidationFailed) as err:
        params({"n": {"type": "number"}}, {"n": "abc"}).validate()
    assert err.value.message == (
        "Parameter 'n' is invalid: could not convert string to float: 'abc'"
    )


def test_a_bad_boolean_lists_the_accepted_strings() -> None:
    with pytest.raises(StackValidationFailed) as err:
        params({"b": {"type": "boolean"}}, {"b": "maybe"}).validate()
    assert err.value.message == (
        "Parameter 'b' is invalid: Unrecognized value 'maybe', acceptable values are: "
        "'0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"
    )


def test_an_invalid_default_is_a_schema_error() -> None:
    section = {"n": {"type": "number", "default": 5, "constraints": [{"range": {"min": 6}}]}}
    with pytest.raises(InvalidSchemaError) as err:
        params(section, {"n": 7}).validate()
    assert err.value.message == (
        "Parameter 'n' is invalid: Invalid default 5 (5 is out of range (min: 6, max: None))"
    )


def test_a_constraint_that_does_not_fit_the_type_is_a_schema_error() -> None:
    section = {"n": {"type": "number", "constraints": [{"allowed_pattern": "x"}]}}
    with pytest.raises(InvalidSchemaError) as err:
        params(section, {"n": 1}).validate()
    assert err.value.message == (
        "Parameter 'n' is invalid: AllowedPattern constraint invalid for number"
    )


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({"type": "strin"}, "Invalid type (strin)"),
        ({"default": 1}, "Missing parameter type for parameter: p"),
        ({"type": "string", "nope": 1}, "Invalid key 'nope' for parameter (p)"),
        (
            {"type": "string", "constraints": {}},
            "Invalid parameter constraints for parameter p, expected a list",
        ),
        ({"type": "string", "constraints": [{"description": "d"}]}, "No constraint expressed"),
    ],
)
def test_bad_parameter_definitions_are_schema_errors(
    definition: dict[str, Any], message: str
) -> None:
    tmpl = Template({"heat_template_version": "2018-08-31", "parameters": {"p": definition}})
    with pytest.raises(InvalidSchemaError) as err:
        tmpl.parameter_schemas  # noqa: B018
    assert err.value.message == message


def test_display_form_is_all_strings_with_pseudo_parameters_first_and_hidden_masked() -> None:
    p = params(
        {
            "length": {"type": "number", "default": 12},
            "secret": {"type": "string", "hidden": True, "default": "pw"},
            "l": {"type": "comma_delimited_list", "default": ["a", "b"]},
            "j": {"type": "json", "default": {"a": 1}},
        },
        {"length": 16},
        identity=StackIdentity("3bbd05ba", "sample1", "admin"),
    )
    assert p.display() == {
        "OS::stack_id": "3bbd05ba",
        "OS::project_id": "admin",
        "OS::stack_name": "sample1",
        "length": "16",
        "secret": "******",
        "l": "a,b",
        "j": '{"a": 1}',
    }


def test_pseudo_parameters_are_readable_by_functions() -> None:
    p = params({}, identity=StackIdentity("sid", "name", "proj"))
    assert (p["OS::stack_id"], p["OS::stack_name"], p["OS::project_id"]) == ("sid", "name", "proj")


def test_validate_api_body_renders_constraints_like_heat() -> None:
    schema = ParameterSchema.from_dict(
        "p",
        {
            "type": "string",
            "label": "The P",
            "constraints": [
                {"length": {"min": 1, "max": 8}, "description": "short"},
                {"allowed_pattern": "[a-z]*", "description": "lower"},
            ],
        },
    )
    p = Parameters({"p": schema}, {"p": "abc"})
    assert p.validate_api_body() == {
        "p": {
            "Type": "String",
            "Description": "",
            "NoEcho": "false",
            "Label": "The P",
            "Value": "abc",
            "MinLength": 1,
            "MaxLength": 8,
            "AllowedPattern": "[a-z]*",
            "ConstraintDescription": "short lower",
        }
    }
