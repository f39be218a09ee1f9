"""Turn template text (YAML or JSON) into a mapping, with Heat's loader and messages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from templates.errors import RequestLimitExceeded, TemplateParseError

MAX_TEMPLATE_SIZE = 524288  # heat.conf max_template_size default
VERSION_KEYS = ("HeatTemplateFormatVersion", "heat_template_version", "AWSTemplateFormatVersion")

_FastSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _HeatLoader(_FastSafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps timestamps as strings, so versions stay "2018-08-31"."""


def _scalar_as_str(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_HeatLoader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_as_str)


def check_template_size(text: str, limit: int = MAX_TEMPLATE_SIZE) -> None:
    """Raise Heat's RequestLimitExceeded when `text` is over the size limit."""
    if len(text) > limit:
        raise RequestLimitExceeded(
            f"Template size ({len(text)} bytes) exceeds maximum allowed size ({limit} bytes)."
        )


def parse_document(text: str, name: str = "[root stack]") -> dict[str, Any]:
    """Parse JSON, else YAML, into a mapping (heat template_format.simple_parse)."""
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.load(text, Loader=_HeatLoader)
        except yaml.YAMLError:
            # Heat re-parses with the pure-Python loader because its message
            # quotes the template snippet where the error is.
            try:
                data = yaml.load(text, Loader=_PureHeatLoader)
            except yaml.YAMLError as exc:
                raise TemplateParseError(f"Error parsing template {name} {exc}") from None
        if data is None:
            data = {}
    if not isinstance(data, dict):
        raise TemplateParseError("The template is not a JSON object or YAML mapping.")
    return data


class _PureHeatLoader(yaml.SafeLoader):
    """Pure-Python twin of _HeatLoader, used only to word parse errors."""


_PureHeatLoader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_as_str)


def parse_template(data: str | bytes | Mapping[str, Any], name: str = "[root stack]") -> dict:
    """Return the template as a dict, as Heat's API does before the engine sees it.

    Text is size-checked, parsed (JSON or YAML) and must carry a version key;
    a mapping (a JSON body's inline template) is only size-checked, as upstream.
    """
    if isinstance(data, Mapping):
        # Upstream measures str(dict) here; Python's repr is what it measured.
        check_template_size(str(dict(data)))
        return dict(data)
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    check_template_size(text)
    tpl = parse_document(text, name)
    if not any(key in tpl for key in VERSION_KEYS):
        raise TemplateParseError("Template format version not found.")
    return tpl
