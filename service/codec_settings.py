"""Settings of the payload codec that encrypts what the engine stores in Temporal."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr


class CodecSettings(BaseModel):
    """AES-256-GCM keys by key id. New payloads are sealed with `primary_key_id`; any listed
    key opens old ones, so rotating is: add a key, make it primary, drop the old one once no
    running workflow still holds payloads sealed with it."""

    keys: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="key id -> 32 random bytes, base64; empty leaves payloads unencrypted",
    )
    primary_key_id: str | None = Field(
        None, description="The key new payloads are sealed with; default: the only key"
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8233", "http://localhost:8233"],
        description="Origins (the Temporal UI) allowed to call /codec/encode and /codec/decode",
    )
