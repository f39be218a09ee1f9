"""Every real HOT template of the corpus parses and yields a dependency graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from templates import (
    DependencyGraph,
    FunctionNotSupported,
    NotSupportedYet,
    Template,
    TemplateParseError,
    parse_template,
)

# shared/ lies beside the repository, here and in CI.
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SUFFIXES = {".yaml", ".yml", ".json", ".template", ".hot"}


def hot_templates() -> list[Path]:
    """The corpus files that are HOT template documents (others mention HOT in passing)."""
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and path.suffix in SUFFIXES:
            text = path.read_text(errors="replace")
            if "heat_template_version" not in text:
                continue
            try:
                document = parse_template(text)
            except TemplateParseError:
                continue
            if "heat_template_version" in document:
                found.append(path)
    return found


def test_the_corpus_is_there() -> None:
    assert len(hot_templates()) > 100


@pytest.mark.parametrize("path", hot_templates(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_template_parses_and_builds_its_graph(path: Path) -> None:
    tmpl = Template(parse_template(path.read_text()))
    tmpl.parameter_schemas  # noqa: B018
    try:
        resources = tmpl.resources
        tmpl.outputs  # noqa: B018
    except NotSupportedYet as exc:
        # Functions (or conditions) of a later slice: a clean, named error.
        assert exc.error_type == "NotSupported"
        assert "is not supported yet" in exc.message
        if isinstance(exc, FunctionNotSupported):
            assert exc.fn_name in tmpl.version.functions
        return
    graph = DependencyGraph.from_resources(resources)
    assert set(graph.order) == set(resources)
