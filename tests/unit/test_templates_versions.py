"""Template versions: every HOT date and alias, function tables, Heat's version errors."""

from __future__ import annotations

import pytest

from templates import (
    ALL_VERSIONS,
    InvalidTemplateSection,
    InvalidTemplateVersion,
    Template,
    get_version,
)
from templates.function import Removed
from templates.hot_functions import GetAtt, GetAttAllAttributes, JoinMultiple, ReplaceJson

HOT_DATES = [
    "2013-05-23",
    "2014-10-16",
    "2015-04-30",
    "2015-10-15",
    "2016-04-08",
    "2016-10-14",
    "2017-02-24",
    "2017-09-01",
    "2018-03-02",
    "2018-08-31",
    "2021-04-16",
]
ALIASES = {
    "newton": "2016-10-14",
    "ocata": "2017-02-24",
    "pike": "2017-09-01",
    "queens": "2018-03-02",
    "rocky": "2018-08-31",
    "wallaby": "2021-04-16",
}


@pytest.mark.parametrize("name", HOT_DATES + list(ALIASES))
def test_every_hot_version_and_alias_is_accepted(name: str) -> None:
    version = get_version({"heat_template_version": name})
    assert version.id == f"heat_template_version.{name}"


@pytest.mark.parametrize(("alias", "date"), ALIASES.items())
def test_an_alias_has_the_same_functions_and_sections_as_its_date(alias: str, date: str) -> None:
    a = ALL_VERSIONS[("heat_template_version", alias)]
    d = ALL_VERSIONS[("heat_template_version", date)]
    assert a.upstream_functions == d.upstream_functions
    assert a.sections == d.sections
    assert a.resource_keys == d.resource_keys


def test_an_unknown_version_lists_the_valid_ones_as_heat_does() -> None:
    with pytest.raises(InvalidTemplateVersion) as err:
        get_version({"heat_template_version": "2012-01-01"})
    assert err.value.error_type == "InvalidTemplateVersion"
    assert err.value.message == (
        'The template version is invalid: "heat_template_version: 2012-01-01". '
        '"heat_template_version" should be one of: 2013-05-23, 2014-10-16, 2015-04-30, '
        "2015-10-15, 2016-04-08, 2016-10-14, 2017-02-24, 2017-09-01, 2018-03-02, "
        "2018-08-31, 2021-04-16, newton, ocata, pike, queens, rocky, wallaby"
    )


def test_a_missing_version_is_reported() -> None:
    with pytest.raises(InvalidTemplateVersion) as err:
        get_version({"resources": {}})
    assert err.value.message == "The template version is invalid: Template version was not provided"


def test_two_version_keys_are_ambiguous() -> None:
    with pytest.raises(InvalidTemplateVersion, match=r"Ambiguous versions \("):
        get_version({"heat_template_version": "2018-08-31", "AWSTemplateFormatVersion": "x"})


def test_function_tables_follow_upstream_per_version() -> None:
    old = ALL_VERSIONS[("heat_template_version", "2014-10-16")]
    new = ALL_VERSIONS[("heat_template_version", "2015-10-15")]
    assert old.functions["get_attr"] is GetAtt
    assert new.functions["get_attr"] is GetAttAllAttributes
    assert new.functions["list_join"] is JoinMultiple
    assert new.functions["str_replace"] is ReplaceJson
    assert new.functions["Fn::Select"] is Removed
    assert "Fn::Select" not in new.listed_functions()
    assert "map_merge" not in new.functions
    assert "str_split" in new.listed_functions()


def test_conditions_and_resource_condition_keys_start_in_2016_10_14() -> None:
    assert "conditions" not in ALL_VERSIONS[("heat_template_version", "2016-04-08")].sections
    newton = ALL_VERSIONS[("heat_template_version", "newton")]
    assert "conditions" in newton.sections
    assert "condition" in newton.resource_keys
    assert "external_id" in newton.resource_keys


def test_an_unknown_top_level_section_is_rejected() -> None:
    with pytest.raises(InvalidTemplateSection) as err:
        Template({"heat_template_version": "2018-08-31", "resource": {}})
    assert err.value.message == "The template section is invalid: resource"


def test_every_function_of_every_version_is_implemented() -> None:
    from templates.function import NotImplementedYet

    for version in ALL_VERSIONS.values():
        missing = [n for n, e in version.functions.items() if isinstance(e, NotImplementedYet)]
        assert missing == [], (version.id, missing)
