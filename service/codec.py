"""The payload codecs: large payloads are compressed always; with keys, every payload is sealed."""

from __future__ import annotations

import base64
import logging
import os
import zlib
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from service.codec_settings import CodecSettings

log = logging.getLogger("heat_temporal.codec")

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
COMPRESSION = "compression"
_NONCE_BYTES = 12
COMPRESSED_ENCODING = b"binary/zlib"
# Temporal refuses a payload over 2 MB (and a workflow task that carries one never completes:
# the stack stays IN_PROGRESS). States of large nested stacks pass that uncompressed but
# shrink about tenfold, so payloads over this size are compressed even without keys; smaller
# ones stay as they are, readable in the Temporal UI.
COMPRESS_OVER_BYTES = 256 * 1024


def compress(payload: Payload) -> Payload:
    """The payload compressed whole (its metadata too) when it is large, else unchanged."""
    raw = payload.SerializeToString()
    if len(raw) <= COMPRESS_OVER_BYTES:
        return payload
    return Payload(metadata={"encoding": COMPRESSED_ENCODING}, data=zlib.compress(raw, 6))


def decompress(payload: Payload) -> Payload:
    """The original of a payload `compress` made; any other payload unchanged."""
    if payload.metadata.get("encoding") != COMPRESSED_ENCODING:
        return payload
    try:
        return Payload.FromString(zlib.decompress(payload.data))
    except (zlib.error, DecodeError) as error:
        raise CodecError(f"compressed payload does not open: {error}") from error


class CompressionCodec(PayloadCodec):
    """The codec without keys: only large payloads change, so they fit Temporal's limits."""

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [compress(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [decompress(p) for p in payloads]


class CodecError(Exception):
    """A payload that does not open."""


class CodecKeyError(CodecError):
    """A payload sealed with a key this process does not have, or one that fails to open."""


def _key_bytes(key_id: str, encoded: str) -> bytes:
    key = base64.b64decode(encoded, validate=True)
    if len(key) != 32:
        raise ValueError(f"codec key {key_id!r} must be 32 bytes (base64), not {len(key)}")
    return key


class EncryptionCodec(PayloadCodec):
    """Seals with the primary key and names it in the payload's metadata, so any listed key
    can open what it sealed: rotation is adding a key and making it primary.

    The whole original payload (its metadata too: the encoding and the pydantic type) is
    compressed (zlib: templates and states compress several times) and then encrypted, with
    the key id as associated data so a payload cannot be replayed under another key's name.
    """

    def __init__(self, keys: dict[str, bytes], primary_key_id: str) -> None:
        if primary_key_id not in keys:
            raise ValueError(f"the primary codec key {primary_key_id!r} is not among the keys")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._primary = primary_key_id

    @property
    def primary_key_id(self) -> str:
        return self._primary

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.seal(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.open(p) for p in payloads]

    def seal(self, payload: Payload) -> Payload:
        plain = zlib.compress(payload.SerializeToString(), 6)
        nonce = os.urandom(_NONCE_BYTES)
        key_id = self._primary.encode()
        sealed = self._ciphers[self._primary].encrypt(nonce, plain, key_id)
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: key_id, COMPRESSION: b"zlib"},
            data=nonce + sealed,
        )

    def open(self, payload: Payload) -> Payload:
        # Payloads written before encryption was turned on pass through as they are (the
        # large ones were compressed then).
        if payload.metadata.get("encoding") != ENCODING:
            return decompress(payload)
        key_id = payload.metadata.get(KEY_ID, b"").decode()
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise CodecKeyError(f"payload sealed with unknown codec key {key_id!r}")
        nonce, sealed = payload.data[:_NONCE_BYTES], payload.data[_NONCE_BYTES:]
        try:
            plain = cipher.decrypt(nonce, sealed, key_id.encode())
        except Exception as error:  # cryptography's InvalidTag: wrong key or tampered
            raise CodecKeyError(f"payload does not open with codec key {key_id!r}") from error
        if payload.metadata.get(COMPRESSION) == b"zlib":
            plain = zlib.decompress(plain)
        return Payload.FromString(plain)


def codec_from_settings(settings: CodecSettings, warn: bool = True) -> EncryptionCodec | None:
    """The codec the settings configure, or None (and a loud warning) when they hold no key."""
    if not settings.keys:
        if warn:
            log.warning(
                "PAYLOADS ARE NOT ENCRYPTED (no codec keys): parameters, hidden values and "
                "generated secrets sit in plain text in Temporal's history"
            )
        return None
    keys = {k: _key_bytes(k, v.get_secret_value()) for k, v in settings.keys.items()}
    primary = settings.primary_key_id or (next(iter(keys)) if len(keys) == 1 else None)
    if primary is None:
        raise ValueError("several codec keys: say which one seals new payloads (primary_key_id)")
    return EncryptionCodec(keys, primary)


def new_key() -> str:
    """A fresh key, as the settings hold it (base64 of 32 random bytes)."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()
