"""OS::Glance::WebImage: an image Glance imports from a URL (its web-download method)."""

from __future__ import annotations

from typing import Any

from openstack import exceptions as sdk_exceptions
from openstack.connection import Connection

from activities.cloud import call
from activities.resources.base import ResourceFailure
from activities.resources.cloud_plugin import (
    POLL_SECS,
    CloudPlugin,
    call_unless_gone,
    marker,
)
from activities.resources.glance_schemas import SCHEMAS
from activities.types import ActionResult, ResourceActionRequest

# Properties that are not image fields: the source, the wanted state, who may use it.
_NOT_FIELDS = ("location", "active", "members", "extra_properties", "tags")


def glance(
    conn: Connection,
    method: str,
    path: str,
    body: Any = None,
    content_type: str = "application/json",
) -> Any:
    """One call of Glance's v2 API; an error answer raises the SDK's exception."""
    response = conn.image.request(path, method, json=body, headers={"Content-Type": content_type})
    sdk_exceptions.raise_from_response(response)
    return response.json() if response.content else {}


class WebImage(CloudPlugin):
    type_name = "OS::Glance::WebImage"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        tag = marker(request)

        def work(conn: Connection) -> ActionResult:
            found = glance(conn, "GET", f"/images?tag={tag}")["images"]
            if found:  # an earlier attempt of this create made it
                return ActionResult(physical_id=found[0]["id"], poll_after=POLL_SECS)
            body = {
                name: value
                for name, value in props.items()
                if value is not None and name not in _NOT_FIELDS
            }
            body.setdefault("name", request.physical_name)
            body.update(props.get("extra_properties") or {})
            body["tags"] = sorted({*(props.get("tags") or []), tag})
            image = glance(conn, "POST", "/images", body)
            import_body = {"method": {"name": "web-download", "uri": props["location"]}}
            glance(conn, "POST", f"/images/{image['id']}/import", import_body)
            for member in props.get("members") or []:
                glance(conn, "POST", f"/images/{image['id']}/members", {"member": member})
            return ActionResult(physical_id=image["id"], poll_after=POLL_SECS)

        return await call(request, work)

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            image = glance(conn, "GET", f"/images/{request.physical_id}")
            if image["status"] == "killed":
                raise ResourceFailure(
                    f'Went to status {image["status"]} due to "Unknown"', "ResourceInError"
                )
            if image["status"] == "active" and request.properties.get("active") is False:
                glance(conn, "POST", f"/images/{request.physical_id}/actions/deactivate")
                return ActionResult(poll_after=POLL_SECS)
            if image["status"] in ("active", "deactivated"):
                return self.done(image)
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        props, old = request.properties, request.old_properties

        def work(conn: Connection) -> ActionResult:
            path = f"/images/{request.physical_id}"
            patch: list[dict[str, Any]] = []
            for name in request.changed:
                if name in _NOT_FIELDS:
                    continue
                value = props.get(name)
                patch.append(
                    {
                        "op": "replace" if value is not None else "remove",
                        "path": f"/{name}",
                        "value": value,
                    }
                )
            if "extra_properties" in request.changed:
                new = props.get("extra_properties") or {}
                for key in set(old.get("extra_properties") or {}) - set(new):
                    patch.append({"op": "remove", "path": f"/{key}"})
                for key, value in new.items():
                    patch.append({"op": "add", "path": f"/{key}", "value": value})
            if "tags" in request.changed:
                current = glance(conn, "GET", path).get("tags", [])
                ours = [t for t in current if t.startswith("heat-")]
                tags = sorted({*(props.get("tags") or []), *ours})
                patch.append({"op": "replace", "path": "/tags", "value": tags})
            patch = [
                op if op["op"] != "remove" else {k: v for k, v in op.items() if k != "value"}
                for op in patch
            ]
            if patch:
                glance(conn, "PATCH", path, patch, "application/openstack-images-v2.1-json-patch")
            if "active" in request.changed:
                action = "reactivate" if props.get("active") else "deactivate"
                glance(conn, "POST", f"{path}/actions/{action}")
            return ActionResult()

        return await call(request, work)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()

        def work(conn: Connection) -> None:
            glance(conn, "DELETE", f"/images/{request.physical_id}")

        await call_unless_gone(request, work)
        return ActionResult()

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            return self.done(glance(conn, "GET", f"/images/{request.physical_id}"))

        return await call(request, work)


GLANCE_PLUGINS: list[CloudPlugin] = [WebImage()]
