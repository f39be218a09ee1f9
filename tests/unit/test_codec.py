"""The payload codec: what it seals only its keys open, and keys rotate by key id."""

from __future__ import annotations

import asyncio
import base64

import pytest
from temporalio.api.common.v1 import Payload

from service.codec import CodecKeyError, EncryptionCodec, codec_from_settings, new_key
from service.codec_settings import CodecSettings

SECRET = b'{"password": "correct horse battery staple"}'


def plain(data: bytes = SECRET) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=data)


def codec(primary: str, **keys: str) -> EncryptionCodec:
    return EncryptionCodec({k: base64.b64decode(v) for k, v in keys.items()}, primary)


def test_a_sealed_payload_shows_nothing_and_opens_to_the_original() -> None:
    c = codec("k1", k1=new_key())
    sealed = asyncio.run(c.encode([plain()]))[0]
    assert sealed.metadata["encoding"] == b"binary/encrypted"
    assert sealed.metadata["encryption-key-id"] == b"k1"
    assert b"horse" not in sealed.data and b"json/plain" not in sealed.data
    assert asyncio.run(c.decode([sealed]))[0] == plain()


def test_the_same_payload_seals_differently_each_time() -> None:
    c = codec("k1", k1=new_key())
    assert c.seal(plain()).data != c.seal(plain()).data


def test_rotation_seals_with_the_new_key_and_still_opens_the_old() -> None:
    old_key, new = new_key(), new_key()
    before = codec("old", old=old_key).seal(plain())
    rotated = codec("new", old=old_key, new=new)
    assert rotated.open(before) == plain()
    after = rotated.seal(plain())
    assert after.metadata["encryption-key-id"] == b"new"
    # Once the old key is dropped, what it sealed no longer opens; the new payloads do.
    retired = codec("new", new=new)
    assert retired.open(after) == plain()
    with pytest.raises(CodecKeyError, match="unknown codec key 'old'"):
        retired.open(before)


def test_a_tampered_or_relabelled_payload_is_refused() -> None:
    k1, k2 = new_key(), new_key()
    c = codec("k1", k1=k1, k2=k2)
    sealed = c.seal(plain())
    tampered = Payload(metadata=dict(sealed.metadata), data=sealed.data[:-1] + b"\x00")
    with pytest.raises(CodecKeyError):
        c.open(tampered)
    relabelled = Payload(metadata={**sealed.metadata, "encryption-key-id": b"k2"}, data=sealed.data)
    with pytest.raises(CodecKeyError):
        c.open(relabelled)


def test_payloads_from_before_encryption_pass_through() -> None:
    assert codec("k1", k1=new_key()).open(plain()) == plain()


def test_settings_make_the_codec() -> None:
    assert codec_from_settings(CodecSettings(), warn=False) is None
    one = codec_from_settings(CodecSettings(keys={"a": new_key()}))
    assert one is not None and one.primary_key_id == "a"
    with pytest.raises(ValueError, match="primary_key_id"):
        codec_from_settings(CodecSettings(keys={"a": new_key(), "b": new_key()}))
    with pytest.raises(ValueError, match="32 bytes"):
        codec_from_settings(CodecSettings(keys={"a": base64.b64encode(b"short").decode()}))
