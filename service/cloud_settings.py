"""How the worker reaches the OpenStack cloud: a clouds.yaml name or explicit Keystone auth."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr


class CloudSettings(BaseModel):
    """HEAT_TEMPORAL_CLOUD__<NAME> in the environment, [cloud] in the settings file.

    Either `name` picks a cloud of clouds.yaml (found as openstacksdk finds it, e.g. through
    OS_CLIENT_CONFIG_FILE), or `auth_url` with a user and project gives the credentials here.
    """

    name: str | None = Field(None, description="A cloud of clouds.yaml (OS_CLIENT_CONFIG_FILE)")
    auth_url: str | None = Field(None, description="Keystone v3 URL, when not using clouds.yaml")
    username: str | None = None
    password: SecretStr | None = None
    user_domain_name: str = "Default"
    project_name: str | None = None
    project_domain_name: str = "Default"
    region_name: str | None = Field(None, description="Region; default the cloud's own")
    interface: str = Field("public", description="Endpoint interface of the catalog")
    connect_retries: int = Field(3, ge=0, description="Retries of refused or timed-out calls")
    status_code_retries: int = Field(3, ge=0, description="Retries of 5xx answers (never 4xx)")
    timeout: float = Field(60.0, gt=0, description="Seconds one HTTP call may take")
    # What servers' HEAT_CFNTOOLS user data tells heat-cfntools (upstream's
    # heat_metadata_server_url and instance_connection_* options). Without a URL the
    # cfn-metadata-server and cfn-boto-cfg parts are left out: this service has no CFN API.
    cfn_metadata_server_url: str | None = Field(
        None, description="The CFN metadata server servers' cfn-init and cfn-hup reach"
    )
    instance_connection_is_secure: bool = Field(
        False, description="Whether servers reach the CFN server over HTTPS"
    )
    instance_connection_https_validate_certificates: str = Field(
        "1", description="Whether servers validate the CFN server's certificate (1 or 0)"
    )

    @property
    def configured(self) -> bool:
        """Whether resources can reach a cloud at all."""
        return bool(self.name or self.auth_url)
