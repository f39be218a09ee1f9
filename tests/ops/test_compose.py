"""docker-compose.yml is a valid Compose file (by the specification's JSON schema) of the topology
the docs promise, and its shared settings file is valid for our Settings."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from service.settings import Settings
from tests.conftest import REPO

COMPOSE = REPO / "docker-compose.yml"
# Vendored from the check-jsonschema package (compose-spec's own schema, Apache-2.0).
SCHEMA = REPO / "deploy" / "schema" / "compose-spec.json"
SETTINGS_FILE = REPO / "deploy" / "heat-temporal.toml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_compose_file_is_valid_by_the_compose_specification_schema(
    compose: dict[str, Any],
) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_rejects_what_compose_would_reject() -> None:
    # The check above is only worth something if the schema is strict: a misspelt key fails.
    schema = json.loads(SCHEMA.read_text())
    broken = {"services": {"api": {"image": "x", "replicas": 2}}}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_two_api_and_two_worker_replicas_are_built_from_the_one_dockerfile(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    for name, module in (("api", "api"), ("worker", "worker")):
        service = services[name]
        assert service["build"] == "."
        assert service["deploy"]["replicas"] == 2
        assert service["command"] == ["python", "-m", module]
    assert services["migrate"]["build"] == "."
    assert services["migrate"]["command"] == ["python", "-m", "service.cli", "migrate"]
    assert (REPO / "Dockerfile").exists()


def test_temporal_runs_on_postgresql_with_its_ui_and_keystone_is_there(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    temporal = services["temporal"]
    assert temporal["image"].startswith("temporalio/auto-setup:")
    assert temporal["environment"]["DB"] == "postgres12"
    assert services[temporal["environment"]["POSTGRES_SEEDS"]]["image"].startswith("postgres:")
    assert services["temporal-ui"]["image"].startswith("temporalio/ui:")
    assert services["temporal-ui"]["environment"]["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert (REPO / services["keystone"]["build"] / "Dockerfile").exists()


def test_every_long_running_service_has_a_health_check_and_starts_after_what_it_needs(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    for name, service in services.items():
        if name not in ("migrate", "temporal-ui"):
            assert "healthcheck" in service, name
    # The API is ready only when its dependencies are: its probe is /readyz.
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])
    for name in ("api", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["temporal"]["condition"] == "service_healthy"
        assert needs["listings-db"]["condition"] == "service_healthy"


def test_every_heat_temporal_container_reads_the_one_shared_settings_file(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    config = compose["configs"]["heat-temporal-settings"]
    assert (REPO / config["file"]).resolve() == SETTINGS_FILE.resolve()
    for name in ("api", "worker", "migrate"):
        service = services[name]
        target = service["environment"]["HEAT_TEMPORAL_SETTINGS_FILE"]
        assert {"source": "heat-temporal-settings", "target": target} in service["configs"]


def test_the_shared_settings_file_is_valid_and_points_at_the_compose_services(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in list(os.environ):
        if variable.startswith("HEAT_TEMPORAL_"):
            monkeypatch.delenv(variable)
    monkeypatch.setenv("HEAT_TEMPORAL_SETTINGS_FILE", str(SETTINGS_FILE))
    settings = Settings()
    services = compose["services"]
    assert settings.temporal_target.split(":")[0] in services
    assert settings.database_url is not None
    assert "@listings-db:" in settings.database_url
    assert settings.api_host == "0.0.0.0"
    # The health check probes the port the settings make the API listen on.
    assert f":{settings.api_port}/readyz" in " ".join(services["api"]["healthcheck"]["test"])
    assert f":{settings.worker_metrics_port}/metrics" in " ".join(
        services["worker"]["healthcheck"]["test"]
    )
    # Every key in the file is a setting (a misspelt key would be silently ignored).
    keys = set(tomllib.loads(SETTINGS_FILE.read_text()))
    assert keys <= set(Settings.model_fields), keys - set(Settings.model_fields)


def test_the_keystone_image_files_exist(compose: dict[str, Any]) -> None:
    keystone = Path(REPO / compose["services"]["keystone"]["build"])
    dockerfile = (keystone / "Dockerfile").read_text()
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            assert (keystone / line.split()[1]).exists(), line
