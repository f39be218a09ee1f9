"""Connecting to Temporal with our data converter, and registering our search attributes."""

from __future__ import annotations

import asyncio
import time

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime

from workflows.ids import SEARCH_ATTRIBUTE_NAMES


async def connect(
    target: str, namespace: str, deadline_secs: float = 30.0, runtime: Runtime | None = None
) -> Client:
    """Connect, retrying until the server answers or the deadline passes.

    A `runtime` with telemetry makes the SDK export its own metrics (service/worker_metrics.py).
    """
    deadline = time.monotonic() + deadline_secs
    while True:
        try:
            return await Client.connect(
                target,
                namespace=namespace,
                data_converter=pydantic_data_converter,
                runtime=runtime,
            )
        except RuntimeError as error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"Temporal at {target} is unreachable: {error}") from error
            await asyncio.sleep(0.25)


async def ensure_search_attributes(client: Client, namespace: str) -> None:
    """Register StackId, StackName, ... as Keyword attributes where the server lacks them.

    A workflow that upserts an attribute the server does not know retries forever, so this
    runs before the worker polls.
    """
    existing = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    missing = {
        name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
        for name in SEARCH_ATTRIBUTE_NAMES
        if name not in existing.custom_attributes
    }
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
        )
