"""Property tests over the function layer: only template errors, and deterministic results."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates import ALL_VERSIONS, Template, TemplateError
from templates.function import EvalContext, NoConditions, resolve

VERSIONS = sorted(ALL_VERSIONS)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(alphabet="ab,%$-.:/ ", max_size=6),
)


def snippets(function_names: list[str]) -> st.SearchStrategy[Any]:
    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.text(alphabet="abpt_", max_size=8), children, max_size=3),
            st.builds(lambda name, args: {name: args}, st.sampled_from(function_names), children),
        )

    return st.recursive(SCALARS, extend, max_leaves=12)


@st.composite
def templates_and_snippets(draw: st.DrawFn) -> tuple[Template, Any]:
    key, name = draw(st.sampled_from(VERSIONS))
    template = Template({key: name})
    names = sorted(template.version.functions)
    return template, draw(snippets(names))


CTX = EvalContext(
    parameters={"a": "x", "p": [1, 2], "b": {"k": "v"}},
    resource_names=(),
    files={"a": "file a"},
    conditions=NoConditions(),
    mappings={"a": {"b": {"p": 1}}},
)


def evaluate(template: Template, snippet: Any) -> tuple[str, Any]:
    try:
        return "ok", resolve(template.parse(snippet, "resources.r.properties"), CTX)
    except TemplateError as exc:
        return type(exc).__name__, exc.message


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates_and_snippets())
def test_random_snippets_raise_only_template_errors_and_resolve_deterministically(
    case: tuple[Template, Any],
) -> None:
    template, snippet = case
    first = evaluate(template, snippet)  # anything but a TemplateError fails the test
    assert evaluate(template, snippet) == first
