"""The API's and worker's log lines of a real run: JSON, with their context, and no secrets."""

from __future__ import annotations

import uuid

from service.logging_setup import redact
from tests.conftest import wait_until
from tests.ops.conftest import OpsService

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "parameters": {"db_password": {"type": "string", "hidden": True}},
    "resources": {
        "stored": {
            "type": "OS::Heat::TestResource",
            "properties": {"value": {"get_param": "db_password"}},
        },
    },
}
FAILING = {
    "heat_template_version": "2018-08-31",
    "resources": {"broken": {"type": "OS::Heat::TestResource", "properties": {"fail": True}}},
}


def test_every_log_line_is_json_with_request_project_stack_and_workflow_and_no_secret(
    ops_service: OpsService,
) -> None:
    project = f"logs-{uuid.uuid4().hex[:8]}"
    heat = ops_service.heat(project)
    secret = f"s3cret-{uuid.uuid4().hex}"
    name = f"logged-{uuid.uuid4().hex[:6]}"
    created = heat.post(
        "/stacks",
        {"stack_name": name, "template": TEMPLATE, "parameters": {"db_password": secret}},
    )
    assert created.status_code == 201, created.text
    request_id = created.headers["x-openstack-request-id"]
    stack_id = created.json()["stack"]["id"]
    heat.wait_status(name, stack_id, "CREATE_COMPLETE")
    bad_name = f"broken-{uuid.uuid4().hex[:6]}"
    bad_id = heat.create(bad_name, FAILING)["id"]
    heat.wait_status(bad_name, bad_id, "CREATE_FAILED")

    # The access line of the create carries the request id the client was given, and the project.
    api_lines = ops_service.log_lines("api")
    posts = [line for line in api_lines if line.get("request_id") == request_id]
    assert len(posts) == 1, posts
    assert posts[0]["project_id"] == project
    assert posts[0]["method"] == "POST" and posts[0]["status"] == 201
    # A request on the stack's own URL carries its stack id.
    shows = [
        line for line in api_lines if line.get("path") == f"/v1/{project}/stacks/{name}/{stack_id}"
    ]
    assert shows and all(line["stack_id"] == stack_id for line in shows)
    assert all(line["request_id"].startswith("req-") for line in api_lines if "path" in line)

    # The worker says when an operation ends and which resource failed, with its context.
    def worker_line(fragment: str) -> dict[str, object] | None:
        for line in ops_service.log_lines("worker"):
            if fragment in str(line["message"]):
                return line
        return None

    ended = wait_until(
        lambda: worker_line(f"stack {name} CREATE_COMPLETE"), 20, "the worker's line of the end"
    )
    assert ended["stack_id"] == stack_id
    assert ended["project_id"] == project
    assert str(ended["workflow_id"]).startswith(f"stack/{project}/{name}")
    failed = wait_until(lambda: worker_line("resource broken"), 20, "the failed resource's line")
    assert failed["level"] == "WARNING"
    assert failed["stack_id"] == bad_id and failed["project_id"] == project
    assert str(failed["message"]) == (
        "resource broken (OS::Heat::TestResource) create failed: "
        "ValueError: resources.broken: Test Resource failed broken"
    )

    # A hidden parameter's value is in no line of any process.
    assert secret not in ops_service.all_log_text()


def test_redaction_masks_passwords_tokens_and_url_credentials() -> None:
    line = (
        'connect postgresql+asyncpg://heat:hunter2@db:5432/heat {"admin_password": "pw1"} '
        "X-Auth-Token: gAAAAAB-token password=pw2"
    )
    masked = redact(line)
    for secret in ("hunter2", "pw1", "gAAAAAB-token", "pw2"):
        assert secret not in masked
    assert "postgresql+asyncpg://heat:***@db:5432/heat" in masked
