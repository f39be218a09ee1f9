"""Connecting to Temporal with our data converter, and registering our search attributes."""

from __future__ import annotations

import asyncio
import dataclasses
import time

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)
from temporalio.runtime import Runtime

from service.codec import CompressionCodec
from workflows.ids import SEARCH_ATTRIBUTE_NAMES


def data_converter(payload_codec: PayloadCodec | None = None) -> DataConverter:
    """Pydantic payloads; with a codec, payloads and failure messages are encoded by it.

    Without one, large payloads are still compressed (service/codec.py), so the state of a
    large nested stack fits Temporal's 2 MB payload limit.
    """
    if payload_codec is None:
        return dataclasses.replace(pydantic_data_converter, payload_codec=CompressionCodec())
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=payload_codec,
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


async def connect(
    target: str,
    namespace: str,
    deadline_secs: float = 30.0,
    runtime: Runtime | None = None,
    payload_codec: PayloadCodec | None = None,
) -> Client:
    """Connect, retrying until the server answers or the deadline passes.

    A `runtime` with telemetry makes the SDK export its own metrics (service/worker_metrics.py);
    a `payload_codec` encrypts what Temporal stores (service/codec.py).
    """
    deadline = time.monotonic() + deadline_secs
    converter = data_converter(payload_codec)
    while True:
        try:
            return await Client.connect(
                target, namespace=namespace, data_converter=converter, runtime=runtime
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
