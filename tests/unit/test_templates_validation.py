"""Whole-stack validation: upstream's first error, in upstream's order, and the validate body."""

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
    InvalidTemplateReference,
    ResourceTypeSchema,
    StackIdentity,
    StackValidationFailed,
    TemplateError,
    TemplateParseError,
    UserParameterMissing,
    api_error_type,
    validate_response,
    validate_stack,
)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "upstream-samples"
TYPES = {
    "OS::Heat::None": NONE_SCHEMA,
    "OS::Heat::Value": VALUE_SCHEMA,
    "OS::Heat::RandomString": RANDOM_STRING_SCHEMA,
    "OS::Heat::TestResource": TEST_RESOURCE_SCHEMA,
}


def lookup(name: str) -> ResourceTypeSchema | None:
    return TYPES.get(name)


def sample(name: str) -> dict[str, Any]:
    return json.loads(next(SAMPLES.glob(f"{name}_*.json")).read_text())


def first_error(template: str, strict: bool = True, **kw: Any) -> TemplateError:
    with pytest.raises(TemplateError) as err:
        validate_stack(template, kw.get("params"), kw.get("env"), lookup, strict=strict)
    return err.value


def test_validate_response_matches_sample_03_byte_for_byte() -> None:
    recorded = sample("03")
    template = recorded["request"]["body"]["template"]
    validated = validate_stack(template, None, None, lookup, strict=False)
    assert validated.graph.order == ("rand", "none", "val", "test")
    body = validate_response(template)
    assert body == recorded["response"]["body_json"]
    assert json.dumps(body) == recorded["response"]["body_raw"]


@pytest.mark.parametrize(("name", "strict"), [("04", False), ("10", True)])
def test_a_bad_reference_is_reported_before_a_bad_property_name(name: str, strict: bool) -> None:
    recorded = sample(name)
    error = first_error(recorded["request"]["body"]["template"], strict=strict)
    expected = recorded["response"]["body_json"]["error"]
    assert error.error_type == expected["type"] == "InvalidTemplateReference"
    assert error.message == expected["message"]


def test_an_unknown_resource_type_is_reported_as_in_sample_05() -> None:
    recorded = sample("05")
    error = first_error(recorded["request"]["body"]["template"], strict=False)
    assert isinstance(error, StackValidationFailed)  # the API shows it as HTTPBadRequest
    assert error.message == recorded["response"]["body_json"]["error"]["message"]


def test_bad_yaml_is_reported_as_in_sample_06() -> None:
    recorded = sample("06")
    error = first_error(recorded["request"]["body"]["template"])
    assert isinstance(error, TemplateParseError)
    assert error.error_type == recorded["response"]["body_json"]["error"]["type"]
    assert error.message == recorded["response"]["body_json"]["error"]["message"]


HEAD = "heat_template_version: 2018-08-31\n"


def test_an_unknown_attribute_in_get_attr_is_reported_with_its_path() -> None:
    template = HEAD + (
        "resources:\n"
        "  rand: {type: OS::Heat::RandomString}\n"
        "  val:\n"
        "    type: OS::Heat::Value\n"
        "    properties: {value: {get_attr: [rand, valu]}}\n"
    )
    error = first_error(template, strict=False)
    assert error.message == (
        "resources.val.properties.value.get_attr: "
        "The Referenced Attribute (rand valu) is incorrect."
    )


def test_get_attr_of_any_name_on_a_provider_resource_is_valid() -> None:
    """Upstream's TemplateResource has its own get_attribute, so GetAtt.validate does not check
    its schema: an output, OS::stack_id, resource.<inner>... or no output at all all pass."""
    nested = HEAD + "resources:\n  inner: {type: OS::Heat::None}\noutputs:\n  out: {value: x}\n"
    template = HEAD + (
        "resources:\n"
        "  prov: {type: nested.yaml}\n"
        "  val:\n"
        "    type: OS::Heat::Value\n"
        "    properties: {value: {get_attr: [prov, not_an_output]}}\n"
        "outputs:\n"
        "  out: {value: {get_attr: [prov, out]}}\n"
        "  missing: {value: {get_attr: [prov, nosuch, key]}}\n"
        "  stack_id: {value: {get_attr: [prov, OS::stack_id]}}\n"
        "  inner: {value: {get_attr: [prov, resource.inner.anything]}}\n"
    )
    files = {"nested.yaml": nested}
    for strict in (True, False):
        validate_stack(template, None, None, lookup, strict=strict, files=files)
    # A resource of a plugin type is still checked against its schema.
    plain = template.replace("type: nested.yaml", "type: OS::Heat::RandomString")
    with pytest.raises(TemplateError, match=r"The Referenced Attribute \(prov not_an_output\)"):
        validate_stack(plain, None, None, lookup, files=files)


def test_get_attr_of_the_show_attribute_is_valid() -> None:
    template = HEAD + (
        "resources:\n"
        "  rand: {type: OS::Heat::RandomString}\n"
        "outputs:\n"
        "  o: {value: {get_attr: [rand, show]}}\n"
    )
    validate_stack(template, None, None, lookup)


def test_an_output_referencing_an_unknown_resource_is_reported() -> None:
    template = HEAD + (
        "resources:\n"
        "  rand: {type: OS::Heat::RandomString}\n"
        "outputs:\n"
        "  o: {value: {get_attr: [ghost, value]}}\n"
    )
    error = first_error(template)
    assert error.message == (
        'outputs.o.value.get_attr: The specified reference "ghost" (in unknown) is incorrect.'
    )


def test_property_values_are_checked_only_when_strict() -> None:
    template = HEAD + (
        "parameters:\n"
        "  n: {type: number, default: 0}\n"
        "resources:\n"
        "  rand:\n"
        "    type: OS::Heat::RandomString\n"
        "    properties: {length: {get_param: n}}\n"
    )
    validate_stack(template, None, None, lookup, strict=False)
    error = first_error(template)
    assert error.message == (
        "Property error: resources.rand.properties.length: 0 is out of range (min: 1, max: 512)"
    )


def test_properties_from_resources_not_created_yet_are_unknown_and_skipped() -> None:
    template = HEAD + (
        "resources:\n"
        "  a: {type: OS::Heat::TestResource}\n"
        "  rand:\n"
        "    type: OS::Heat::RandomString\n"
        "    properties: {length: {get_attr: [a, output]}}\n"
    )
    validated = validate_stack(template, None, None, lookup)
    assert validated.properties["rand"]["length"] is UNKNOWN
    assert validated.properties["a"]["value"] == "test_string"


def test_parameters_are_checked_before_resources() -> None:
    template = HEAD + (
        "parameters:\n  p: {type: string}\nresources:\n  r: {type: OS::Nope::Nothing}\n"
    )
    error = first_error(template)
    assert isinstance(error, UserParameterMissing)
    # POST /validate does not need values, so it gets to the resource type.
    assert first_error(template, strict=False).message == (
        "The Resource Type (OS::Nope::Nothing) could not be found."
    )


def test_user_parameters_and_environment_feed_values() -> None:
    template = HEAD + "parameters:\n  a: {type: string}\n  b: {type: number}\n"
    validated = validate_stack(
        template,
        {"a": "from-request"},
        {"parameters": {"a": "from-env"}, "parameter_defaults": {"b": 3}},
        lookup,
        identity=StackIdentity("id", "name", "proj"),
    )
    assert validated.parameters["a"] == "from-request"
    assert validated.parameters["b"] == 3
    assert validated.parameters["OS::stack_name"] == "name"


def test_a_resource_named_like_a_parameter_is_a_duplicate() -> None:
    template = HEAD + (
        "parameters:\n  x: {type: string, default: a}\nresources:\n  x: {type: OS::Heat::None}\n"
    )
    assert first_error(template).message == "Duplicate names {'x'}"


def test_an_invalid_keyword_in_a_resource_is_reported() -> None:
    template = HEAD + "resources:\n  r: {type: OS::Heat::None, propertys: {}}\n"
    assert first_error(template).message == (
        '"propertys" is not a valid keyword inside a resource definition'
    )


def test_a_resource_without_type_is_reported() -> None:
    template = HEAD + "resources:\n  r: {properties: {}}\n"
    assert first_error(template).message == "Each resource must contain a type key."


def test_a_removed_function_raises_heats_version_error_with_its_path() -> None:
    template = HEAD + (
        "resources:\n"
        "  r:\n"
        "    type: OS::Heat::Value\n"
        "    properties: {value: {'Fn::Select': [0, [a]]}}\n"
    )
    assert first_error(template).message == (
        "resources.r.properties.value.Fn::Select: The template version is invalid: "
        "The function Fn::Select is not supported in this version of HOT."
    )


def test_an_invalid_deletion_policy_is_reported() -> None:
    template = HEAD + "resources:\n  r: {type: OS::Heat::None, deletion_policy: Keep}\n"
    assert first_error(template).message == 'Invalid deletion policy "Keep"'


def test_function_argument_errors_are_stack_validation_failures() -> None:
    template = HEAD + (
        "resources:\n  r:\n    type: OS::Heat::Value\n    properties: {value: {get_attr: {a: b}}}\n"
    )
    error = first_error(template)
    assert error.error_type == "StackValidationFailed"
    assert error.message == (
        'resources.r.properties.value.get_attr: Argument to "get_attr" must be a list'
    )


def test_a_resource_whose_condition_is_false_is_not_in_the_stack() -> None:
    template = (
        "heat_template_version: 2016-10-14\nconditions:\n  c: false\n"
        "resources:\n  r: {type: OS::Heat::None, condition: c}\n"
    )
    validated = validate_stack(template, None, None, lookup)
    assert validated.graph.order == ()


def test_references_error_type_is_the_upstream_class_name() -> None:
    template = HEAD + "resources:\n  r: {type: OS::Heat::None, depends_on: [ghost]}\n"
    error = first_error(template)
    assert isinstance(error, InvalidTemplateReference)


def test_validate_response_shows_parameter_groups_and_the_environment() -> None:
    template = HEAD + (
        "parameters:\n"
        "  p: {type: string, hidden: true, default: d, description: the p}\n"
        "parameter_groups:\n"
        "  - label: g\n"
        "    parameters: [p]\n"
    )
    body = validate_response(template, {"parameters": {"p": "v"}})
    assert body == {
        "Description": "No description",
        "Parameters": {
            "p": {
                "Type": "String",
                "Description": "the p",
                "NoEcho": "true",
                "Label": "p",
                "Default": "d",
                "Value": "v",
            }
        },
        "ParameterGroups": [{"label": "g", "parameters": ["p"]}],
        "Environment": {
            "resource_registry": {"resources": {}},
            "parameters": {"p": "v"},
            "parameter_defaults": {},
            "event_sinks": [],
        },
    }


@pytest.mark.parametrize(
    ("template", "create", "validate"),
    [
        (HEAD + "resources: [x", "HTTPBadRequest", "HTTPBadRequest"),
        (HEAD + "resource: {}\n", "StackValidationFailed", "HTTPBadRequest"),
        (HEAD + "resources:\n  r: {type: OS::Nope}\n", "StackValidationFailed", "HTTPBadRequest"),
        (
            HEAD + "resources:\n  r: {type: OS::Heat::None, depends_on: x}\n",
            "InvalidTemplateReference",
            "InvalidTemplateReference",
        ),
        (
            "heat_template_version: 2000-01-01\n",
            "InvalidTemplateVersion",
            "InvalidTemplateVersion",
        ),
    ],
)
def test_api_error_type_follows_what_upstream_shows_per_endpoint(
    template: str, create: str, validate: str
) -> None:
    error = first_error(template)
    assert api_error_type(error, "create") == create
    assert api_error_type(error, "validate") == validate
