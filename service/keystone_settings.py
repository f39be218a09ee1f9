"""Keystone settings: how the API validates tokens and how the engine acts through trusts."""

from __future__ import annotations

from typing import Any

from keystoneauth1.identity import v3
from pydantic import BaseModel, Field, SecretStr


class KeystoneSettings(BaseModel):
    """Upstream's `[keystone_authtoken]` options, plus the service user that holds trusts.

    The service user (`username` / `password` in `project_name`) is the identity
    keystonemiddleware validates tokens with, and the trustee of every stack's trust.
    """

    www_authenticate_uri: str = Field(
        "http://127.0.0.1:5000/v3",
        description="Keystone URL clients are sent to (the WWW-Authenticate header of a 401)",
    )
    auth_url: str = Field(
        "http://127.0.0.1:5000/v3", description="Keystone URL the service authenticates at"
    )
    auth_type: str = Field("password", description="keystoneauth1 plugin of the service user")
    username: str = Field("heat", description="The service user")
    password: SecretStr = Field(SecretStr(""), description="The service user's password")
    project_name: str = Field("service", description="The service user's project")
    user_domain_name: str = Field("Default", description="Domain of the service user")
    project_domain_name: str = Field("Default", description="Domain of the service project")
    region_name: str | None = Field(None, description="Keystone region, if any")
    memcached_servers: list[str] = Field(
        default_factory=list,
        description="host:port of memcached servers to share validated tokens; "
        "empty caches in each API process",
    )
    token_cache_time: int = Field(300, description="Seconds a validated token is cached")
    policy_file: str | None = Field(
        None, description="A YAML or JSON file overriding Heat's default policy rules"
    )

    def service_auth(self, trust_id: str | None = None) -> v3.Password:
        """The service user's password auth: scoped to its project, or by a trust (and, the
        trust being an impersonating one, then acting as its trustor in the trust's project)."""
        scope: dict[str, Any] = (
            {"trust_id": trust_id}
            if trust_id
            else {
                "project_name": self.project_name,
                "project_domain_name": self.project_domain_name,
            }
        )
        return v3.Password(
            auth_url=self.auth_url,
            username=self.username,
            password=self.password.get_secret_value(),
            user_domain_name=self.user_domain_name,
            **scope,
        )

    def middleware_conf(self) -> dict[str, str]:
        """The options as keystonemiddleware's auth_token reads them (a paste-style dict)."""
        conf = {
            "www_authenticate_uri": self.www_authenticate_uri,
            "auth_url": self.auth_url,
            "auth_type": self.auth_type,
            "username": self.username,
            "password": self.password.get_secret_value(),
            "project_name": self.project_name,
            "user_domain_name": self.user_domain_name,
            "project_domain_name": self.project_domain_name,
            "token_cache_time": str(self.token_cache_time),
            "delay_auth_decision": "false",
            "log_name": "heat_temporal.keystonemiddleware",
        }
        if self.region_name:
            conf["region_name"] = self.region_name
        if self.memcached_servers:
            conf["memcached_servers"] = ",".join(self.memcached_servers)
        return conf
