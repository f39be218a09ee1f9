"""The largest workflow history (bytes, events) and payload of a project, read from Temporal."""

from __future__ import annotations

from typing import Any

from temporalio.api.enums.v1 import EventType

from service.temporal import connect


async def history_sizes(target: str, project: str) -> dict[str, Any]:
    """The largest history (bytes, events) and the largest single payload of the project."""
    client = await connect(target, "default")
    largest: dict[str, Any] = {"history_bytes": 0, "history_events": 0, "payload_bytes": 0}
    async for run in client.list_workflows(f'ProjectId = "{project}"'):
        history = await client.get_workflow_handle(run.id, run_id=run.run_id).fetch_history()
        size = sum(event.ByteSize() for event in history.events)
        if size > largest["history_bytes"]:
            largest.update(history_bytes=size, history_workflow=run.id)
        largest["history_events"] = max(largest["history_events"], len(history.events))
        for event in history.events:
            for payload_size in _payload_sizes(event):
                if payload_size > largest["payload_bytes"]:
                    largest.update(
                        payload_bytes=payload_size,
                        payload_event=EventType.Name(event.event_type),
                        payload_workflow=run.id,
                    )
    return largest


def _payload_sizes(message: Any) -> list[int]:
    """Sizes of every Payload inside a protobuf message, however deep."""
    sizes = []
    for _field, value in message.ListFields():
        if hasattr(value, "ListFields"):
            values = [value]
        elif isinstance(value, str | bytes | int | float | bool):
            continue
        elif hasattr(value, "values") and callable(value.values):
            values = list(value.values())  # a map field, e.g. search attributes
        else:
            values = list(value)  # a repeated field
        for item in values:
            if not hasattr(item, "ListFields"):
                continue
            if type(item).__name__ == "Payload":
                sizes.append(item.ByteSize())
            else:
                sizes.extend(_payload_sizes(item))
    return sizes
