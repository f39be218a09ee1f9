"""Secrets stay secret: Temporal's stored history holds no parameter or generated value in
plain text, the API shows hidden parameters as ******, and a cloud admin decodes through the
codec endpoint."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from google.protobuf import json_format
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload, Payloads

from service.codec import EncryptionCodec
from service.temporal import connect
from tests.conftest import wait_until
from tests.security.conftest import Cloud, caller

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "parameters": {"db_password": {"type": "string", "hidden": True}},
    "resources": {
        "generated": {"type": "OS::Heat::RandomString", "properties": {"length": 32}},
        "holder": {
            "type": "OS::Heat::Value",
            "properties": {"value": {"get_param": "db_password"}},
        },
    },
    "outputs": {"generated": {"value": {"get_attr": ["generated", "value"]}}},
}


def payloads_in(message: Message) -> Iterator[Payload]:
    """Every Payload inside a history event, except search attributes (which are indexed
    in plain by design: ids, names and statuses, never secrets)."""
    for descriptor, value in message.ListFields():
        if descriptor.name == "search_attributes":
            continue
        if descriptor.name == "details" and getattr(message, "marker_name", "") == "core_patch":
            # A workflow.patched() marker: the patch id (a name of our code), written by the
            # SDK core outside the codec.
            continue
        if descriptor.name == "details" and getattr(message, "marker_name", "") == (
            "core_local_activity"
        ):
            # A local activity's marker: the SDK core's own bookkeeping ("data": activity
            # type, sequence, times) is written outside the codec; the "result" is not.
            value = {k: v for k, v in value.items() if k != "data"}
        if descriptor.message_type is None:
            continue
        if isinstance(value, Payload):
            yield value
        elif isinstance(value, Message):
            yield from payloads_in(value)
        else:  # a repeated field or a map of messages
            for item in value.values() if hasattr(value, "values") else value:
                if isinstance(item, Payload):
                    yield item
                elif isinstance(item, Message):
                    yield from payloads_in(item)


async def stored_histories(target: str, stack_id: str) -> list[Any]:
    """The histories as Temporal stores them, read without our codec."""
    client = await connect(target, "default")
    histories = []
    async for execution in client.list_workflows(f'StackId = "{stack_id}"'):
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        histories.append(await handle.fetch_history())
    return histories


@pytest.fixture(scope="module")
def secret_stack(cloud: Cloud) -> dict[str, str]:
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    name = f"secretive-{uuid.uuid4().hex[:6]}"
    password = f"pw-{uuid.uuid4().hex}"
    created = member.call(
        "POST",
        f"/v1/{cloud.project_a}/stacks",
        {"stack_name": name, "template": TEMPLATE, "parameters": {"db_password": password}},
    )
    assert created.status_code == 201, created.text
    path = f"/v1/{cloud.project_a}/stacks/{name}/{created.json()['stack']['id']}"
    shown = wait_until(
        lambda: (
            (s := member.call("GET", path).json()["stack"])["stack_status"] == "CREATE_COMPLETE"
            and s
        ),
        60,
        "the stack to be created",
    )
    generated = shown["outputs"][0]["output_value"]
    assert len(generated) == 32
    return {"id": shown["id"], "path": path, "password": password, "generated": generated}


def test_hidden_parameters_show_as_stars(cloud: Cloud, secret_stack: dict[str, str]) -> None:
    member = caller(cloud, cloud.token(cloud.member, cloud.project_a))
    stack = member.call("GET", secret_stack["path"]).json()["stack"]
    assert stack["parameters"]["db_password"] == "******"
    assert secret_stack["password"] not in member.call("GET", secret_stack["path"]).text


def test_no_secret_is_stored_in_plain_text_in_temporal(
    cloud: Cloud, secret_stack: dict[str, str], temporal_target: str
) -> None:
    histories = asyncio.run(stored_histories(temporal_target, secret_stack["id"]))
    assert len(histories) >= 2  # the entity and its create operation
    secrets = [secret_stack["password"].encode(), secret_stack["generated"].encode()]
    codec = EncryptionCodec({"k1": base64.b64decode(cloud.codec_key)}, "k1")
    opened: list[bytes] = []
    count = 0
    for history in histories:
        raw = b"".join(event.SerializeToString() for event in history.events)
        for secret in secrets:
            assert secret not in raw
            assert base64.b64encode(secret) not in raw
        for event in history.events:
            for payload in payloads_in(event):
                count += 1
                assert payload.metadata["encoding"] == b"binary/encrypted", (
                    event.event_type,
                    payload.data[:200],
                )
                opened.append(codec.open(payload).SerializeToString())
    # The values are there, sealed: our key opens them (so the scan looked in the right place).
    assert count > 10
    for secret in secrets:
        assert any(secret in data for data in opened)


def test_an_admin_decodes_history_payloads_through_the_codec_endpoint(
    cloud: Cloud, secret_stack: dict[str, str], temporal_target: str
) -> None:
    histories = asyncio.run(stored_histories(temporal_target, secret_stack["id"]))
    sealed = [p for h in histories for e in h.events for p in payloads_in(e)]
    body = json_format.MessageToDict(Payloads(payloads=sealed))
    admin_token = cloud.token(cloud.admin, cloud.project_a)
    # The Temporal UI and CLI send the token as a bearer token, from the UI's origin.

    response = requests.post(
        cloud.api.url + "/codec/decode",
        json=body,
        headers={
            "Authorization": f"Bearer {admin_token}",
            "Origin": "http://localhost:8233",
            "X-Namespace": "default",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:8233"
    decoded = json_format.ParseDict(response.json(), Payloads())
    assert all(p.metadata["encoding"] != b"binary/encrypted" for p in decoded.payloads)
    assert any(secret_stack["password"].encode() in p.data for p in decoded.payloads)

    # encode then decode gives back what was sent
    admin = caller(cloud, admin_token)
    original = Payloads(payloads=[Payload(metadata={"encoding": b"json/plain"}, data=b'"x"')])
    encoded = admin.call("POST", "/codec/encode", json_format.MessageToDict(original))
    assert encoded.status_code == 200, encoded.text
    assert "eCI" not in encoded.text  # base64 of "x" and its quotes is not in the sealed form
    again = admin.call("POST", "/codec/decode", encoded.json())
    assert json_format.ParseDict(again.json(), Payloads()) == original


def test_the_ui_origin_may_preflight_the_codec_endpoint(cloud: Cloud) -> None:

    response = requests.options(
        cloud.api.url + "/codec/decode",
        headers={
            "Origin": "http://localhost:8233",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-namespace,authorization",
        },
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:8233"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    other = requests.options(
        cloud.api.url + "/codec/decode", headers={"Origin": "http://evil.example"}, timeout=30
    )
    assert "Access-Control-Allow-Origin" not in other.headers
