"""The OS::Cinder types: volumes (polled to available, resized in place) and their attachments."""

from __future__ import annotations

from typing import Any, cast

from openstack import exceptions as sdk_exceptions
from openstack.connection import Connection
from openstack.identity.v3._proxy import Proxy as IdentityV3

from activities.cloud import call
from activities.custom_constraints import register
from activities.resources.base import ResourceFailure
from activities.resources.cinder_schemas import SCHEMAS
from activities.resources.cloud_plugin import (
    POLL_SECS,
    CloudPlugin,
    call_unless_gone,
    marker,
    with_replacements,
    without_nones,
)
from activities.resources.nova import image_id, nova
from activities.types import ActionResult, ResourceActionRequest

# 3.42: extending a volume that is attached (in-use).
MICROVERSION = "3.42"
# The metadata key that carries our marker, so a retried create finds the volume it made.
MARKER_KEY = "heat_marker"
# The resource data key that names the Cinder snapshot a stack snapshot took.
SNAPSHOT_KEY = "snapshot_id"


def cinder(conn: Connection, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """One call of Cinder's API; an error answer raises the SDK's exception for its status."""
    response = conn.block_storage.request(path, method, json=body, microversion=MICROVERSION)
    sdk_exceptions.raise_from_response(response)
    return response.json() if response.content else {}


def volume_in_error(volume: dict[str, Any]) -> ResourceFailure:
    return ResourceFailure(f'Went to status {volume["status"]} due to "Unknown"', "ResourceInError")


@register("cinder.vtype")
def volume_type_exists(conn: Connection, name_or_id: str) -> None:
    if conn.block_storage.find_type(name_or_id, ignore_missing=True) is None:
        raise ResourceFailure(f"The VolumeType ({name_or_id}) could not be found.", "NotFound")


@register("cinder.volume")
def find_volume_id(conn: Connection, name_or_id: str) -> str:
    volume = conn.block_storage.find_volume(name_or_id, ignore_missing=True)
    if volume is None:
        raise ResourceFailure(f"The Volume ({name_or_id}) could not be found.", "EntityNotFound")
    return str(volume.id)


class Volume(CloudPlugin):
    type_name = "OS::Cinder::Volume"
    schema = with_replacements(SCHEMAS[type_name], {"imageRef": "image"})

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        tag = marker(request)

        def work(conn: Connection) -> ActionResult:
            query = f'/volumes/detail?metadata={{"{MARKER_KEY}":"{tag}"}}'
            found = cinder(conn, "GET", query)["volumes"]
            if found:  # an earlier attempt of this create made it
                return ActionResult(physical_id=found[0]["id"], poll_after=POLL_SECS)
            image = props.get("image") or props.get("imageRef")
            body = without_nones(
                {
                    "size": props.get("size"),
                    "name": props.get("name") or request.physical_name,
                    # Heat describes an unnamed volume by its physical name too.
                    "description": props.get("description") or request.physical_name,
                    "availability_zone": props.get("availability_zone"),
                    "snapshot_id": props.get("snapshot_id"),
                    "source_volid": props.get("source_volid"),
                    "backup_id": props.get("backup_id"),
                    "volume_type": props.get("volume_type"),
                    "multiattach": props.get("multiattach") or None,
                    "imageRef": image_id(conn, request, image) if image else None,
                    "metadata": {**(props.get("metadata") or {}), MARKER_KEY: tag},
                }
            )
            payload: dict[str, Any] = {"volume": body}
            if props.get("scheduler_hints"):
                payload["OS-SCH-HNT:scheduler_hints"] = props["scheduler_hints"]
            made = cinder(conn, "POST", "/volumes", payload)["volume"]
            return ActionResult(physical_id=made["id"], poll_after=POLL_SECS)

        return await call(request, work)

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            volume = self._show(conn, request.physical_id)
            if volume["status"] in ("creating", "downloading", "restoring-backup"):
                return ActionResult(poll_after=POLL_SECS)
            if volume["status"] != "available":
                raise volume_in_error(volume)
            if request.properties.get("read_only"):
                self._set_read_only(conn, request.physical_id, True)
            return self.done(volume)

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        props, changed = request.properties, set(request.changed)

        def work(conn: Connection) -> ActionResult:
            path = f"/volumes/{request.physical_id}"
            fields = {name: props.get(name) for name in ("name", "description") if name in changed}
            if fields:
                if "name" in fields and not fields["name"]:
                    fields["name"] = request.physical_name or request.resource_name
                cinder(conn, "PUT", path, {"volume": fields})
            if "metadata" in changed:
                current = cinder(conn, "GET", f"{path}/metadata")["metadata"]
                metadata = {**(props.get("metadata") or {})}
                if MARKER_KEY in current:
                    metadata[MARKER_KEY] = current[MARKER_KEY]
                cinder(conn, "PUT", f"{path}/metadata", {"metadata": metadata})
            if "read_only" in changed:
                self._set_read_only(conn, request.physical_id, bool(props.get("read_only")))
            if "volume_type" in changed:
                retype = {"new_type": props.get("volume_type"), "migration_policy": "never"}
                cinder(conn, "POST", f"{path}/action", {"os-retype": retype})
            if "size" in changed:
                volume = self._show(conn, request.physical_id)
                new_size = int(props["size"])
                if new_size < int(volume["size"]):
                    raise ResourceFailure(
                        f"The size of volume {request.resource_name} can not be decreased, "
                        f"from {volume['size']} to {new_size}",
                        "NotSupported",
                    )
                if new_size > int(volume["size"]):
                    extend = {"os-extend": {"new_size": new_size}}
                    cinder(conn, "POST", f"{path}/action", extend)
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            volume = self._show(conn, request.physical_id)
            if volume["status"] in ("extending", "retyping"):
                return ActionResult(poll_after=POLL_SECS)
            if volume["status"] not in ("available", "in-use"):
                raise volume_in_error(volume)
            size = request.properties.get("size")
            if size is not None and int(volume["size"]) < int(size):
                return ActionResult(poll_after=POLL_SECS)
            return self.done(volume)

        return await call(request, work)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()

        def work(conn: Connection) -> ActionResult:
            try:
                volume = self._show(conn, request.physical_id)
            except sdk_exceptions.NotFoundException:
                return ActionResult()
            if volume["status"] == "deleting":
                return ActionResult(poll_after=POLL_SECS)
            cinder(conn, "DELETE", f"/volumes/{request.physical_id}")
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def check_delete(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            try:
                volume = self._show(conn, request.physical_id)
            except sdk_exceptions.NotFoundException:
                return ActionResult()
            if volume["status"] == "error_deleting":
                raise ResourceFailure(
                    'Went to status error_deleting due to "Unknown"', "ResourceInError"
                )
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            volume = self._show(conn, request.physical_id)
            if volume["status"] not in ("available", "in-use"):
                raise ResourceFailure(
                    f"'status': expected '['available', 'in-use']', got '{volume['status']}'"
                )
            return self.done(volume)

        return await call(request, work)

    # -- snapshots ---------------------------------------------------------------------------
    # Upstream backs a volume up (cinder-backup) for a stack snapshot and restores the backup
    # in place. Here it is a Cinder snapshot, which needs no backup service, and a restore
    # reverts the volume to it in place (Cinder reverts to a volume's latest snapshot only).

    supports_snapshot = True
    snapshot_keys = (SNAPSHOT_KEY,)
    kept_by_snapshot_policy = True

    async def snapshot(self, request: ResourceActionRequest) -> ActionResult:
        tag = marker(request)

        def work(conn: Connection) -> ActionResult:
            query = f'/snapshots/detail?metadata={{"{MARKER_KEY}":"{tag}"}}'
            found = cinder(conn, "GET", query)["snapshots"]
            if found:  # an earlier attempt of this snapshot made it
                snapshot_id = found[0]["id"]
            else:
                body = {
                    "volume_id": request.physical_id,
                    "name": f"{request.stack_name}-{request.resource_name}-{request.physical_name}",
                    # A volume attached to a server is snapshotted too, as upstream's backup.
                    "force": True,
                    "metadata": {MARKER_KEY: tag},
                }
                snapshot_id = cinder(conn, "POST", "/snapshots", {"snapshot": body})["snapshot"][
                    "id"
                ]
            return ActionResult(
                data={**request.data, SNAPSHOT_KEY: snapshot_id}, poll_after=POLL_SECS
            )

        return await call(request, work)

    async def check_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            found = cinder(conn, "GET", f"/snapshots/{request.data[SNAPSHOT_KEY]}")["snapshot"]
            if found["status"] == "creating":
                return ActionResult(poll_after=POLL_SECS)
            if found["status"] != "available":
                raise ResourceFailure(
                    f"Volume snapshot went to status {found['status']}", "ResourceInError"
                )
            return ActionResult()

        return await call(request, work)

    async def delete_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        snapshot_id = request.data.get(SNAPSHOT_KEY)
        if not snapshot_id:
            return ActionResult()

        def work(conn: Connection) -> ActionResult:
            try:
                found = cinder(conn, "GET", f"/snapshots/{snapshot_id}")["snapshot"]
            except sdk_exceptions.NotFoundException:
                return ActionResult()
            if found["status"] != "deleting":
                cinder(conn, "DELETE", f"/snapshots/{snapshot_id}")
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def check_delete_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            try:
                found = cinder(conn, "GET", f"/snapshots/{request.data[SNAPSHOT_KEY]}")
            except sdk_exceptions.NotFoundException:
                return ActionResult()
            if found["snapshot"]["status"] == "error_deleting":
                raise ResourceFailure(
                    'Went to status error_deleting due to "Unknown"', "ResourceInError"
                )
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def restore(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            body = {"revert": {"snapshot_id": request.data[SNAPSHOT_KEY]}}
            cinder(conn, "POST", f"/volumes/{request.physical_id}/action", body)
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def check_restore(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            volume = self._show(conn, request.physical_id)
            if volume["status"] == "reverting":
                return ActionResult(poll_after=POLL_SECS)
            if volume["status"] not in ("available", "in-use"):
                raise volume_in_error(volume)
            return self.done(volume)

        return await call(request, work)

    @staticmethod
    def _show(conn: Connection, volume_id: str) -> dict[str, Any]:
        return dict(cinder(conn, "GET", f"/volumes/{volume_id}")["volume"])

    @staticmethod
    def _set_read_only(conn: Connection, volume_id: str, flag: bool) -> None:
        body = {"os-update_readonly_flag": {"readonly": flag}}
        cinder(conn, "POST", f"/volumes/{volume_id}/action", body)

    def attributes_of(self, found: dict[str, Any]) -> dict[str, Any]:
        metadata = {k: v for k, v in (found.get("metadata") or {}).items() if k != MARKER_KEY}
        shown = {**found, "metadata": metadata}
        attachments = found.get("attachments") or []
        return {
            "availability_zone": found.get("availability_zone"),
            "size": found.get("size"),
            "snapshot_id": found.get("snapshot_id"),
            "display_name": found.get("name"),
            "display_description": found.get("description"),
            "volume_type": found.get("volume_type"),
            "metadata": metadata,
            "source_volid": found.get("source_volid"),
            "status": found.get("status"),
            "created_at": found.get("created_at"),
            "bootable": found.get("bootable"),
            "metadata_values": metadata,
            "encrypted": found.get("encrypted"),
            "attachments": attachments,
            "attachments_list": attachments,
            "multiattach": found.get("multiattach"),
            "show": shown,
        }


class VolumeAttachment(CloudPlugin):
    """A volume attached to a server; its physical id is Nova's attachment id."""

    type_name = "OS::Cinder::VolumeAttachment"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        return await self._attach(request, request.properties)

    async def _attach(self, request: ResourceActionRequest, props: dict[str, Any]) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            server, volume = props["instance_uuid"], find_volume_id(conn, props["volume_id"])
            path = f"/servers/{server}/os-volume_attachments"
            attached = nova(conn, "GET", path)["volumeAttachments"]
            if not any(item["volumeId"] == volume for item in attached):
                body = without_nones({"volumeId": volume, "device": props.get("mountpoint")})
                nova(conn, "POST", path, {"volumeAttachment": body})
            return ActionResult(physical_id=volume, poll_after=POLL_SECS)

        return await call(request, work)

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        return await self._wait_volume(request, "in-use", ("attaching", "available", "reserved"))

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        # Any change moves the volume: detach it from where it was, then attach anew.
        await self._detach(request, request.old_properties)
        await self._wait_gone(request, request.old_properties)
        return await self._attach(request, request.properties)

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        return await self.check_create(request)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()
        await self._detach(request, request.properties)
        return ActionResult(poll_after=POLL_SECS)

    async def check_delete(self, request: ResourceActionRequest) -> ActionResult:
        if await self._wait_gone(request, request.properties):
            return ActionResult()
        return ActionResult(poll_after=POLL_SECS)

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        return await self._wait_volume(request, "in-use", ())

    async def _detach(self, request: ResourceActionRequest, props: dict[str, Any]) -> None:
        volume = request.physical_id or props.get("volume_id")

        def work(conn: Connection) -> None:
            path = f"/servers/{props['instance_uuid']}/os-volume_attachments/{volume}"
            nova(conn, "DELETE", path)

        await call_unless_gone(request, work)

    async def _wait_gone(self, request: ResourceActionRequest, props: dict[str, Any]) -> bool:
        """Whether the volume is no longer attached to the server (or either is gone)."""
        volume = request.physical_id or props.get("volume_id")

        def work(conn: Connection) -> bool:
            try:
                found = cinder(conn, "GET", f"/volumes/{volume}")["volume"]
            except sdk_exceptions.NotFoundException:
                return True
            if found["status"] == "error_detaching":
                raise volume_in_error(found)
            servers = {item.get("server_id") for item in found.get("attachments") or []}
            return props.get("instance_uuid") not in servers and found["status"] != "detaching"

        return await call(request, work)

    async def _wait_volume(
        self, request: ResourceActionRequest, target: str, waiting: tuple[str, ...]
    ) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            found = cinder(conn, "GET", f"/volumes/{request.physical_id}")["volume"]
            if found["status"] == target:
                return ActionResult(attributes={"show": found})
            if found["status"] in waiting:
                return ActionResult(poll_after=POLL_SECS)
            raise volume_in_error(found)

        return await call(request, work)


class VolumeType(CloudPlugin):
    """A volume type (admin only): every property updates in place, as upstream."""

    type_name = "OS::Cinder::VolumeType"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        if props.get("projects") and props.get("is_public", True):
            raise ResourceFailure(
                'Can not specify property "projects" if the volume type is public.',
                "StackValidationFailed",
            )

        def work(conn: Connection) -> ActionResult:
            # Type names are unique in Cinder: a retried create finds the one it made.
            found = conn.block_storage.find_type(props["name"], ignore_missing=True)
            if found is not None:
                type_id = str(found.id)
            else:
                body = {
                    "volume_type": without_nones(
                        {
                            "name": props["name"],
                            "description": props.get("description"),
                            "os-volume-type-access:is_public": props.get("is_public", True),
                        }
                    )
                }
                type_id = cinder(conn, "POST", "/types", body)["volume_type"]["id"]
            if props.get("metadata"):
                specs = {"extra_specs": props["metadata"]}
                cinder(conn, "POST", f"/types/{type_id}/extra_specs", specs)
            for project in props.get("projects") or []:
                _project_access(conn, type_id, "addProjectAccess", project)
            return ActionResult(physical_id=type_id)

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        new, old = request.properties, request.old_properties

        def work(conn: Connection) -> None:
            path = f"/types/{request.physical_id}"
            changed = {
                key: new.get(key)
                for key in ("name", "description", "is_public")
                if new.get(key) != old.get(key)
            }
            if changed:
                cinder(conn, "PUT", path, {"volume_type": changed})
            if (new.get("metadata") or {}) != (old.get("metadata") or {}):
                # Upstream's way: the old extra specs go, then the new ones are set.
                for key in cinder(conn, "GET", f"{path}/extra_specs")["extra_specs"]:
                    cinder(conn, "DELETE", f"{path}/extra_specs/{key}")
                if new.get("metadata"):
                    cinder(conn, "POST", f"{path}/extra_specs", {"extra_specs": new["metadata"]})
            if "projects" in changed_keys(new, old) and not new.get("is_public", True):
                listed = cinder(conn, "GET", f"{path}/os-volume-type-access")
                had = {item["project_id"] for item in listed["volume_type_access"]}
                wanted = {_project_id(conn, project) for project in new.get("projects") or []}
                for project in sorted(had - wanted):
                    _project_access(conn, request.physical_id, "removeProjectAccess", project)
                for project in sorted(wanted - had):
                    _project_access(conn, request.physical_id, "addProjectAccess", project)

        await call(request, work)
        return ActionResult()

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()

        def work(conn: Connection) -> None:
            cinder(conn, "DELETE", f"/types/{request.physical_id}")

        await call_unless_gone(request, work)
        return ActionResult()

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> None:
            cinder(conn, "GET", f"/types/{request.physical_id}")

        await call(request, work)
        return ActionResult()


def changed_keys(new: dict[str, Any], old: dict[str, Any]) -> set[str]:
    return {key for key in set(new) | set(old) if new.get(key) != old.get(key)}


def _project_id(conn: Connection, name_or_id: str) -> str:
    """A project named or given by id (upstream's keystone get_project_id)."""
    identity = cast(IdentityV3, conn.identity)
    found = identity.find_project(name_or_id, ignore_missing=True)
    return str(found.id) if found is not None else name_or_id


def _project_access(conn: Connection, type_id: str, action: str, project: str) -> None:
    body = {action: {"project": _project_id(conn, project)}}
    try:
        cinder(conn, "POST", f"/types/{type_id}/action", body)
    except sdk_exceptions.ConflictException:
        # A retry finds the access already granted, which is what it wants.
        if action != "addProjectAccess":
            raise


CINDER_PLUGINS: list[CloudPlugin] = [Volume(), VolumeAttachment(), VolumeType()]
