"""Without codec keys, /codec/decode still opens the large payloads the engine compressed,
so the Temporal UI can show them; a body that is not Temporal's payloads JSON gets a 400."""

from __future__ import annotations

import asyncio

import requests
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from service.codec import COMPRESS_OVER_BYTES, CompressionCodec
from tests.conftest import Service


def test_the_codec_endpoint_opens_compressed_payloads_without_keys(service: Service) -> None:
    original = Payload(
        metadata={"encoding": b"json/plain"}, data=b'"' + b"s" * COMPRESS_OVER_BYTES + b'"'
    )
    compressed = asyncio.run(CompressionCodec().encode([original]))[0]
    assert compressed.metadata["encoding"] == b"binary/zlib"
    body = json_format.MessageToJson(Payloads(payloads=[compressed]))
    response = requests.post(
        service.url + "/codec/decode",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    decoded = json_format.Parse(response.text, Payloads())
    assert list(decoded.payloads) == [original]

    refused = requests.post(service.url + "/codec/decode", data=b"\xff", timeout=30)
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith("Invalid payloads")
