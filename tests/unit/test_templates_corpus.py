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

CORPUS = Path("/work/shared/corpus")
SUFFIXES = {".yaml", ".yml", ".json", ".template", ".hot"}


def hot_templates() -> list[Path]:
    if not CORPUS.exists():
        return []
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and path.suffix in SUFFIXES:
            text = path.read_text(errors="replace")
            if "heat_template_version" in text:
                found.append(path)
    return found


@pytest.mark.skipif(not CORPUS.exists(), reason="corpus not available")
@pytest.mark.parametrize("path", hot_templates(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_template_parses_and_builds_its_graph(path: Path) -> None:
    try:
        raw = parse_template(path.read_text())
    except TemplateParseError:
        pytest.skip("not a template document")
    if "heat_template_version" not in raw:
        pytest.skip("mentions HOT but is another format")
    tmpl = Template(raw)
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
