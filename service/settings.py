"""The one typed settings object, read from HEAT_TEMPORAL_* environment variables or a TOML file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from service.cloud_settings import CloudSettings
from service.codec_settings import CodecSettings
from service.keystone_settings import KeystoneSettings


def _settings_file() -> Path | None:
    path = os.environ.get("HEAT_TEMPORAL_SETTINGS_FILE")
    return Path(path) if path else None


class Settings(BaseSettings):
    """Every option has an environment variable (HEAT_TEMPORAL_<NAME>) and a file key (<name>)."""

    model_config = SettingsConfigDict(
        env_prefix="HEAT_TEMPORAL_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = Field(Path("data"), description="Where the embedded default keeps its files")
    api_host: str = Field("127.0.0.1", description="Address the API listens on")
    api_port: int = Field(8004, description="Port the API listens on")
    temporal_address: str | None = Field(
        None, description="host:port of an external Temporal; unset runs the embedded dev server"
    )
    temporal_host: str = Field("127.0.0.1", description="Address of the embedded dev server")
    temporal_port: int = Field(7233, description="gRPC port of the embedded dev server")
    temporal_ui_port: int = Field(8233, description="Web UI port of the embedded dev server")
    temporal_namespace: str = Field("default", description="Temporal namespace")
    task_queue: str = Field("heat-temporal", description="Temporal task queue of the worker")
    database_url: str | None = Field(
        None, description="SQLAlchemy async URL of the listings; default SQLite in data_dir"
    )
    auth_strategy: Literal["noauth", "keystone"] = Field(
        "noauth",
        description="noauth trusts the project id in the URL; keystone validates X-Auth-Token "
        "and enforces Heat's policy (docs/security.md)",
    )
    keystone_authtoken: KeystoneSettings = Field(
        default_factory=KeystoneSettings,
        description="A table (JSON in the environment): Keystone URLs, the service user that "
        "validates tokens and holds the trusts, memcached_servers, token_cache_time, "
        "policy_file (service/keystone_settings.py)",
    )
    codec: CodecSettings = Field(
        default_factory=CodecSettings,
        description="A table (JSON in the environment): keys (id -> base64 of 32 bytes), "
        "primary_key_id, cors_origins; encrypts what Temporal stores (docs/security.md)",
    )
    max_concurrent_resources: int = Field(
        200, ge=1, le=1000, description="Resource actions one operation runs at once"
    )
    max_stacks_per_page: int = Field(1000, description="Upper bound of `limit` on listings")
    cloud: CloudSettings = Field(
        default_factory=CloudSettings, description="The OpenStack cloud resources are made in"
    )
    max_resources_per_stack: int = Field(
        1000, ge=-1, description="Resources one template may define (-1: no limit), as upstream"
    )
    max_stack_state_bytes: int = Field(
        524288,
        ge=1,
        description="Largest definition (template, parameters, environment, files) of a stack, "
        "in bytes of its JSON: the engine must carry it within Temporal's 2 MB payload limit",
    )
    # Proof harnesses (chaos, fault injection): all off by default.
    fault_rate: float = Field(
        0.0, ge=0, le=1, description="Share of resource steps the worker fails on purpose"
    )
    fault_kind: Literal["transient", "permanent"] = Field(
        "transient", description="transient faults are retried; permanent ones fail the resource"
    )
    fault_types: list[str] = Field(
        default_factory=list, description="Resource types faults strike (empty: every type)"
    )
    fault_steps: list[str] = Field(
        default_factory=list, description="Steps faults strike, e.g. create (empty: every step)"
    )
    projection_fault_rate: float = Field(
        0.0, ge=0, le=1, description="Share of listing writes the worker fails on purpose"
    )
    resource_ledger: Path | None = Field(
        None, description="JSON-lines file recording every physical resource made and removed"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Lowest level of the log lines written"
    )
    log_format: Literal["auto", "json", "text"] = Field(
        "auto", description="auto: JSON lines when stderr is not a terminal, text when it is"
    )
    startup_timeout_secs: float = Field(
        30.0, gt=0, description="How long start-up waits for Temporal and the database"
    )
    metrics_host: str = Field(
        "127.0.0.1", description="Address the worker's and the SDK's metrics listen on"
    )
    worker_metrics_port: int | None = Field(
        None, description="Port of the worker's Prometheus /metrics; unset: not served"
    )
    temporal_metrics_port: int | None = Field(
        None, description="Port of the Temporal SDK's own Prometheus metrics; unset: not served"
    )
    temporal_ui_url: str | None = Field(
        None, description="Temporal UI base URL the dashboard links to; default the dev server's"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Precedence: explicit arguments, then the environment, then the settings file.
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _settings_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def temporal_target(self) -> str:
        return self.temporal_address or f"{self.temporal_host}:{self.temporal_port}"

    @property
    def listings_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'listings.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
