"""Upstream's ResourceTypeUnavailable (HEAT-E99001): a type whose service is not in the
caller's catalog is refused at validation and create, unless POST /validate ignores 99001."""

from __future__ import annotations

import json

import pytest

from activities.resources.services import unavailable_reason
from api.auth import catalog_types
from api.definition import build_stack_state, refuse_unavailable, validation_report
from api.errors import HeatError

MINICLOUD = frozenset({"identity", "compute", "network", "image", "block-storage", "placement"})


def template(**resources: str) -> dict[str, object]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {name: {"type": type_name} for name, type_name in resources.items()},
    }


def test_a_service_missing_from_the_catalog_makes_its_types_unavailable() -> None:
    assert unavailable_reason("OS::Swift::Container", MINICLOUD) == (
        "swift object-store endpoint is not in service catalog."
    )
    assert unavailable_reason("OS::Trove::Instance", MINICLOUD) == (
        "trove database endpoint is not in service catalog."
    )
    assert unavailable_reason("OS::Nova::Server", frozenset({"network"})) == (
        "nova compute endpoint is not in service catalog."
    )


def test_catalog_aliases_and_unknown_catalogs_leave_types_available() -> None:
    # keystoneauth finds Cinder's volumev3 under block-storage, as upstream's check does.
    assert unavailable_reason("OS::Cinder::Volume", MINICLOUD) is None
    assert unavailable_reason("OS::Heat::None", frozenset()) is None
    assert unavailable_reason("OS::Swift::Container", None) is None
    # Not an upstream type: "could not be found" stays the answer.
    assert unavailable_reason("OS::Swift::Nope", MINICLOUD) is None


def test_validate_refuses_an_unavailable_type_with_upstreams_message() -> None:
    body = {"template": template(queue="OS::Zaqar::Queue")}
    with pytest.raises(HeatError) as refused:
        validation_report(body, {}, MINICLOUD)
    assert (refused.value.status, refused.value.error_type) == (400, "ResourceTypeUnavailable")
    assert refused.value.message == (
        "HEAT-E99001 Service zaqar is not available for resource type OS::Zaqar::Queue, "
        "reason: zaqar messaging endpoint is not in service catalog."
    )


def test_validate_ignore_errors_99001_lets_unavailable_types_through() -> None:
    body = {"template": template(bucket="OS::Swift::Container", none="OS::Heat::None")}
    answer = validation_report(body, {"ignore_errors": "99001"}, MINICLOUD)
    assert answer["Parameters"] == {}


def test_create_refuses_by_the_templates_type_name_when_the_registry_maps_it() -> None:
    body = {
        "stack_name": "s",
        "template": template(server="My::Server"),
        "environment": {"resource_registry": {"My::Server": "OS::Nova::Server"}},
    }
    with pytest.raises(HeatError) as refused:
        build_stack_state(body, "p", "u", "id", frozenset({"network"}))
    assert refused.value.error_type == "ResourceTypeUnavailable"
    assert refused.value.message == (
        "HEAT-E99001 Service nova is not available for resource type My::Server, "
        "reason: nova compute endpoint is not in service catalog."
    )


def test_without_a_catalog_nothing_is_refused_for_its_service() -> None:
    with pytest.raises(HeatError) as refused:
        build_stack_state(
            {"stack_name": "s", "template": template(q="OS::Zaqar::Queue")}, "p", "u", "i"
        )
    assert refused.value.message == "The Resource Type (OS::Zaqar::Queue) could not be found."


def test_the_token_catalog_header_gives_the_service_types() -> None:
    header = json.dumps([{"type": "compute", "endpoints": []}, {"type": "network"}, {}])
    assert catalog_types(header) == frozenset({"compute", "network"})
    assert catalog_types(None) is None
    assert catalog_types("not json") is None


def test_an_updates_template_types_are_checked_too() -> None:
    refuse_unavailable(["OS::Heat::None", "OS::Nova::Server"], MINICLOUD)
    with pytest.raises(HeatError) as refused:
        refuse_unavailable(["OS::Heat::None", "OS::Swift::Container"], MINICLOUD)
    assert refused.value.error_type == "ResourceTypeUnavailable"
