"""Stack snapshots of cloud resources through the openstack CLI: a Cinder snapshot of each
volume and a Nova image of each server are taken, restored, removed with the stack snapshot
or the stack, and `deletion_policy: Snapshot` leaves one behind; checked by listing Cinder
and Glance."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path
from typing import Any

import yaml

from tests.cloud.conftest import WORKER_CLOUD, cloud_cli, heat_cli, leftovers, sdk_connection
from tests.conftest import HeatClient, Service, wait_until

TEMPLATE: dict[str, Any] = {
    "heat_template_version": "2018-08-31",
    "resources": {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": "10.81.0.0/24"},
        },
        "server": {
            "type": "OS::Nova::Server",
            "depends_on": "subnet",
            "properties": {
                "image": "fake-img",
                "flavor": "m1.fake",
                "networks": [{"network": {"get_resource": "net"}}],
            },
        },
        "volume": {"type": "OS::Cinder::Volume", "properties": {"size": 1}},
        "kept": {
            "type": "OS::Cinder::Volume",
            "deletion_policy": "Snapshot",
            "properties": {"size": 1},
        },
    },
}


class ImageUploader:
    """Plays the hypervisor's part: Nova's fake virt driver leaves a server's snapshot image
    queued without data, so this uploads the bytes (and sets the formats) a real driver
    would, which makes the image active as in a real cloud. Everything else (the image, its
    status, Nova's task state) is the real services'."""

    def __init__(self, name_prefix: str) -> None:
        self._prefix = name_prefix
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ImageUploader:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        conn = sdk_connection()
        while not self._stop.wait(0.5):
            for image in conn.image.images(visibility="private"):
                if image.name.startswith(self._prefix) and image.status == "queued":
                    if not image.disk_format:
                        conn.image.update_image(
                            str(image.id), disk_format="raw", container_format="bare"
                        )
                    response = conn.image.put(
                        f"/images/{image.id}/file",
                        data=b"\0" * 1024,
                        headers={"Content-Type": "application/octet-stream"},
                    )
                    assert response.status_code == 204, response.text


def _resources(service: Service, project: str, stack: str) -> dict[str, dict[str, Any]]:
    listed = heat_cli(service, project, "stack", "resource", "list", stack, "-f", "json")
    return {row["resource_name"]: row for row in json.loads(listed)}


def _stack_status(service: Service, project: str, stack: str) -> str:
    shown = heat_cli(service, project, "stack", "show", stack, "-f", "value", "-c", "stack_status")
    return shown.strip()


def _take_snapshot(service: Service, project: str, stack: str, name: str) -> dict[str, Any]:
    """`stack snapshot create`, then its data once COMPLETE."""
    taken = json.loads(
        heat_cli(
            service, project, "stack", "snapshot", "create", "--name", name, "-f", "json", stack
        )
    )

    def complete() -> dict[str, Any] | None:
        shown = json.loads(
            heat_cli(
                service, project, "stack", "snapshot", "show", stack, taken["ID"], "-f", "json"
            )
        )["snapshot"]
        assert shown["status"] != "FAILED", shown["status_reason"]
        return shown if shown["status"] == "COMPLETE" else None

    shown: dict[str, Any] = wait_until(complete, 120, f"snapshot {name}")
    return shown


def _volume_snapshots() -> dict[str, dict[str, Any]]:
    """Cinder's snapshots of the demo project, listed by the real CLI."""
    return {
        row["ID"]: row for row in cloud_cli(WORKER_CLOUD, "volume", "snapshot", "list", "--long")
    }


def _image_ids() -> set[str]:
    return {row["ID"] for row in cloud_cli(WORKER_CLOUD, "image", "list", "--private")}


def test_stack_snapshots_take_restore_and_remove_cloud_snapshots(
    cloud_service: Service, tmp_path: Path
) -> None:
    project = f"snap{uuid.uuid4().hex[:6]}"
    stack = f"snap{uuid.uuid4().hex[:6]}"
    template = tmp_path / "snap.yaml"
    template.write_text(yaml.safe_dump(TEMPLATE))
    conn = sdk_connection()
    kept_volume = ""
    try:
        created = heat_cli(
            cloud_service, project, "stack", "create", "-t", str(template), "--wait", stack
        )
        assert "CREATE_COMPLETE" in created
        resources = _resources(cloud_service, project, stack)
        server = resources["server"]["physical_resource_id"]
        volume = resources["volume"]["physical_resource_id"]
        kept_volume = resources["kept"]["physical_resource_id"]

        # A stack snapshot takes a Cinder snapshot of each volume and an image of the server,
        # and records their ids as the resources' data (upstream's handle_snapshot).
        with ImageUploader(f"{stack}-server-"):
            first = _take_snapshot(cloud_service, project, stack, "first")
        recorded = first["data"]["resources"]
        volume_snapshot = recorded["volume"]["resource_data"]["snapshot_id"]
        kept_snapshot = recorded["kept"]["resource_data"]["snapshot_id"]
        image = recorded["server"]["resource_data"]["snapshot_image_id"]
        snapshots = _volume_snapshots()
        assert snapshots[volume_snapshot]["Status"] == "available"
        assert snapshots[volume_snapshot]["Volume"] == volume
        assert kept_snapshot in snapshots
        assert image in _image_ids()
        assert conn.image.get_image(image).status == "active"

        # Restore: the volume is reverted to its Cinder snapshot in place, the server is
        # rebuilt from its image (upstream's handle_restore), the ids stay.
        heat_cli(cloud_service, project, "stack", "snapshot", "restore", stack, first["id"])
        wait_until(
            lambda: _stack_status(cloud_service, project, stack) == "RESTORE_COMPLETE",
            180,
            "the restore",
        )
        resources = _resources(cloud_service, project, stack)
        assert resources["volume"]["physical_resource_id"] == volume
        assert resources["server"]["physical_resource_id"] == server
        assert conn.compute.get_server(server).image["id"] == image
        events = json.loads(
            heat_cli(
                cloud_service, project, "stack", "event", "list", stack,
                "--resource", "volume", "-f", "json",
            )
        )  # fmt: skip
        assert any(e["resource_status"] == "RESTORE_COMPLETE" for e in events), events

        # Deleting the stack snapshot removes what it took in the cloud.
        heat_cli(cloud_service, project, "stack", "snapshot", "delete", "--yes", stack, first["id"])
        snapshots = _volume_snapshots()
        assert volume_snapshot not in snapshots and kept_snapshot not in snapshots
        wait_until(lambda: image not in _image_ids(), 30, "the snapshot image's removal")

        # Deleting the stack removes its snapshots' cloud snapshots first (a volume with a
        # snapshot cannot be deleted); `deletion_policy: Snapshot` leaves one of the volume,
        # and the volume with it (a Cinder snapshot cannot outlive its volume).
        with ImageUploader(f"{stack}-server-"):
            second = _take_snapshot(cloud_service, project, stack, "second")
        second_volume_snapshot = second["data"]["resources"]["volume"]["resource_data"][
            "snapshot_id"
        ]
        heat_cli(cloud_service, project, "stack", "delete", "--yes", "--wait", stack)
        snapshots = _volume_snapshots()
        assert second_volume_snapshot not in snapshots
        left = [row for row in snapshots.values() if row["Volume"] == kept_volume]
        assert len(left) == 1 and left[0]["Status"] == "available", snapshots
        assert {v["ID"] for v in cloud_cli(WORKER_CLOUD, "volume", "list")} & {
            volume,
            kept_volume,
        } == {kept_volume}
        assert leftovers(stack) == {"volumes": [conn.block_storage.get_volume(kept_volume).name]}
    finally:
        listed = heat_cli(
            cloud_service, project, "stack", "list", "-f", "value", "-c", "Stack Name"
        )
        if stack in listed.split():
            heat_cli(cloud_service, project, "stack", "delete", "--yes", "--wait", stack)
        if kept_volume:
            _remove_volume_and_snapshots(kept_volume)


def _remove_volume_and_snapshots(volume_id: str) -> None:
    """What `deletion_policy: Snapshot` left, removed so the next run starts clean."""
    conn = sdk_connection()
    for snapshot in conn.block_storage.snapshots(volume_id=volume_id):
        conn.block_storage.delete_snapshot(snapshot.id, ignore_missing=True)
    wait_until(
        lambda: not list(conn.block_storage.snapshots(volume_id=volume_id)),
        60,
        "the kept volume's snapshots to go",
    )
    conn.block_storage.delete_volume(volume_id, ignore_missing=True)
    wait_until(
        lambda: conn.block_storage.find_volume(volume_id, ignore_missing=True) is None,
        60,
        "the kept volume to go",
    )


def test_a_server_snapshot_whose_image_never_gets_data_fails_with_the_reason(
    cloud_service: Service,
) -> None:
    """Without an uploader, the fake driver's image stays `queued` for ever: the snapshot
    fails once the server is done and the image is still queued 30 s on, saying why, and
    the useless image is removed (it used to wait for ever)."""
    tag = uuid.uuid4().hex[:6]
    heat = HeatClient(cloud_service.endpoint(f"queued{tag}"))
    name = f"queued{tag}"
    template = json.loads(json.dumps(TEMPLATE))
    del template["resources"]["volume"], template["resources"]["kept"]
    template["resources"]["subnet"]["properties"]["cidr"] = "10.82.0.0/24"
    stack = heat.create(name, template)
    path = f"/stacks/{name}/{stack['id']}"
    try:
        created = heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        assert created["stack_status"] == "CREATE_COMPLETE", created.get("stack_status_reason")
        response = heat.post(path + "/snapshots", {"name": "never"})
        assert response.status_code == 200, response.text
        snapshot_id = response.json()["id"]

        def settled() -> dict[str, Any] | None:
            shown = heat.get(f"{path}/snapshots/{snapshot_id}").json()["snapshot"]
            return shown if shown["status"] != "IN_PROGRESS" else None

        shown: dict[str, Any] = wait_until(settled, 120, "the snapshot to settle")
        assert shown["status"] == "FAILED"
        assert (
            "is still queued 30 s after the server finished its snapshot"
            in (shown["status_reason"])
        ), shown["status_reason"]
        assert "uploaded no image data" in shown["status_reason"]
        images = sdk_connection().image.images(visibility="private")
        assert not [i.name for i in images if (i.name or "").startswith(name)]
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}
