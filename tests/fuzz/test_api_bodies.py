"""Hypothesis over the API's request bodies, in process: the parsers that turn a create,
validate or update body into a definition either succeed or raise Heat's error, never
anything else (which the API would answer as a 500)."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.definition import build_stack_state, validation_report
from api.errors import HeatError
from api.update_bodies import update_args

EXAMPLES = int(os.environ.get("HEAT_TEMPORAL_FUZZ_EXAMPLES", "3")) * 100

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
function_names = st.sampled_from(
    [
        "get_param",
        "get_resource",
        "get_attr",
        "str_replace",
        "list_join",
        "if",
        "repeat",
        "map_merge",
        "yaql",
        "Fn::GetAtt",
        "Ref",
        "Fn::Join",
        "digest",
        "str_split",
        "equals",
    ]
)
intrinsic = st.builds(lambda name, arg: {name: arg}, function_names, json_values)
properties = st.dictionaries(st.text(max_size=10), json_values | intrinsic, max_size=4)
resource_types = st.sampled_from(
    [
        "OS::Heat::None",
        "OS::Heat::Value",
        "OS::Heat::RandomString",
        "OS::Heat::TestResource",
        "OS::Nova::Server",
        "My::Missing",
    ]
)
resources = st.dictionaries(
    st.text(min_size=1, max_size=10),
    st.fixed_dictionaries(
        {"type": resource_types | json_values},
        optional={
            "properties": properties | json_values,
            "depends_on": st.lists(st.text(max_size=6), max_size=3) | json_values,
            "condition": json_values,
            "metadata": json_values,
        },
    )
    | json_values,
    max_size=4,
)
templates = (
    st.fixed_dictionaries(
        {
            "heat_template_version": st.sampled_from(
                ["2013-05-23", "2018-08-31", "2021-04-16", "wallaby", "bogus"]
            )
            | json_values
        },
        optional={
            "resources": resources,
            "parameters": st.dictionaries(
                st.text(min_size=1, max_size=6),
                st.fixed_dictionaries(
                    {
                        "type": st.sampled_from(
                            ["string", "number", "json", "comma_delimited_list", "boolean"]
                        )
                        | json_values
                    },
                    optional={
                        "default": json_values,
                        "constraints": json_values,
                        "hidden": json_values,
                    },
                )
                | json_values,
                max_size=3,
            )
            | json_values,
            "outputs": st.dictionaries(st.text(max_size=6), json_values | intrinsic, max_size=3),
            "conditions": json_values,
            "parameter_groups": json_values,
            "description": json_values,
        },
    )
    | json_values
    | st.text(max_size=200)
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "stack_name": st.sampled_from(["ok", "a.b-c_d"]) | json_values,
        "template": templates,
        "template_url": json_values,
        "parameters": json_values,
        "environment": json_values | st.text(max_size=80),
        "environment_files": json_values,
        "files": json_values,
        "timeout_mins": json_values,
        "disable_rollback": json_values,
        "tags": json_values,
        "adopt_stack_data": json_values | st.text(max_size=40),
        "clear_parameters": json_values,
    },
)
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def only_heat_errors(call: Any) -> None:
    try:
        call()
    except HeatError as error:
        assert 400 <= error.status < 500, (error.status, error.message)
        assert error.message and "Traceback" not in error.message


@FUZZ
@given(body=bodies)
def test_create_bodies_are_accepted_or_refused_in_heats_words(body: dict[str, Any]) -> None:
    only_heat_errors(lambda: build_stack_state(body, "project", "user", "stack-id"))


@FUZZ
@given(body=bodies, show_nested=st.sampled_from([None, "true", "nope"]))
def test_validate_bodies_are_answered_or_refused_in_heats_words(
    body: dict[str, Any], show_nested: str | None
) -> None:
    query = {} if show_nested is None else {"show_nested": show_nested}
    only_heat_errors(lambda: validation_report(body, query))


@FUZZ
@given(body=bodies, existing=st.booleans())
def test_update_bodies_are_parsed_or_refused_in_heats_words(
    body: dict[str, Any], existing: bool
) -> None:
    only_heat_errors(lambda: update_args(body, existing))
