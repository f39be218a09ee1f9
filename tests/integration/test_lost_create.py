"""A stack entity whose create never reached it (the update lost after the start was recorded,
as when the Temporal server restarts in between) ends, so its name can be used again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from api.definition import build_stack_state
from service.temporal import connect
from tests.conftest import HeatClient, Service, wait_until
from workflows import ids
from workflows.stack import StackWorkflow
from workflows.types import StackStart, StackState

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "resources": {"one": {"type": "OS::Heat::None"}},
}


async def start_without_create(target: str, task_queue: str, state: StackState) -> str:
    """Start the entity as the API's update-with-start does, minus the update."""
    client = await connect(target, "default")
    handle = await client.start_workflow(
        StackWorkflow.run,
        StackStart(state=state, create_grace_secs=3),
        id=ids.entity_workflow_id(state.project_id, state.stack_name),
        task_queue=task_queue,
        search_attributes=ids.stack_search_attributes(
            state.stack_id, state.stack_name, state.project_id, "CREATE", "IN_PROGRESS", None
        ),
    )
    return str(handle.result_run_id)


async def first_run_result(target: str, workflow_id: str, run_id: str) -> StackState:
    client = await connect(target, "default")
    handle = client.get_workflow_handle(workflow_id, run_id=run_id, result_type=StackState)
    return await asyncio.wait_for(handle.result(), 60)


def test_an_entity_left_waiting_for_its_create_ends_and_frees_the_name(
    service: Service, temporal_target: str
) -> None:
    project = f"lost-{uuid.uuid4().hex[:8]}"
    heat = HeatClient(service.endpoint(project))
    name = f"lost{uuid.uuid4().hex[:6]}"
    body: dict[str, Any] = {"stack_name": name, "template": TEMPLATE}
    lost = build_stack_state(body, project, project, str(uuid.uuid4()))
    task_queue = service.env["HEAT_TEMPORAL_TASK_QUEUE"]
    run_id = asyncio.run(start_without_create(temporal_target, task_queue, lost))

    # While the entity waits, the name is taken though no stack is listed (before the fix this
    # lasted for ever: every create of the name answered 409).
    waiting = heat.post("/stacks", body)
    assert waiting.status_code == 409, waiting.text
    assert heat.get("/stacks").json()["stacks"] == []

    ended = asyncio.run(first_run_result(temporal_target, lost_id(project, name), run_id))
    assert (ended.stack_id, ended.action) == (lost.stack_id, "INIT")

    def created() -> dict[str, Any] | None:
        response = heat.post("/stacks", body)
        if response.status_code == 409:
            return None
        assert response.status_code == 201, response.text
        return dict(response.json()["stack"])

    stack = wait_until(created, 30, f"{name} to be creatable again")
    assert stack["id"] != lost.stack_id
    done = heat.wait_status(name, stack["id"], "CREATE_COMPLETE")
    assert [s["id"] for s in heat.get("/stacks").json()["stacks"]] == [done["id"]]


def lost_id(project: str, name: str) -> str:
    return ids.entity_workflow_id(project, name)
