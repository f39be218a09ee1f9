"""Parsing template text the way Heat's API does: loader, limits and messages."""

from __future__ import annotations

import pytest

from templates import RequestLimitExceeded, TemplateParseError, parse_template


def test_yaml_dates_stay_strings_so_versions_compare_as_text() -> None:
    tpl = parse_template("heat_template_version: 2018-08-31\nresources: {}\n")
    assert tpl["heat_template_version"] == "2018-08-31"


def test_json_text_is_accepted() -> None:
    tpl = parse_template('{"heat_template_version": "2016-10-14", "resources": {}}')
    assert tpl == {"heat_template_version": "2016-10-14", "resources": {}}


def test_bytes_are_decoded_as_utf8() -> None:
    assert parse_template(b"heat_template_version: rocky\n")["heat_template_version"] == "rocky"


def test_bad_yaml_reports_heats_message_with_the_snippet() -> None:
    with pytest.raises(TemplateParseError) as err:
        parse_template("heat_template_version: 2018-08-31\nresources: [x")
    assert err.value.error_type == "HTTPBadRequest"
    assert err.value.message == (
        "Template not in valid format: Error parsing template [root stack] "
        "while parsing a flow sequence\n"
        '  in "<unicode string>", line 2, column 12:\n'
        "    resources: [x\n"
        "               ^\n"
        "expected ',' or ']', but got '<stream end>'\n"
        '  in "<unicode string>", line 2, column 14:\n'
        "    resources: [x\n"
        "                 ^"
    )


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text", "42"])
def test_a_document_that_is_not_a_mapping_is_rejected(text: str) -> None:
    with pytest.raises(TemplateParseError) as err:
        parse_template(text)
    assert err.value.message == (
        "Template not in valid format: The template is not a JSON object or YAML mapping."
    )


def test_a_mapping_without_any_version_key_is_rejected() -> None:
    with pytest.raises(TemplateParseError) as err:
        parse_template("resources: {}\n")
    assert err.value.message == "Template not in valid format: Template format version not found."


def test_an_empty_document_is_an_empty_mapping_without_version() -> None:
    with pytest.raises(TemplateParseError, match=r"Template format version not found\."):
        parse_template("")


def test_templates_over_the_size_limit_are_refused_with_heats_message() -> None:
    text = "heat_template_version: 2018-08-31\n" + "#" * 524288
    with pytest.raises(RequestLimitExceeded) as err:
        parse_template(text)
    assert err.value.error_type == "RequestLimitExceeded"
    assert err.value.message == (
        f"Request limit exceeded: Template size ({len(text)} bytes) exceeds maximum "
        "allowed size (524288 bytes)."
    )


def test_an_inline_mapping_is_returned_as_is_without_a_version_check() -> None:
    assert parse_template({"resources": {}}) == {"resources": {}}
