"""The life-cycle commands of the openstack CLI, run for real: update, dry-run, actions, cancel."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import yaml

from tests.conftest import Service, wait_until
from tests.integration.test_openstack_cli import openstack

TEMPLATE = {
    "heat_template_version": "2018-08-31",
    "parameters": {
        "v": {"type": "string", "default": "one"},
        "update_wait": {"type": "number", "default": 0},
    },
    "resources": {
        "t": {
            "type": "OS::Heat::TestResource",
            "properties": {
                "value": {"get_param": "v"},
                "action_wait_secs": {"update": {"get_param": "update_wait"}},
            },
        },
        "n": {"type": "OS::Heat::None"},
    },
    "outputs": {"value": {"value": {"get_attr": ["t", "output"]}}},
}


def test_update_dry_run_actions_and_cancel_through_the_cli(
    service: Service, tmp_path: Path
) -> None:
    project = f"cli{uuid.uuid4().hex[:6]}"
    template = tmp_path / "life.yaml"
    template.write_text(yaml.safe_dump(TEMPLATE))
    t = str(template)
    openstack(service, project, "stack", "create", "-t", t, "--wait", "life")

    dry = openstack(
        service,
        project,
        "stack",
        "update",
        "-t",
        t,
        "--parameter",
        "v=two",
        "--dry-run",
        "-f",
        "json",
        "life",
    )
    changes = json.loads(dry)
    assert [r["resource_name"] for r in changes["updated"]] == ["t"]
    assert [r["resource_name"] for r in changes["unchanged"]] == ["n"]

    updated = openstack(
        service, project, "stack", "update", "-t", t, "--parameter", "v=two", "--wait", "life"
    )
    assert "UPDATE_COMPLETE" in updated
    value = openstack(
        service,
        project,
        "stack",
        "output",
        "show",
        "life",
        "value",
        "-f",
        "value",
        "-c",
        "output_value",
    )
    assert value.strip() == "two"

    patched = openstack(
        service,
        project,
        "stack",
        "update",
        "--existing",
        "--parameter",
        "v=three",
        "--wait",
        "life",
    )
    assert "UPDATE_COMPLETE" in patched

    for action, status in (
        ("suspend", "SUSPEND_COMPLETE"),
        ("resume", "RESUME_COMPLETE"),
        ("check", "CHECK_COMPLETE"),
    ):
        out = openstack(service, project, "stack", action, "--wait", "life")
        assert status in out, out

    openstack(
        service,
        project,
        "stack",
        "update",
        "--existing",
        "--parameter",
        "v=four",
        "--parameter",
        "update_wait=60",
        "life",
    )
    cancelled = openstack(service, project, "stack", "cancel", "--wait", "life")
    assert "ROLLBACK_COMPLETE" in cancelled, cancelled
    value = openstack(
        service,
        project,
        "stack",
        "output",
        "show",
        "life",
        "value",
        "-f",
        "value",
        "-c",
        "output_value",
    )
    assert value.strip() == "three"
    snap = json.loads(
        openstack(
            service, project, "stack", "snapshot", "create", "--name", "s1", "-f", "json", "life"
        )
    )
    listed = openstack(
        service, project, "stack", "snapshot", "list", "-f", "value", "-c", "name", "life"
    )
    assert listed.split() == ["s1"]
    shown = json.loads(
        openstack(service, project, "stack", "snapshot", "show", "-f", "json", "life", snap["ID"])
    )
    assert shown["snapshot"]["status"] == "COMPLETE"
    openstack(service, project, "stack", "snapshot", "restore", "life", snap["ID"])
    wait_until(
        lambda: (
            openstack(
                service, project, "stack", "show", "life", "-f", "value", "-c", "stack_status"
            ).strip()
            == "RESTORE_COMPLETE"
        ),
        60,
        "the restore",
    )
    openstack(service, project, "stack", "snapshot", "delete", "--yes", "life", snap["ID"])

    exported = tmp_path / "export.json"
    openstack(service, project, "stack", "export", "--output-file", str(exported), "life")
    assert set(json.loads(exported.read_text())["resources"]) == {"t", "n"}
    abandoned = tmp_path / "abandon.json"
    openstack(service, project, "stack", "abandon", "--output-file", str(abandoned), "life")
    adopted = openstack(
        service, project, "stack", "adopt", "--adopt-file", str(abandoned), "--wait", "life"
    )
    assert "ADOPT_COMPLETE" in adopted, adopted
    value = openstack(
        service,
        project,
        "stack",
        "output",
        "show",
        "life",
        "value",
        "-f",
        "value",
        "-c",
        "output_value",
    )
    assert value.strip() == "three"
    openstack(service, project, "stack", "delete", "--yes", "--wait", "life")
