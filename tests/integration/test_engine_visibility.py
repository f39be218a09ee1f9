"""What an operator sees in Temporal: readable workflow ids and the stack search attributes."""

from __future__ import annotations

import asyncio
import uuid

from service.temporal import connect
from tests.conftest import HeatClient
from tests.integration.test_stack_api import SMOKE_TEMPLATE


async def workflows_of(target: str, stack_id: str) -> dict[str, dict[str, object]]:
    client = await connect(target, "default")
    found: dict[str, dict[str, object]] = {}
    async for execution in client.list_workflows(f'StackId = "{stack_id}"'):
        attributes = {
            key.name: value
            for key, value in ((pair.key, pair.value) for pair in execution.typed_search_attributes)
        }
        found[execution.id] = attributes
    return found


def test_every_workflow_of_a_stack_carries_its_search_attributes(
    heat: HeatClient, temporal_target: str
) -> None:
    name = f"visible{uuid.uuid4().hex[:6]}"
    project = heat.endpoint.rsplit("/", 1)[1]
    stack_id = heat.create(name, SMOKE_TEMPLATE)["id"]
    heat.wait_status(name, stack_id, "CREATE_COMPLETE")

    async def settled() -> dict[str, dict[str, object]]:
        # Visibility is eventually consistent: poll with a deadline.
        for _ in range(100):
            found = await workflows_of(temporal_target, stack_id)
            entity = found.get(f"stack/{project}/{name}", {})
            if len(found) == 2 and entity.get("StackStatus") == "COMPLETE":
                return found
            await asyncio.sleep(0.1)
        return await workflows_of(temporal_target, stack_id)

    found = asyncio.run(settled())
    assert set(found) == {f"stack/{project}/{name}", f"stack/{project}/{name}/{stack_id}/create-1"}
    for attributes in found.values():
        assert attributes["StackName"] == name
        assert attributes["ProjectId"] == project
        assert attributes["StackAction"] == "CREATE"
        assert attributes["StackStatus"] == "COMPLETE"
        assert attributes["ParentStackId"] == ""
