"""Every option is an environment variable and a file key, and docs/operations.md lists them all."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

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
        # A choice other than the default.
        value = next((v for v in choices if v != field.default), choices[0])
        return value, f'"{value}"'
    if annotation is bool:
        return (not field.default), str(not field.default).lower()
    if annotation is int:
        return 7, "7"
    if annotation is float:
        # Inside the option's bounds (a rate is at most 1).
        limits = [m for m in field.metadata if hasattr(m, "le")]
        if limits and limits[0].le <= 1:
            return 0.25, "0.25"
        return 7.5, "7.5"
    if typing.get_origin(annotation) is list:
        # Lists are JSON in the environment and arrays in the file.
        return ["sample-value"], '["sample-value"]'
    if annotation is Path:
        return Path("/srv/heat-temporal"), '"/srv/heat-temporal"'
    if annotation is str:
        return "sample-value", '"sample-value"'
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        # A table of options (keystone_authtoken, codec): change its first text option.
        key = next(
            k
            for k, f in annotation.model_fields.items()
            if f.annotation in (str, str | None, typing.Optional[str])  # noqa: UP045
        )
        return annotation(**{key: "sample-value"}), f'{{ {key} = "sample-value" }}'
    raise AssertionError(f"no sample for {name}: {annotation!r}; teach this test its type")


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_option_is_read_from_its_environment_variable(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    value, _ = _sample(name)
    monkeypatch.delenv("HEAT_TEMPORAL_SETTINGS_FILE", raising=False)
    if isinstance(value, BaseModel):
        text = value.model_dump_json(include=value.model_fields_set)
    elif isinstance(value, list):
        text = json.dumps(value)
    else:
        text = str(value)
    monkeypatch.setenv(f"{ENV_PREFIX}{name.upper()}", text)
    assert getattr(Settings(), name) == value


def test_a_sub_settings_option_has_its_own_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEAT_TEMPORAL_SETTINGS_FILE", raising=False)
    monkeypatch.setenv(f"{ENV_PREFIX}CLOUD__NAME", "minicloud-demo")
    monkeypatch.setenv(f"{ENV_PREFIX}CLOUD__STATUS_CODE_RETRIES", "5")
    cloud = Settings().cloud
    assert (cloud.name, cloud.status_code_retries, cloud.connect_retries) == (
        "minicloud-demo",
        5,
        3,
    )


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
