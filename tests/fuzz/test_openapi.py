"""/openapi.json describes every route the API serves, and is a valid OpenAPI 3 document."""

from __future__ import annotations

import requests
import schemathesis
from aiohttp import web
from schemathesis.core.result import Ok

from api.app import add_routes
from api.openapi import OPERATIONS, document, routes_of
from tests.conftest import Service

OPERATOR_PATHS = {
    "/healthz",
    "/readyz",
    "/metrics",
    "/dashboard",
    "/dashboard/static",
    "/v1/{tenant}/stacks/{stack_name}/{stack_id}/workflows",
    "/codec/encode",
    "/codec/decode",
    "/codec/{operation}",
}


def app_routes() -> set[tuple[str, str]]:
    app = web.Application()
    add_routes(app)
    return routes_of(app)


def test_every_route_is_documented_and_every_entry_is_a_route() -> None:
    routes = app_routes()
    assert ("GET", "/v1/{tenant}/stacks/{stack_name}/{stack_id}") in routes
    assert routes - set(OPERATIONS) == set(), "routes missing from api/openapi.py OPERATIONS"
    # The rest are the operators' routes create_app adds beside the Heat API.
    assert {path for _, path in set(OPERATIONS) - routes} == OPERATOR_PATHS


def test_the_document_lists_each_route_with_its_methods() -> None:
    app = web.Application()
    add_routes(app)
    doc = document(app)
    listed = {
        (method.upper(), path) for path, methods in doc["paths"].items() for method in methods
    }
    assert listed == app_routes()
    assert all(
        op["summary"] != "Undocumented"
        for methods in doc["paths"].values()
        for op in methods.values()
    )


def test_the_service_serves_a_valid_openapi_document(service: Service) -> None:
    served = requests.get(service.url + "/openapi.json", timeout=30).json()
    documented = {
        (method.upper(), path) for path, methods in served["paths"].items() for method in methods
    }
    # Every route the running service answers, the operators' ones too, with its details.
    assert documented == set(OPERATIONS)
    assert all(
        op["summary"] != "Undocumented"
        for methods in served["paths"].values()
        for op in methods.values()
    )
    # Schemathesis reads it (every operation but the document itself, which it leaves out).
    schema = schemathesis.openapi.from_url(service.url + "/openapi.json")
    results = list(schema.get_all_operations())
    assert all(isinstance(r, Ok) for r in results), results
    operations = {(r.ok().method.upper(), r.ok().path) for r in results if isinstance(r, Ok)}
    assert operations == documented - {("GET", "/openapi.json")}
    create = served["paths"]["/v1/{tenant}/stacks"]["post"]["requestBody"]["content"]
    assert create["application/json"]["schema"]["required"] == ["stack_name"]
