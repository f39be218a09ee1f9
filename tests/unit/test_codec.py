"""The payload codec: what it seals only its keys open, and keys rotate by key id."""

from __future__ import annotations

import asyncio
import base64

import pytest
from temporalio.api.common.v1 import Payload

from service.codec import (
    COMPRESS_OVER_BYTES,
    CodecError,
    CodecKeyError,
    CompressionCodec,
    EncryptionCodec,
    codec_from_settings,
    new_key,
)
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


def big(size: int = COMPRESS_OVER_BYTES + 1) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=b'"' + b"x" * size + b'"')


def test_without_keys_small_payloads_stay_readable_and_large_ones_are_compressed() -> None:
    c = CompressionCodec()
    assert asyncio.run(c.encode([plain()])) == [plain()]
    compressed = asyncio.run(c.encode([big()]))[0]
    assert compressed.metadata["encoding"] == b"binary/zlib"
    assert len(compressed.data) < COMPRESS_OVER_BYTES // 100
    assert asyncio.run(c.decode([compressed, plain()])) == [big(), plain()]


def test_a_large_payload_compressed_before_keys_were_set_still_opens() -> None:
    compressed = asyncio.run(CompressionCodec().encode([big()]))[0]
    assert codec("k1", k1=new_key()).open(compressed) == big()


def test_a_corrupt_compressed_payload_is_refused_with_a_codec_error() -> None:
    corrupt = Payload(metadata={"encoding": b"binary/zlib"}, data=b"not zlib")
    with pytest.raises(CodecError, match="compressed payload does not open"):
        asyncio.run(CompressionCodec().decode([corrupt]))
