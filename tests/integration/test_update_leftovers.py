"""An update that fails after replacing a resource, without rollback, must not forget the old
resource: a later update back takes it back (upstream's manual rollback), and a delete of the
stack removes it. Counted in the worker's resource ledger."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from activities.ledger import alive
from tests.conftest import HeatClient, make_service


def _template(replace_value: str, fail: bool = False) -> dict[str, Any]:
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "test1": {
                "type": "OS::Heat::TestResource",
                "properties": {"update_replace_value": replace_value, "fail": fail},
            }
        },
    }


@pytest.fixture(scope="module")
def ledgered(temporal_target: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data_dir = tmp_path_factory.mktemp("leftovers")
    ledger = data_dir / "ledger.jsonl"
    service = make_service(
        temporal_target, data_dir, extra_env={"HEAT_TEMPORAL_RESOURCE_LEDGER": str(ledger)}
    )
    try:
        yield service, ledger
    finally:
        service.stop()


def _alive_ids(ledger: Path, stack_id: str) -> set[str]:
    return {e.physical_id for e in alive(ledger).values() if e.stack_id == stack_id}


def _failed_replacement(heat: HeatClient) -> tuple[str, str, str]:
    name = f"left{uuid.uuid4().hex[:8]}"
    stack_id = heat.create(name, _template("1"))["id"]
    heat.wait_status(name, stack_id, "CREATE_COMPLETE")
    original = heat.get(f"/stacks/{name}/{stack_id}/resources/test1").json()["resource"]
    body: dict[str, Any] = {"template": _template("2", fail=True), "disable_rollback": True}
    response = heat.http.put(f"{heat.endpoint}/stacks/{name}/{stack_id}", json=body, timeout=60)
    assert response.status_code == 202, response.text
    heat.wait_status(name, stack_id, "UPDATE_FAILED")
    return name, stack_id, str(original["physical_resource_id"])


def test_an_update_back_takes_the_original_resource_back(ledgered: Any) -> None:
    service, ledger = ledgered
    heat = HeatClient(service.endpoint(f"p{uuid.uuid4().hex[:6]}"))
    name, stack_id, original = _failed_replacement(heat)
    assert original in _alive_ids(ledger, stack_id)

    body: dict[str, Any] = {"template": _template("1")}
    response = heat.http.put(f"{heat.endpoint}/stacks/{name}/{stack_id}", json=body, timeout=60)
    assert response.status_code == 202, response.text
    heat.wait_status(name, stack_id, "UPDATE_COMPLETE")
    shown = heat.get(f"/stacks/{name}/{stack_id}/resources/test1").json()["resource"]
    # The original was good and its replacement never made: it is kept.
    assert shown["physical_resource_id"] == original
    assert shown["resource_status"] == "COMPLETE" or shown["resource_status"].endswith("_COMPLETE")
    assert _alive_ids(ledger, stack_id) == {original}


def test_deleting_the_stack_removes_the_resource_a_failed_update_replaced(
    ledgered: Any,
) -> None:
    service, ledger = ledgered
    heat = HeatClient(service.endpoint(f"p{uuid.uuid4().hex[:6]}"))
    name, stack_id, original = _failed_replacement(heat)
    assert original in _alive_ids(ledger, stack_id)
    heat.http.delete(f"{heat.endpoint}/stacks/{name}/{stack_id}", timeout=60)
    heat.wait_status(name, stack_id, "DELETE_COMPLETE")
    assert _alive_ids(ledger, stack_id) == set()


def test_a_later_update_deletes_the_resource_a_failed_update_replaced(
    ledgered: Any,
) -> None:
    service, ledger = ledgered
    heat = HeatClient(service.endpoint(f"p{uuid.uuid4().hex[:6]}"))
    name, stack_id, original = _failed_replacement(heat)
    body: dict[str, Any] = {"template": _template("3")}
    response = heat.http.put(f"{heat.endpoint}/stacks/{name}/{stack_id}", json=body, timeout=60)
    assert response.status_code == 202, response.text
    heat.wait_status(name, stack_id, "UPDATE_COMPLETE")
    shown = heat.get(f"/stacks/{name}/{stack_id}/resources/test1").json()["resource"]
    assert _alive_ids(ledger, stack_id) == {shown["physical_resource_id"]}
    assert original not in _alive_ids(ledger, stack_id)
