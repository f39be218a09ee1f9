"""Every option is an environment variable and a file key, and docs/operations.md lists them all."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import pytest

from service.settings import Settings
from service.settings_doc import DOC, render_table, with_table

ENV_PREFIX = "HEAT_TEMPORAL_"


def _sample(name: str) -> tuple[Any, str]:
    """A valid value for the option that differs from its default, and how TOML writes it."""
    field = Settings.model_fields[name]
    annotation = field.annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Literal:
        choices = typing.get_args(annotation)
        # A one-choice option (auth_strategy until keystone lands) can only be set to itself.
        value = next((v for v in choices if v != field.default), choices[0])
        return value, f'"{value}"'
    if annotation is bool:
        return (not field.default), str(not field.default).lower()
    if annotation is int:
        return 7, "7"
    if annotation is float:
        return 7.5, "7.5"
    if annotation is Path:
        return Path("/srv/heat-temporal"), '"/srv/heat-temporal"'
    if annotation is str:
        return "sample-value", '"sample-value"'
    raise AssertionError(f"no sample for {name}: {annotation!r}; teach this test its type")


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_option_is_read_from_its_environment_variable(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    value, _ = _sample(name)
    monkeypatch.delenv("HEAT_TEMPORAL_SETTINGS_FILE", raising=False)
    monkeypatch.setenv(f"{ENV_PREFIX}{name.upper()}", str(value))
    assert getattr(Settings(), name) == value


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_option_is_read_from_its_key_in_the_settings_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    value, toml = _sample(name)
    settings_file = tmp_path / "heat-temporal.toml"
    settings_file.write_text(f"{name} = {toml}\n")
    monkeypatch.delenv(f"{ENV_PREFIX}{name.upper()}", raising=False)
    monkeypatch.setenv("HEAT_TEMPORAL_SETTINGS_FILE", str(settings_file))
    assert getattr(Settings(), name) == value


def test_the_environment_wins_over_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = tmp_path / "heat-temporal.toml"
    settings_file.write_text('task_queue = "from-file"\napi_port = 9000\n')
    monkeypatch.setenv("HEAT_TEMPORAL_SETTINGS_FILE", str(settings_file))
    monkeypatch.setenv("HEAT_TEMPORAL_TASK_QUEUE", "from-env")
    monkeypatch.delenv("HEAT_TEMPORAL_API_PORT", raising=False)
    settings = Settings()
    assert settings.task_queue == "from-env"
    assert settings.api_port == 9000


def test_the_settings_table_in_docs_operations_lists_every_option_with_its_default() -> None:
    doc = DOC.read_text()
    assert with_table(doc) == doc, (
        "docs/operations.md's settings table is stale: run `python -m service.settings_doc`"
    )
    table = render_table()
    for name, field in Settings.model_fields.items():
        assert f"`{ENV_PREFIX}{name.upper()}`" in table
        assert field.description, f"{name} needs a description for the docs"
