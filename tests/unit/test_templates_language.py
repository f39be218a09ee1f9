"""The rest of the template language: every function, CFN, conditions, environment, definitions."""

from __future__ import annotations

from typing import Any

import pytest

from activities.resources.heat_types import NONE_SCHEMA, RANDOM_STRING_SCHEMA
from templates import (
    Environment,
    StackDefinition,
    StackValidationFailed,
    Template,
    TemplateError,
    UserParameterMissing,
    validate_stack,
)
from templates.environment import EnvironmentError_, merge_environment_files, parse_environment
from templates.function import EvalContext, Facade, resolve
from templates.resource_template import resource_to_template
from templates.schema import PropertySchema, ResourceTypeSchema


def evaluate(snippet: Any, version: str = "2021-04-16", **ctx: Any) -> Any:
    tmpl = Template({"heat_template_version": version})
    context = EvalContext(parameters=ctx.pop("parameters", {}), resource_names=(), **ctx)
    return resolve(tmpl.parse(snippet), context)


def lookup(name: str) -> ResourceTypeSchema | None:
    return {"OS::Heat::None": NONE_SCHEMA, "OS::Heat::RandomString": RANDOM_STRING_SCHEMA}.get(name)


# -- HOT functions --------------------------------------------------------------------------


def test_str_replace_strict_names_params_missing_from_the_template() -> None:
    with pytest.raises(TemplateError, match="params were not found in the template: b"):
        evaluate({"str_replace_strict": {"template": "a", "params": {"a": "x", "b": "y"}}})


def test_str_replace_vstrict_refuses_empty_values() -> None:
    with pytest.raises(TemplateError, match="has an undefined or empty value for param a"):
        evaluate({"str_replace_vstrict": {"template": "a", "params": {"a": ""}}})


def test_get_file_reads_the_request_files() -> None:
    assert evaluate({"get_file": "x.sh"}, files={"x.sh": "echo"}) == "echo"
    with pytest.raises(TemplateError, match='No content found in the "files" section'):
        evaluate({"get_file": "y.sh"})


def test_str_split_with_and_without_index() -> None:
    assert evaluate({"str_split": [",", "a,b,c"]}) == ["a", "b", "c"]
    assert evaluate({"str_split": [",", "a,b,c", 1]}) == "b"
    with pytest.raises(TemplateError, match="should be between 0 and 2"):
        evaluate({"str_split": [",", "a,b,c", 5]})


def test_repeat_loops_nested_and_without_permutations() -> None:
    body = {"template": "<%x%-%y%>", "for_each": {"%x%": ["a", "b"], "%y%": ["1", "2"]}}
    assert evaluate({"repeat": body}) == ["<a-1>", "<a-2>", "<b-1>", "<b-2>"]
    assert evaluate({"repeat": {**body, "permutations": False}}) == ["<a-1>", "<b-2>"]


def test_map_merge_and_map_replace() -> None:
    assert evaluate({"map_merge": [{"a": 1, "b": 2}, {"a": 3}]}) == {"a": 3, "b": 2}
    replaced = evaluate(
        {"map_replace": [{"k1": "v1", "k2": "v2"}, {"keys": {"k1": "K1"}, "values": {"v2": "V2"}}]}
    )
    assert replaced == {"K1": "v1", "k2": "V2"}


def test_digest_yaql_filter_contains_list_concat() -> None:
    assert evaluate({"digest": ["md5", "a"]}) == "0cc175b9c0f1b6a831c399e269772661"
    assert evaluate({"yaql": {"expression": "$.data.l.sum()", "data": {"l": [1, 2, 3]}}}) == 6
    assert evaluate({"filter": [[2], [1, 2, 3]]}) == [1, 3]
    assert evaluate({"contains": ["a", ["a", "b"]]}) is True
    assert evaluate({"list_concat_unique": [[1, 2], [2, 3]]}) == [1, 2, 3]


def test_yaql_is_limited_as_upstream() -> None:
    with pytest.raises(TemplateError, match="exceeds 200 elements"):
        evaluate({"yaql": {"expression": "range(0, 1000)"}})


def test_make_url_escapes_its_parts() -> None:
    url = evaluate(
        {
            "make_url": {
                "scheme": "https",
                "host": "::1",
                "port": 8080,
                "path": "/a b",
                "query": {"q": "1/2"},
            }
        }
    )
    assert url == "https://[::1]:8080/a%20b?q=1/2"


def test_if_with_the_nullable_form_drops_the_item() -> None:
    tmpl = {
        "heat_template_version": "2021-04-16",
        "conditions": {"no": False},
        "resources": {"r": {"type": "OS::Heat::None", "properties": {"a": {"if": ["no", 1]}}}},
    }
    definition = StackDefinition.from_request(tmpl)
    assert definition.resolve_resource("r").properties == {}


def test_resource_facade_reads_the_parent_resource() -> None:
    facade = Facade(metadata={"m": 1}, deletion_policy="Retain")
    assert evaluate({"resource_facade": "metadata"}, facade=facade) == {"m": 1}
    assert evaluate({"resource_facade": "deletion_policy"}, facade=facade) == "Retain"


# -- conditions -----------------------------------------------------------------------------


CONDITIONAL = {
    "heat_template_version": "2016-10-14",
    "parameters": {"env": {"type": "string", "default": "test"}},
    "conditions": {
        "prod": {"equals": [{"get_param": "env"}, "prod"]},
        "not_prod": {"not": "prod"},
    },
    "resources": {
        "big": {"type": "OS::Heat::None", "condition": "prod"},
        "small": {"type": "OS::Heat::None", "condition": "not_prod", "depends_on": ["big"]},
    },
    "outputs": {
        "which": {"value": {"if": ["prod", "big", "small"]}},
        "big_id": {"value": {"get_resource": "big"}, "condition": "prod"},
    },
}


def test_a_false_condition_removes_the_resource_from_resources_and_graph() -> None:
    definition = StackDefinition.from_request(CONDITIONAL)
    assert list(definition.resources) == ["small"]
    assert definition.graph.order == ("small",)
    outputs = {o["output_key"]: o["output_value"] for o in definition.resolve_outputs()}
    assert outputs == {"which": "small", "big_id": None}


def test_conditions_follow_parameters() -> None:
    definition = StackDefinition.from_request(CONDITIONAL, params={"env": "prod"})
    assert list(definition.resources) == ["big"]


def test_functions_other_than_condition_functions_are_invalid_in_conditions() -> None:
    tmpl = {**CONDITIONAL, "conditions": {"c": {"get_resource": "big"}}}
    with pytest.raises(StackValidationFailed) as err:
        validate_stack(tmpl, None, None, lookup, strict=False)
    assert err.value.message == (
        'conditions.c.get_resource: The function "get_resource" is invalid in this context'
    )


def test_a_condition_on_a_missing_parameter_is_user_parameter_missing() -> None:
    tmpl = {**CONDITIONAL, "parameters": {"env": {"type": "string"}}}
    with pytest.raises(UserParameterMissing):
        validate_stack(tmpl, None, None, lookup, strict=False)


def test_circular_conditions_are_reported() -> None:
    tmpl = {**CONDITIONAL, "conditions": {"a": {"not": "b"}, "b": {"not": "a"}}}
    with pytest.raises(StackValidationFailed, match='Circular definition for condition "'):
        StackDefinition.from_request(tmpl).conditions.values()


# -- CFN ------------------------------------------------------------------------------------


CFN = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Description": "cfn",
    "Parameters": {"Size": {"Type": "Number", "Default": "2", "MinValue": "1"}},
    "Mappings": {"M": {"a": {"b": "found"}}},
    "Conditions": {"Big": {"Fn::Equals": [{"Ref": "Size"}, 3]}},
    "Resources": {
        "R": {"Type": "OS::Heat::None", "Properties": {"v": {"Fn::FindInMap": ["M", "a", "b"]}}},
        "S": {
            "Type": "OS::Heat::None",
            "Properties": {"r": {"Ref": "R"}, "j": {"Fn::Join": ["-", ["x", "y"]]}},
            "Condition": "Big",
        },
    },
    "Outputs": {"O": {"Value": {"Fn::Select": ["1", ["a", "b"]]}}},
}


def test_cfn_templates_work_behind_the_same_template_interface() -> None:
    definition = StackDefinition.from_request(CFN)
    assert definition.template.description == "cfn"
    assert list(definition.resources) == ["R"]
    assert definition.resolve_resource("R").properties == {"v": "found"}
    assert definition.resolve_outputs()[0]["output_value"] == "b"
    assert definition.parameters.validate_api_body()["Size"]["MinValue"] == 1


def test_cfn_ref_to_a_resource_is_a_dependency() -> None:
    definition = StackDefinition.from_request(CFN, params={"Size": 3})
    assert definition.graph.requires["S"] == ("R",)


# -- environment and provider templates -------------------------------------------------------


def test_environment_sections_are_checked_as_upstream() -> None:
    with pytest.raises(EnvironmentError_, match='environment has wrong section "paramters"'):
        parse_environment("paramters: {}")
    with pytest.raises(EnvironmentError_, match='environment has empty section "parameters"'):
        parse_environment("parameters:")


def test_environment_files_merge_in_order() -> None:
    files = {
        "a.yaml": "parameters: {x: 1}\nresource_registry: {My::A: OS::Heat::None}",
        "b.yaml": "parameters: {x: 2}\nparameter_defaults: {y: 3}",
    }
    merged = merge_environment_files({}, ["a.yaml", "b.yaml"], files, {"x": "number"})
    assert merged["parameters"] == {"x": 2}
    assert merged["parameter_defaults"] == {"y": 3}
    assert merged["resource_registry"] == {"My::A": "OS::Heat::None"}


def test_registry_aliases_globs_and_per_resource_mappings() -> None:
    env = Environment.from_data(
        {
            "resource_registry": {
                "My::Thing": "OS::Heat::None",
                "OS::Networking::*": "OS::Neutron::*",
                "resources": {"special": {"My::Thing": "thing.yaml", "hooks": "pre-create"}},
            }
        }
    )
    assert env.registry.resolve("My::Thing") == "OS::Heat::None"
    assert env.registry.resolve("OS::Networking::Net") == "OS::Neutron::Net"
    assert env.registry.resolve("My::Thing", "special") == "thing.yaml"
    assert env.registry.hooks("special") == ["pre-create"]


def test_a_provider_template_gives_the_type_schema_and_the_nested_stack() -> None:
    child = (
        "heat_template_version: 2016-10-14\nparameters:\n  size: {type: number}\n"
        "resources: {}\noutputs:\n  addr: {value: x, description: The address}\n"
    )
    parent = {
        "heat_template_version": "2016-10-14",
        "resources": {"r": {"type": "My::Box", "properties": {"size": 3}}},
        "outputs": {"a": {"value": {"get_attr": ["r", "addr"]}}},
    }
    definition = StackDefinition.from_request(
        parent,
        environment={"resource_registry": {"My::Box": "box.yaml"}},
        files={"box.yaml": child},
    )
    definition.validate(lookup, strict=True)
    provider = definition.provider_template("r")
    assert provider is not None and provider.template_name == "box.yaml"
    schema = provider.type_schema()
    assert schema.properties["size"].type == "number" and schema.properties["size"].required
    assert "addr" in schema.attributes
    assert definition.provider_parameters("r") == {"size": 3}


# -- resource types as templates ------------------------------------------------------------


def test_a_resource_type_as_a_hot_template_mirrors_upstream() -> None:
    body = resource_to_template("OS::Heat::RandomString", RANDOM_STRING_SCHEMA, "hot")
    assert body["description"] == "Initial template of RandomString"
    assert body["parameters"]["length"] == {
        "type": "number",
        "description": "Length of the string to generate.",
        "default": 32,
        "constraints": [{"range": {"min": 1, "max": 512}}],
    }
    assert body["outputs"]["OS::stack_id"] == {"value": {"get_resource": "RandomString"}}


def test_a_none_resource_as_a_cfn_template_mirrors_upstream() -> None:
    assert resource_to_template("OS::Heat::None", NONE_SCHEMA) == {
        "HeatTemplateFormatVersion": "2012-12-12",
        "Description": "Initial template of NoneResource",
        "Parameters": {},
        "Resources": {"NoneResource": {"Type": "OS::Heat::None", "Properties": {}}},
        "Outputs": {
            "show": {
                "Value": {"Fn::GetAtt": ["NoneResource", "show"]},
                "Description": "Detailed information about resource.",
            },
            "OS::stack_id": {"Value": {"Ref": "NoneResource"}},
        },
    }


def test_property_schemas_still_build() -> None:
    assert PropertySchema("string").to_dict()["type"] == "string"
