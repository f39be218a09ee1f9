"""The implemented HOT functions: arguments, results and Heat's error messages."""

from __future__ import annotations

from typing import Any

import pytest

from templates import (
    UNKNOWN,
    EvalContext,
    FunctionArgumentError,
    InvalidTemplateReference,
    StackValidationFailed,
    Template,
    UserParameterMissing,
    resolve,
)


class Lookup:
    """A fake stack whose resources exist with fixed ids and attributes."""

    def __init__(self, ids: dict[str, str], attrs: dict[str, dict[str, Any]]) -> None:
        self.ids, self.attrs = ids, attrs

    def physical_id(self, name: str) -> str | None:
        return self.ids.get(name)

    def attribute(self, name: str, attr: str) -> Any:
        return self.attrs.get(name, {}).get(attr)

    def attributes(self, name: str) -> dict[str, Any]:
        return dict(self.attrs.get(name, {}))


def evaluate(
    snippet: Any,
    version: str = "2018-08-31",
    params: dict[str, Any] | None = None,
    lookup: Lookup | None = None,
) -> Any:
    tmpl = Template({"heat_template_version": version})
    ctx = EvalContext(
        parameters=params or {},
        resource_names={"server", "port"},
        resources=lookup or Lookup({"server": "srv-id"}, {"server": {"net": {"ip": ["a", "b"]}}}),
    )
    return resolve(tmpl.parse(snippet), ctx)


def test_get_param_returns_the_value_and_follows_a_path() -> None:
    params = {"p": {"a": ["x", "y"]}, "s": "v"}
    assert evaluate({"get_param": "s"}, params=params) == "v"
    assert evaluate({"get_param": ["p", "a", "1"]}, params=params) == "y"
    assert evaluate({"get_param": ["p", "missing"]}, params=params) == ""


def test_get_param_of_an_undeclared_parameter_is_heats_user_parameter_missing() -> None:
    with pytest.raises(UserParameterMissing) as err:
        evaluate({"get_param": "nope"})
    assert err.value.message == "The Parameter (nope) was not provided."


def test_get_param_without_arguments_fails_as_in_heat() -> None:
    with pytest.raises(FunctionArgumentError, match='Function "get_param" must have arguments'):
        evaluate({"get_param": []})


def test_get_resource_gives_the_physical_id_or_unknown_before_creation() -> None:
    assert evaluate({"get_resource": "server"}) == "srv-id"
    assert evaluate({"get_resource": "port"}) is UNKNOWN


def test_get_resource_of_a_missing_resource_is_an_invalid_reference() -> None:
    with pytest.raises(InvalidTemplateReference) as err:
        evaluate({"get_resource": "ghost"})
    assert err.value.message == 'The specified reference "ghost" (in unknown) is incorrect.'


def test_get_attr_selects_a_path_inside_the_attribute() -> None:
    assert evaluate({"get_attr": ["server", "net", "ip", 1]}) == "b"
    assert evaluate({"get_attr": ["server", "net", "nope"]}) is None


def test_get_attr_with_only_a_resource_returns_all_attributes_from_2015_10_15() -> None:
    assert evaluate({"get_attr": ["server"]}) == {"net": {"ip": ["a", "b"]}}


def test_get_attr_with_only_a_resource_is_an_error_before_2015_10_15() -> None:
    tmpl = Template({"heat_template_version": "2015-04-30"})
    with pytest.raises(StackValidationFailed) as err:
        tmpl.parse({"get_attr": ["server"]})
    assert err.value.message == (
        'get_attr: Arguments to "get_attr" must be of the form '
        "[resource_name, attribute, (path), ...]"
    )


def test_get_attr_needs_a_list() -> None:
    with pytest.raises(StackValidationFailed, match='Argument to "get_attr" must be a list'):
        evaluate({"get_attr": {"a": "b"}})


def test_str_replace_prefers_longer_keys_and_does_not_rescan_substitutions() -> None:
    snippet = {
        "str_replace": {
            "template": "$var1 and $var and $var2",
            "params": {"$var": "$var2", "$var1": "one", "$var2": "two"},
        }
    }
    assert evaluate(snippet) == "one and $var2 and two"


def test_str_replace_serialises_lists_as_json_from_2015_10_15_only() -> None:
    snippet = {"str_replace": {"template": "v=X", "params": {"X": {"b": 1, "a": [1]}}}}
    assert evaluate(snippet) == 'v={"a": [1], "b": 1}'
    with pytest.raises(FunctionArgumentError) as err:
        evaluate(snippet, version="2015-04-30")
    assert err.value.message == (
        '"str_replace" params must be strings or numbers, param X is not valid'
    )


def test_str_replace_without_params_shows_heats_example() -> None:
    tmpl = Template({"heat_template_version": "2018-08-31"})
    with pytest.raises(StackValidationFailed) as err:
        tmpl.parse({"str_replace": {"template": "x"}}, "resources.r.properties.a")
    # Upstream shows str() of its KeyError: the message in quotes, after the path.
    assert err.value.message.startswith(
        'resources.r.properties.a.str_replace: \'"str_replace" syntax should be str_replace:\\n'
    )


def test_list_join_joins_several_lists_from_2015_10_15() -> None:
    assert evaluate({"list_join": [",", ["a", "b"], ["c"]]}) == "a,b,c"
    assert evaluate({"list_join": ["-", ["a", {"k": 1}]]}) == 'a-{"k": 1}'


def test_list_join_takes_exactly_one_list_before_2015_10_15() -> None:
    tmpl = Template({"heat_template_version": "2015-04-30"})
    with pytest.raises(StackValidationFailed) as err:
        tmpl.parse({"list_join": [",", ["a"], ["b"]]})
    assert err.value.error_message == (
        'Incorrect arguments to "list_join" should be: "list_join" : [ " ", [ "str1", "str2"]]'
    )


def test_list_join_rejects_non_string_items_in_old_versions() -> None:
    with pytest.raises(FunctionArgumentError, match="Items to join must be strings not 1"):
        evaluate({"list_join": [",", ["a", 1]]}, version="2014-10-16")


def test_functions_nest_and_unknown_values_propagate() -> None:
    snippet = {
        "list_join": [
            "/",
            [{"get_param": "base"}, {"get_attr": ["port", "ip"]}],
        ]
    }
    lookup = Lookup({}, {"port": {"ip": UNKNOWN}})
    assert evaluate(snippet, params={"base": "x"}, lookup=lookup) is UNKNOWN
    lookup = Lookup({}, {"port": {"ip": "10.0.0.1"}})
    assert evaluate(snippet, params={"base": "x"}, lookup=lookup) == "x/10.0.0.1"


def test_a_one_key_mapping_that_is_not_a_function_stays_data() -> None:
    assert evaluate({"not_a_function": [1, 2]}) == {"not_a_function": [1, 2]}


def test_resolve_resource_evaluates_properties_with_created_resources() -> None:
    from templates import make_context, resolve_resource

    tmpl = Template(
        {
            "heat_template_version": "2018-08-31",
            "resources": {
                "server": {"type": "T"},
                "port": {
                    "type": "T",
                    "deletion_policy": "retain",
                    "properties": {"device": {"get_resource": "server"}},
                    "metadata": {"ip": {"get_attr": ["server", "net", "ip", 0]}},
                },
            },
        }
    )
    ctx = make_context(tmpl, {}, Lookup({"server": "srv-id"}, {"server": {"net": {"ip": ["a"]}}}))
    resolved = resolve_resource(tmpl, tmpl.resources["port"], ctx)
    assert resolved.properties == {"device": "srv-id"}
    assert resolved.metadata == {"ip": "a"}
    assert resolved.deletion_policy == "Retain"
