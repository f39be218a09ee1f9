"""The OS::Nova types: servers (polled to ACTIVE with durable timers), key pairs, flavors and
server groups, through Nova's REST API at a fixed microversion."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from openstack import exceptions as sdk_exceptions
from openstack.connection import Connection

from activities.cloud import call
from activities.custom_constraints import register
from activities.resources.base import ResourceFailure
from activities.resources.cloud_plugin import (
    POLL_SECS,
    CloudPlugin,
    call_unless_gone,
    ignore_not_found,
    marker,
    not_found,
    without_nones,
)
from activities.resources.cloudinit import build_user_data
from activities.resources.neutron import find_id
from activities.resources.neutron import rest as neutron_rest
from activities.resources.nova_schemas import SCHEMAS
from activities.resources.server_networks import Interface, calculate_networks, normalised
from activities.types import ActionResult, ResourceActionRequest
from service.settings import get_settings

# 2.52: tags at boot (our marker); 2.67: volume_type in block_device_mapping_v2.
MICROVERSION = "2.67"
# Statuses a server passes through on its way to where an action leads.
# The resource data key of the image a stack snapshot took (upstream's name), and the image
# property that carries our marker so a retried snapshot finds the image it made.
SNAPSHOT_IMAGE_KEY = "snapshot_image_id"
# ...and, while the snapshot is taken, when it started: an image still `queued` this long
# after, with the server done with it, is given up (its data never came).
SNAPSHOT_STARTED = "snapshot_started_at"
QUEUED_IMAGE_SECS = 30.0
MARKER_PROPERTY = "heat_marker"
# Resource data: set by the create of servers whose `networks` update in place (True: those
# made before entries with a floating IP did too; 2: since); and the ports an update
# detaches, which its check step waits for.
NETWORKS_IN_PLACE = "networks_in_place"
DETACHING = "detaching_ports"
# Resource data: the ports the server made for its `subnet` entries (upstream's name); they
# go when their entry goes or the server is deleted.
INTERNAL_PORTS = "internal_ports"
# ...and those of them an update detached, deleted once they are off the server.
DELETING = "deleting_ports"
# The key under which a server's description carries its interfaces, for the attributes.
_INTERFACES = "heat:interfaces"
_TRANSIENT = {"BUILD", "REBUILD", "RESIZE", "REBOOT", "HARD_REBOOT", "MIGRATING", "PASSWORD"}


def nova(conn: Connection, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """One call of Nova's API; an error answer raises the SDK's exception for its status."""
    response = conn.compute.request(path, method, json=body, microversion=MICROVERSION)
    sdk_exceptions.raise_from_response(response)
    return response.json() if response.content else {}


def invalid_property(
    request: ResourceActionRequest, name: str, value: Any, why: str
) -> ResourceFailure:
    """Heat's text for a property whose value the cloud does not know."""
    return ResourceFailure(
        f"Property error: resources.{request.resource_name}.properties.{name}: "
        f"Error validating value '{value}': {why}",
        "StackValidationFailed",
    )


def flavor_id(
    conn: Connection, request: ResourceActionRequest, name: str, prop: str = "flavor"
) -> str:
    flavor = conn.compute.find_flavor(name, ignore_missing=True)
    if flavor is None:
        raise invalid_property(request, prop, name, f"The Flavor ({name}) could not be found.")
    return str(flavor.id)


def image_id(
    conn: Connection, request: ResourceActionRequest, name: str, prop: str = "image"
) -> str:
    image = conn.image.find_image(name, ignore_missing=True)
    if image is None:
        raise invalid_property(request, prop, name, f"The Image ({name}) could not be found.")
    return str(image.id)


@register("nova.flavor")
def flavor_exists(conn: Connection, name_or_id: str) -> None:
    if conn.compute.find_flavor(name_or_id, ignore_missing=True) is None:
        raise not_found("Flavor", name_or_id)


@register("nova.keypair")
def keypair_exists(conn: Connection, name: str) -> None:
    if conn.compute.find_keypair(name, ignore_missing=True) is None:
        raise not_found("Key", name)


@register("glance.image")
def image_exists(conn: Connection, name_or_id: str) -> None:
    if conn.image.find_image(name_or_id, ignore_missing=True) is None:
        raise not_found("Image", name_or_id)


def server_fault(server: dict[str, Any]) -> ResourceFailure:
    fault = server.get("fault") or {}
    return ResourceFailure(
        f'Went to status {server.get("status")} due to "Message: '
        f'{fault.get("message", "Unknown")}, Code: {fault.get("code", "Unknown")}"',
        "ResourceInError",
    )


def user_data_for(request: ResourceActionRequest, props: dict[str, Any]) -> str | None:
    """The user data to boot with: RAW as given, the other formats as upstream's cloud-init
    multipart (activities/resources/cloudinit.py) with the resource's metadata."""
    cloud = get_settings().cloud
    return build_user_data(
        props.get("user_data") or "",
        props.get("user_data_format") or "HEAT_CFNTOOLS",
        metadata=request.metadata,
        instance_user=props.get("admin_user"),
        cfn_metadata_server_url=cloud.cfn_metadata_server_url,
        connection_is_secure=cloud.instance_connection_is_secure,
        validate_certificates=cloud.instance_connection_https_validate_certificates,
    )


class Server(CloudPlugin):
    type_name = "OS::Nova::Server"
    schema = SCHEMAS[type_name]
    # Changes Nova cannot apply in place: the server is replaced (as upstream's REPLACE
    # policies do); `security_groups` too, and `networks` unless interfaces can be attached
    # and detached in place (see `_networks_in_place`).
    _REPLACED_WHEN_CHANGED = (
        "networks",
        "security_groups",
        "block_device_mapping",
        "block_device_mapping_v2",
    )

    @classmethod
    def replacement_required(
        cls, old: dict[str, Any], new: dict[str, Any], data: Mapping[str, Any] | None = None
    ) -> bool:
        def changed(name: str) -> bool:
            return old.get(name) != new.get(name)

        in_place = cls._networks_in_place(old.get("networks"), new.get("networks"), data)
        if any(
            changed(name)
            for name in cls._REPLACED_WHEN_CHANGED
            if not (name == "networks" and in_place)
        ):
            return True
        if changed("image") and new.get("image_update_policy") == "REPLACE":
            return True
        if changed("flavor") and new.get("flavor_update_policy") == "REPLACE":
            return True
        policy = new.get("user_data_update_policy") or "REPLACE"
        return (changed("user_data") or changed("user_data_format")) and policy == "REPLACE"

    # -- create ------------------------------------------------------------------------------

    @staticmethod
    def _networks_in_place(old: Any, new: Any, data: Mapping[str, Any] | None) -> bool:
        """Whether a change of `networks` attaches and detaches interfaces in place, as
        upstream's update does: for servers made since this was built (their data says so,
        so an update planned before keeps replacing), between explicit lists of networks,
        subnets and ports (not to or from Nova's automatic allocation). Entries with a
        `floating_ip` only on servers made since their updates associate it (level 2): the
        plan is made in the workflow, and an older server's update replayed must decide as
        it did."""
        level = (data or {}).get(NETWORKS_IN_PLACE)
        if not level:
            return False
        for networks in (old, new):
            if not isinstance(networks, list) or not networks:
                return False
            for entry in networks:
                if not isinstance(entry, dict) or entry.get("allocate_network"):
                    return False
                if entry.get("floating_ip") and not (level is not True and level >= 2):
                    return False
        return True

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties
        data = {**request.data, NETWORKS_IN_PLACE: 2}

        def work(conn: Connection) -> ActionResult:
            found = nova(conn, "GET", f"/servers?tags={marker(request)}")["servers"]
            if found:  # an earlier attempt of this create booted it: keep that one
                made = self._ports_made_by(conn, request)
                data[INTERNAL_PORTS] = [{"id": port["id"]} for port in made]
                return ActionResult(physical_id=found[0]["id"], poll_after=POLL_SECS, data=data)
            internal: list[str] = []
            try:
                body = self._boot_body(conn, request, props, internal)
                server = nova(conn, "POST", "/servers", {"server": body})["server"]
            except Exception:
                # Nothing boots with them: the ports made for `subnet` entries go too.
                _delete_ports(conn, internal)
                raise
            data[INTERNAL_PORTS] = [{"id": port} for port in internal]
            return ActionResult(physical_id=server["id"], poll_after=POLL_SECS, data=data)

        return await call(request, work)

    @staticmethod
    def _ports_made_by(conn: Connection, request: ResourceActionRequest) -> list[dict[str, Any]]:
        """The ports this very create (or update) made for `subnet` entries, by their tag."""
        return list(neutron_rest(conn, "GET", f"/ports?tags={marker(request)}")["ports"])

    def _internal_port(
        self,
        conn: Connection,
        request: ResourceActionRequest,
        entry: Mapping[str, Any],
        index: int,
    ) -> str:
        """Upstream's _create_internal_port: a port on the entry's subnet (and `fixed_ip`),
        with the server's security groups and the entry's `port_extra_properties`. Named
        `<stack>-<resource>-port-<index>` and tagged with the request's marker, so a retried
        step finds the port it made (one not yet bound to a server)."""
        name = f"{request.stack_name}-{request.resource_name}-port-{index}"
        tag = marker(request)
        for port in self._ports_made_by(conn, request):
            if port["name"] == name and not port.get("device_id"):
                return str(port["id"])
        subnet = find_id(conn, "subnets", entry["subnet"])
        fixed: dict[str, Any] = {"subnet_id": subnet}
        if entry.get("fixed_ip"):
            fixed["ip_address"] = entry["fixed_ip"]
        body: dict[str, Any] = {
            "name": name,
            "network_id": self._network_id(conn, entry),
            "fixed_ips": [fixed],
        }
        groups = request.properties.get("security_groups")
        if groups:
            body["security_groups"] = [find_id(conn, "security-groups", g) for g in groups]
        extra = dict(entry.get("port_extra_properties") or {})
        specs = extra.pop("value_specs", None) or {}
        if extra.get("allowed_address_pairs") is not None:
            extra["allowed_address_pairs"] = [
                without_nones(pair) for pair in extra["allowed_address_pairs"]
            ]
        body.update({**without_nones(extra), **specs})
        port = neutron_rest(conn, "POST", "/ports", {"port": body})["port"]
        neutron_rest(conn, "PUT", f"/ports/{port['id']}/tags", {"tags": [tag]})
        return str(port["id"])

    @staticmethod
    def _network_id(conn: Connection, entry: Mapping[str, Any]) -> str | None:
        """The network an entry names (by name or id), or its subnet's network (upstream's
        _get_network_id)."""
        network = entry.get("network") or entry.get("uuid")
        if network:
            return find_id(conn, "networks", network)
        if entry.get("subnet"):
            subnet = find_id(conn, "subnets", entry["subnet"])
            return str(neutron_rest(conn, "GET", f"/subnets/{subnet}")["subnet"]["network_id"])
        return None

    def _boot_body(
        self,
        conn: Connection,
        request: ResourceActionRequest,
        props: dict[str, Any],
        internal: list[str],
    ) -> dict[str, Any]:
        """Nova's body for the boot; the ports made for `subnet` entries go in `internal`."""
        body: dict[str, Any] = {
            "name": props.get("name") or request.physical_name,
            "flavorRef": flavor_id(conn, request, props["flavor"]),
            "tags": sorted({*(props.get("tags") or []), marker(request)}),
        }
        if props.get("image"):
            body["imageRef"] = image_id(conn, request, props["image"])
        metadata = props.get("metadata") or {}
        if metadata:
            # Nova takes strings only; Heat sends other values as JSON.
            body["metadata"] = {
                key: value if isinstance(value, str) else json.dumps(value)
                for key, value in metadata.items()
            }
        user_data = user_data_for(request, props)
        if user_data:
            body["user_data"] = base64.b64encode(user_data.encode()).decode()
        body["networks"] = self._networks(conn, request, props.get("networks"), internal)
        if props.get("security_groups"):
            body["security_groups"] = [{"name": group} for group in props["security_groups"]]
        mappings = self._block_devices(conn, request, props)
        if mappings:
            body["block_device_mapping_v2"] = mappings
        extras = {
            "key_name": props.get("key_name"),
            "availability_zone": props.get("availability_zone"),
            "config_drive": props.get("config_drive"),
            "adminPass": props.get("admin_pass"),
            "OS-DCF:diskConfig": props.get("diskConfig"),
        }
        body.update(without_nones(extras))
        out: dict[str, Any] = body
        if props.get("scheduler_hints"):
            return {**out, "os:scheduler_hints": props["scheduler_hints"]}
        return out

    def _networks(
        self,
        conn: Connection,
        request: ResourceActionRequest,
        networks: list[dict[str, Any]] | None,
        internal: list[str],
    ) -> Any:
        """Nova's `networks` for the boot (upstream's _build_nics): a `subnet` entry boots
        on a port made on that subnet, whose id is added to `internal`."""
        if not networks:
            return "auto"
        out: list[dict[str, Any]] = []
        for index, entry in enumerate(networks):
            if entry.get("allocate_network"):
                return entry["allocate_network"]
            item: dict[str, Any] = {}
            if entry.get("port"):
                item["port"] = find_id(conn, "ports", entry["port"])
            elif entry.get("subnet"):
                item["port"] = self._internal_port(conn, request, entry, index)
                internal.append(item["port"])
            else:
                network = self._network_id(conn, entry)
                if network:
                    item["uuid"] = network
                if entry.get("fixed_ip"):
                    item["fixed_ip"] = entry["fixed_ip"]
            if entry.get("tag"):
                item["tag"] = entry["tag"]
            out.append(item)
        return out

    @staticmethod
    def _block_devices(
        conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        # The first form: a volume or snapshot per device name, boot_index by device order.
        for mapping in props.get("block_device_mapping") or []:
            source = "volume" if mapping.get("volume_id") else "snapshot"
            out.append(
                without_nones(
                    {
                        "device_name": mapping.get("device_name"),
                        "source_type": source,
                        "destination_type": "volume",
                        "uuid": mapping.get("volume_id") or mapping.get("snapshot_id"),
                        "volume_size": mapping.get("volume_size"),
                        "delete_on_termination": mapping.get("delete_on_termination"),
                        "boot_index": 0 if mapping.get("device_name") == "vda" else None,
                    }
                )
            )
        for mapping in props.get("block_device_mapping_v2") or []:
            item = without_nones(
                {
                    "device_name": mapping.get("device_name"),
                    "delete_on_termination": mapping.get("delete_on_termination"),
                    "boot_index": mapping.get("boot_index"),
                    "device_type": mapping.get("device_type"),
                    "disk_bus": mapping.get("disk_bus"),
                    "volume_size": mapping.get("volume_size"),
                    "volume_type": mapping.get("volume_type"),
                    "guest_format": mapping.get("ephemeral_format"),
                }
            )
            image = mapping.get("image") or mapping.get("image_id")
            if mapping.get("volume_id"):
                item.update(source_type="volume", uuid=mapping["volume_id"])
                item.setdefault("destination_type", "volume")
            elif mapping.get("snapshot_id"):
                item.update(source_type="snapshot", uuid=mapping["snapshot_id"])
                item.setdefault("destination_type", "volume")
            elif image:
                item.update(source_type="image", uuid=image_id(conn, request, image))
                item["destination_type"] = "volume" if mapping.get("volume_size") else "local"
            elif mapping.get("swap_size"):
                item.update(source_type="blank", destination_type="local", guest_format="swap")
                item["volume_size"] = mapping["swap_size"]
            elif mapping.get("ephemeral_size"):
                item.update(source_type="blank", destination_type="local")
                item["volume_size"] = mapping["ephemeral_size"]
            out.append(item)
        return out

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            server = nova(conn, "GET", f"/servers/{request.physical_id}")["server"]
            status = server["status"]
            if status == "ERROR":
                raise server_fault(server)
            if status != "ACTIVE":
                return ActionResult(poll_after=POLL_SECS)
            self._associate_floating_ips(conn, request, server)
            return self.done(self._refreshed(conn, server))

        return await call(request, work)

    def _associate_floating_ips(
        self, conn: Connection, request: ResourceActionRequest, server: dict[str, Any]
    ) -> None:
        """Point each `floating_ip` of the networks at the server's port for that entry."""
        for entry in request.properties.get("networks") or []:
            if entry.get("floating_ip"):
                port = self._port_of_entry(conn, server["id"], entry)
                if port is not None:
                    self._associate(conn, entry, port)

    def _port_of_entry(
        self, conn: Connection, server_id: str, entry: Mapping[str, Any]
    ) -> str | None:
        """The server's port that a `networks` entry made: the entry's own port, or the one
        on its subnet, or on its network."""
        if entry.get("port"):
            return find_id(conn, "ports", entry["port"])
        ports = neutron_rest(conn, "GET", f"/ports?device_id={server_id}")["ports"]
        if entry.get("subnet"):
            subnet = find_id(conn, "subnets", entry["subnet"])
            ports = [
                p for p in ports if subnet in {ip["subnet_id"] for ip in p.get("fixed_ips") or []}
            ]
        else:
            network = self._network_id(conn, entry)
            ports = [p for p in ports if p["network_id"] == network]
        return str(ports[0]["id"]) if ports else None

    @staticmethod
    def _associate(conn: Connection, entry: Mapping[str, Any], port: str) -> None:
        body: dict[str, Any] = {"port_id": port}
        if entry.get("fixed_ip"):
            body["fixed_ip_address"] = entry["fixed_ip"]
        neutron_rest(conn, "PUT", f"/floatingips/{entry['floating_ip']}", {"floatingip": body})

    @staticmethod
    def _refreshed(conn: Connection, server: dict[str, Any]) -> dict[str, Any]:
        return _observed(conn, nova(conn, "GET", f"/servers/{server['id']}")["server"])

    def attributes_of(self, found: dict[str, Any]) -> dict[str, Any]:
        """Upstream's attributes: `addresses` entries carry their `port`, and `addresses` and
        `networks` are keyed by each network's name and again by its id."""
        found = dict(found)
        interfaces = found.pop(_INTERFACES, None) or []
        port_of = {
            (ip.get("ip_address"), interface.get("mac_addr")): interface["port_id"]
            for interface in interfaces
            for ip in (interface.get("fixed_ips") or [])[:1]
        }
        net_of = {interface["port_id"]: interface.get("net_id") for interface in interfaces}
        addresses: dict[str, Any] = {}
        ids: dict[str, str] = {}
        for name, entries in (found.get("addresses") or {}).items():
            addresses[name] = []
            for address in entries:
                port = port_of.get((address.get("addr"), address.get("OS-EXT-IPS-MAC:mac_addr")))
                addresses[name].append({**address, "port": port})
                if port is not None and net_of.get(port):
                    ids[name] = str(net_of[port])
        networks = {
            name: [address.get("addr") for address in entries]
            for name, entries in addresses.items()
        }
        for name, net_id in ids.items():
            addresses.setdefault(net_id, addresses[name])
            networks.setdefault(net_id, networks[name])
        listed = (found.get("addresses") or {}).values()
        first = next((entries[0].get("addr") for entries in listed if entries), "")
        shown = {**found, "tags": [t for t in found.get("tags") or [] if not t.startswith("heat-")]}
        return {
            "name": found.get("name"),
            "addresses": addresses,
            "networks": networks,
            "first_address": first,
            "instance_name": found.get("OS-EXT-SRV-ATTR:instance_name"),
            "accessIPv4": found.get("accessIPv4") or "",
            "accessIPv6": found.get("accessIPv6") or "",
            "console_urls": {},
            "tags": shown["tags"] or None,
            "os_collect_config": {},
            "show": shown,
        }

    # -- update ------------------------------------------------------------------------------

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        props, changed = request.properties, set(request.changed)

        def work(conn: Connection) -> ActionResult:
            server_path = f"/servers/{request.physical_id}"
            networks: dict[str, Any] = {}
            if "networks" in changed:
                networks = self._update_networks(conn, request)
            detaching: list[str] = networks.get(DETACHING) or []
            if "name" in changed:
                name = props.get("name") or request.physical_name or request.resource_name
                nova(conn, "PUT", server_path, {"server": {"name": name}})
            if "metadata" in changed:
                metadata = {
                    key: value if isinstance(value, str) else json.dumps(value)
                    for key, value in (props.get("metadata") or {}).items()
                }
                nova(conn, "PUT", f"{server_path}/metadata", {"metadata": metadata})
            if "tags" in changed:
                current = nova(conn, "GET", f"{server_path}/tags")["tags"]
                ours = [tag for tag in current if tag.startswith("heat-")]
                tags = sorted({*(props.get("tags") or []), *ours})
                nova(conn, "PUT", f"{server_path}/tags", {"tags": tags})
            if "image" in changed:
                rebuild: dict[str, Any] = {"imageRef": image_id(conn, request, props["image"])}
                if props.get("image_update_policy") == "REBUILD_PRESERVE_EPHEMERAL":
                    rebuild["preserve_ephemeral"] = True
                nova(conn, "POST", f"{server_path}/action", {"rebuild": rebuild})
                return ActionResult(poll_after=POLL_SECS, data=data(networks))
            if "flavor" in changed:
                resize = {"flavorRef": flavor_id(conn, request, props["flavor"])}
                nova(conn, "POST", f"{server_path}/action", {"resize": resize})
                return ActionResult(poll_after=POLL_SECS, data=data(networks))
            return ActionResult(poll_after=POLL_SECS if detaching else 0.1, data=data(networks))

        def data(networks: dict[str, Any]) -> dict[str, Any]:
            # The ports whose detach the check step waits for (Nova detaches asynchronously),
            # the server's own ports among them (deleted once detached) and those it keeps.
            return {**request.data, DETACHING: [], **networks}

        return await call(request, work)

    def _update_networks(self, conn: Connection, request: ResourceActionRequest) -> dict[str, Any]:
        """Upstream's update of `networks` (server_networks.calculate_networks): entries
        that stayed are not touched, the interfaces of those that went are detached (their
        floating IPs disassociated), new ones attached (a `subnet` entry on a port made for
        it, a `floating_ip` associated). Returns the data to keep: the ports detached, to
        wait for, those of them the server made, to delete then, and its remaining ports."""
        old = [e for e in request.old_properties.get("networks") or [] if isinstance(e, dict)]
        new = [e for e in request.properties.get("networks") or [] if isinstance(e, dict)]
        path = f"/servers/{request.physical_id}/os-interface"
        interfaces = [
            Interface(
                port_id=i["port_id"],
                net_id=i["net_id"],
                ip=next((ip.get("ip_address") for ip in i.get("fixed_ips") or []), None),
            )
            for i in nova(conn, "GET", path)["interfaceAttachments"]
        ]
        internal = [str(p["id"]) for p in request.data.get(INTERNAL_PORTS) or []]
        network_ids: dict[str, str | None] = {}

        def network_id(entry: Mapping[str, Any]) -> str | None:
            key = json.dumps(entry, sort_keys=True)
            if key not in network_ids:
                network_ids[key] = self._network_id(conn, entry)
            return network_ids[key]

        changes = calculate_networks(
            old,
            new,
            interfaces,
            network_id=network_id,
            port_id=lambda name: find_id(conn, "ports", name),
            internal_ports=internal,
        )
        for floating_ip in changes.disassociate_floating_ips:
            body: dict[str, Any] = {"floatingip": {"port_id": None}}
            with contextlib.suppress(sdk_exceptions.NotFoundException):
                neutron_rest(conn, "PUT", f"/floatingips/{floating_ip}", body)
        for port in changes.detach_ports:
            with contextlib.suppress(sdk_exceptions.NotFoundException):
                nova(conn, "DELETE", f"{path}/{port}")
        ours = {str(p["id"]) for p in self._ports_made_by(conn, request)}
        for entry in changes.attached_before:
            if entry["port"] in ours and entry["port"] not in internal:
                internal.append(entry["port"])
        positions = [normalised(e) for e in new]
        for entry in changes.attach:
            if entry["port"]:
                attachment: dict[str, Any] = {"port_id": find_id(conn, "ports", entry["port"])}
            elif entry["subnet"]:
                port = self._internal_port(conn, request, entry, positions.index(entry))
                internal.append(port)
                attachment = {"port_id": port}
            else:
                attachment = {"net_id": network_id(entry)}
                if entry["fixed_ip"]:
                    attachment["fixed_ips"] = [{"ip_address": entry["fixed_ip"]}]
            made = nova(conn, "POST", path, {"interfaceAttachment": attachment})
            if entry["floating_ip"]:
                self._associate(conn, entry, made["interfaceAttachment"]["port_id"])
        return {
            DETACHING: changes.detach_ports,
            DELETING: changes.delete_ports,
            INTERNAL_PORTS: [{"id": p} for p in internal if p not in changes.delete_ports],
        }

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            server = nova(conn, "GET", f"/servers/{request.physical_id}")["server"]
            status = server["status"]
            detaching = request.data.get(DETACHING) or []
            if detaching:
                path = f"/servers/{request.physical_id}/os-interface"
                attached = {i["port_id"] for i in nova(conn, "GET", path)["interfaceAttachments"]}
                if attached & set(detaching):
                    return ActionResult(poll_after=POLL_SECS)
            # The ports the server made for `subnet` entries that went: detached, now deleted.
            _delete_ports(conn, request.data.get(DELETING) or [])
            if status == "VERIFY_RESIZE":
                nova(conn, "POST", f"/servers/{server['id']}/action", {"confirmResize": None})
                return ActionResult(poll_after=POLL_SECS)
            if status == "ERROR":
                raise server_fault(server)
            if status in _TRANSIENT:
                return ActionResult(poll_after=POLL_SECS)
            rest = {k: v for k, v in request.data.items() if k not in (DETACHING, DELETING)}
            return self.done(_observed(conn, server), data=rest)

        return await call(request, work)

    # -- delete ------------------------------------------------------------------------------

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            await self._delete_internal_ports(request)
            return ActionResult()

        def work(conn: Connection) -> None:
            nova(conn, "DELETE", f"/servers/{request.physical_id}")

        try:
            await call(request, work)
        except ResourceFailure as failure:
            if ignore_not_found(failure):
                await self._delete_internal_ports(request)
                return ActionResult()
            raise
        return ActionResult(poll_after=POLL_SECS)

    async def _delete_internal_ports(self, request: ResourceActionRequest) -> None:
        ports = [str(p["id"]) for p in request.data.get(INTERNAL_PORTS) or []]
        if ports:
            await call(request, lambda conn: _delete_ports(conn, ports))

    async def check_delete(self, request: ResourceActionRequest) -> ActionResult:
        ports = [str(p["id"]) for p in request.data.get(INTERNAL_PORTS) or []]

        def work(conn: Connection) -> ActionResult:
            try:
                server = nova(conn, "GET", f"/servers/{request.physical_id}")["server"]
            except sdk_exceptions.NotFoundException:
                # The ports the server made for `subnet` entries outlive it: they go now.
                _delete_ports(conn, ports)
                return ActionResult()
            if server["status"] in ("DELETED", "SOFT_DELETED"):
                _delete_ports(conn, ports)
                return ActionResult()
            if server["status"] == "ERROR":
                # A server that failed to delete: ask again (Heat retries the delete too).
                nova(conn, "DELETE", f"/servers/{request.physical_id}")
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    # -- snapshots (upstream's handle_snapshot: an image of the server) -----------------------

    supports_snapshot = True
    snapshot_keys = (SNAPSHOT_IMAGE_KEY,)

    async def snapshot(self, request: ResourceActionRequest) -> ActionResult:
        tag = marker(request)

        def work(conn: Connection) -> ActionResult:
            # Glance filters on an image property by its name in the query.
            response = conn.image.get(f"/images?{MARKER_PROPERTY}={tag}")
            sdk_exceptions.raise_from_response(response)
            found = response.json()["images"]
            if found:  # an earlier attempt of this snapshot made it
                image = str(found[0]["id"])
            else:
                body = {
                    "createImage": {
                        "name": f"{request.stack_name}-{request.resource_name}-"
                        f"{request.physical_name}",
                        "metadata": {MARKER_PROPERTY: tag},
                    }
                }
                path = f"/servers/{request.physical_id}/action"
                image = nova(conn, "POST", path, body)["image_id"]
            started = datetime.now(UTC).isoformat()
            data = {**request.data, SNAPSHOT_IMAGE_KEY: image, SNAPSHOT_STARTED: started}
            return ActionResult(data=data, poll_after=POLL_SECS)

        return await call(request, work)

    async def check_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            image_id = request.data[SNAPSHOT_IMAGE_KEY]
            image = conn.image.get_image(image_id)
            if image.status in ("killed", "deleted", "pending_delete"):
                raise ResourceFailure(str(image.status), "Error")
            server = nova(conn, "GET", f"/servers/{request.physical_id}")["server"]
            idle = server.get("OS-EXT-STS:task_state") is None
            if image.status == "active" and idle:
                kept = {k: v for k, v in request.data.items() if k != SNAPSHOT_STARTED}
                return ActionResult(data=kept)
            if image.status == "queued" and idle and _waited(request) >= QUEUED_IMAGE_SECS:
                # Nova is done with the snapshot and Glance never got the image's data (a
                # compute driver that uploads none, as the fake one): it would never finish.
                conn.image.delete_image(image_id, ignore_missing=True)
                raise ResourceFailure(
                    f"Image {image_id} of server {server.get('name')} is still queued "
                    f"{QUEUED_IMAGE_SECS:.0f} s after the server finished its snapshot: the "
                    "compute driver uploaded no image data",
                    "Error",
                )
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def delete_snapshot(self, request: ResourceActionRequest) -> ActionResult:
        image = request.data.get(SNAPSHOT_IMAGE_KEY)
        if image:

            def work(conn: Connection) -> None:
                conn.image.delete_image(image, ignore_missing=True)

            await call(request, work)
        return ActionResult()

    async def restore(self, request: ResourceActionRequest) -> ActionResult:
        # Upstream's handle_restore makes the snapshot's image the server's image, which
        # rebuilds the server in place from it.
        def work(conn: Connection) -> ActionResult:
            rebuild = {"rebuild": {"imageRef": request.data[SNAPSHOT_IMAGE_KEY]}}
            nova(conn, "POST", f"/servers/{request.physical_id}/action", rebuild)
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def check_restore(self, request: ResourceActionRequest) -> ActionResult:
        result = await self.check_update(request)
        # `request.data` is the snapshot's record, not the server's data: leave that alone.
        return result.model_copy(update={"data": None})

    # -- suspend, resume, check --------------------------------------------------------------

    async def suspend(self, request: ResourceActionRequest) -> ActionResult:
        return await self._server_action(request, "suspend")

    async def check_suspend(self, request: ResourceActionRequest) -> ActionResult:
        return await self._wait_for(request, "SUSPENDED", "Suspend")

    async def resume(self, request: ResourceActionRequest) -> ActionResult:
        return await self._server_action(request, "resume")

    async def check_resume(self, request: ResourceActionRequest) -> ActionResult:
        return await self._wait_for(request, "ACTIVE", "Resume")

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            server = nova(conn, "GET", f"/servers/{request.physical_id}")["server"]
            if server["status"] != "ACTIVE":
                raise ResourceFailure(
                    f"'status': expected 'ACTIVE', got '{server['status']}'", "Error"
                )
            return self.done(_observed(conn, server))

        return await call(request, work)

    async def _server_action(self, request: ResourceActionRequest, action: str) -> ActionResult:
        if not request.physical_id:
            raise ResourceFailure(
                f"Cannot {action} {request.resource_name}, resource_id not set", "Error"
            )

        def work(conn: Connection) -> ActionResult:
            server = nova(conn, "GET", f"/servers/{request.physical_id}")["server"]
            target = "SUSPENDED" if action == "suspend" else "ACTIVE"
            if server["status"] != target:  # a retried step finds it done
                nova(conn, "POST", f"/servers/{request.physical_id}/action", {action: None})
            return ActionResult(poll_after=POLL_SECS)

        return await call(request, work)

    async def _wait_for(
        self, request: ResourceActionRequest, target: str, what: str
    ) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            server = nova(conn, "GET", f"/servers/{request.physical_id}")["server"]
            status = server["status"]
            if status == target:
                return self.done(_observed(conn, server))
            if status in _TRANSIENT or status in ("ACTIVE", "SUSPENDED"):
                return ActionResult(poll_after=POLL_SECS)
            raise ResourceFailure(
                f"{what} of server {server.get('name')} failed", "ResourceUnknownStatus"
            )

        return await call(request, work)


class KeyPair(CloudPlugin):
    """A key pair; its physical id is its name. A generated private key is kept when asked."""

    type_name = "OS::Nova::KeyPair"
    schema = SCHEMAS[type_name]
    supports_check = True

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            body = without_nones(
                {
                    "name": props["name"],
                    "public_key": props.get("public_key"),
                    "type": props.get("type"),
                    "user_id": props.get("user"),
                }
            )
            made = nova(conn, "POST", "/os-keypairs", {"keypair": body})["keypair"]
            private = made.get("private_key") if props.get("save_private_key") else None
            attributes = {
                "public_key": made.get("public_key"),
                "private_key": private or "",
                "show": {k: v for k, v in made.items() if k != "private_key"},
            }
            return ActionResult(physical_id=made["name"], attributes=attributes)

        return await call(request, work)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()

        def work(conn: Connection) -> None:
            nova(conn, "DELETE", f"/os-keypairs/{request.physical_id}")

        await call_unless_gone(request, work)
        return ActionResult()

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> None:
            nova(conn, "GET", f"/os-keypairs/{request.physical_id}")

        await call(request, work)
        return ActionResult()


class Flavor(CloudPlugin):
    """A flavor (admin only): extra specs update in place, the rest replaces it."""

    type_name = "OS::Nova::Flavor"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            name = props.get("name") or request.physical_name
            existing = conn.compute.find_flavor(name, ignore_missing=True)
            if existing is not None:
                made: dict[str, Any] = {"id": existing.id}
            else:
                body = without_nones(
                    {
                        "name": name,
                        "id": props.get("flavorid"),
                        "ram": props.get("ram"),
                        "vcpus": props.get("vcpus"),
                        "disk": props.get("disk"),
                        "swap": props.get("swap") or None,
                        "OS-FLV-EXT-DATA:ephemeral": props.get("ephemeral"),
                        "rxtx_factor": props.get("rxtx_factor"),
                        "os-flavor-access:is_public": props.get("is_public"),
                    }
                )
                made = nova(conn, "POST", "/flavors", {"flavor": body})["flavor"]
            flavor = made["id"]
            for tenant in props.get("tenants") or []:
                body = {"addTenantAccess": {"tenant": tenant}}
                # A retry finds access already granted (409), which is what it wants.
                with contextlib.suppress(sdk_exceptions.ConflictException):
                    nova(conn, "POST", f"/flavors/{flavor}/action", body)
            if props.get("extra_specs"):
                specs = {"extra_specs": props["extra_specs"]}
                nova(conn, "POST", f"/flavors/{flavor}/os-extra_specs", specs)
            return ActionResult(
                physical_id=flavor, attributes={"is_public": props.get("is_public")}
            )

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> None:
            path = f"/flavors/{request.physical_id}/os-extra_specs"
            for key in request.old_properties.get("extra_specs") or {}:
                with contextlib.suppress(sdk_exceptions.NotFoundException):
                    nova(conn, "DELETE", f"{path}/{key}")
            specs = request.properties.get("extra_specs") or {}
            if specs:
                nova(conn, "POST", path, {"extra_specs": specs})

        await call(request, work)
        return ActionResult()

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        return await _delete_path(request, f"/flavors/{request.physical_id}")


class ServerGroup(CloudPlugin):
    type_name = "OS::Nova::ServerGroup"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            name = props.get("name") or request.physical_name
            groups = nova(conn, "GET", "/os-server-groups")["server_groups"]
            mine = [group for group in groups if group["name"] == name]
            if mine and not props.get("name"):
                return ActionResult(physical_id=mine[0]["id"])
            policies = props.get("policies") or ["anti-affinity"]
            body = {"server_group": {"name": name, "policies": policies}}
            response = conn.compute.request(
                "/os-server-groups", "POST", json=body, microversion="2.63"
            )
            sdk_exceptions.raise_from_response(response)
            return ActionResult(physical_id=response.json()["server_group"]["id"])

        return await call(request, work)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        return await _delete_path(request, f"/os-server-groups/{request.physical_id}")


class HostAggregate(CloudPlugin):
    """A host aggregate (admin only): every property updates in place, as upstream."""

    type_name = "OS::Nova::HostAggregate"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            # Aggregate names are unique in Nova: a retried create finds the one it made.
            mine = [
                found
                for found in nova(conn, "GET", "/os-aggregates")["aggregates"]
                if found["name"] == props["name"]
            ]
            if mine:
                made = mine[0]
            else:
                body = {
                    "aggregate": {
                        "name": props["name"],
                        "availability_zone": props["availability_zone"],
                    }
                }
                made = nova(conn, "POST", "/os-aggregates", body)["aggregate"]
            path = f"/os-aggregates/{made['id']}/action"
            if props.get("metadata"):
                nova(conn, "POST", path, {"set_metadata": {"metadata": props["metadata"]}})
            for host in props.get("hosts") or []:
                if host not in (made.get("hosts") or []):
                    nova(conn, "POST", path, {"add_host": {"host": host}})
            return ActionResult(physical_id=str(made["id"]))

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        new, old = request.properties, request.old_properties

        def work(conn: Connection) -> None:
            path = f"/os-aggregates/{request.physical_id}"
            found = nova(conn, "GET", path)["aggregate"]
            renamed = {
                key: new[key]
                for key in ("name", "availability_zone")
                if new.get(key) != found.get(key)
            }
            if renamed:
                nova(conn, "PUT", path, {"aggregate": renamed})
            if (new.get("metadata") or {}) != (old.get("metadata") or {}):
                # Keys the template dropped go too (Nova removes a key set to null).
                metadata: dict[str, Any] = dict.fromkeys(old.get("metadata") or {})
                metadata.update(new.get("metadata") or {})
                body = {"set_metadata": {"metadata": metadata}}
                nova(conn, "POST", f"{path}/action", body)
            hosts, wanted = set(found.get("hosts") or []), set(new.get("hosts") or [])
            for host in sorted(wanted - hosts):
                nova(conn, "POST", f"{path}/action", {"add_host": {"host": host}})
            for host in sorted(hosts - wanted):
                nova(conn, "POST", f"{path}/action", {"remove_host": {"host": host}})

        await call(request, work)
        return ActionResult()

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()

        def work(conn: Connection) -> None:
            path = f"/os-aggregates/{request.physical_id}"
            # Nova deletes only an empty aggregate: its hosts leave it first, as upstream.
            for host in nova(conn, "GET", path)["aggregate"].get("hosts") or []:
                nova(conn, "POST", f"{path}/action", {"remove_host": {"host": host}})
            nova(conn, "DELETE", path)

        await call_unless_gone(request, work)
        return ActionResult()

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> None:
            nova(conn, "GET", f"/os-aggregates/{request.physical_id}")

        await call(request, work)
        return ActionResult()


def _waited(request: ResourceActionRequest) -> float:
    """Seconds since the snapshot step started (0 for a record from before it was kept)."""
    started = request.data.get(SNAPSHOT_STARTED)
    if not started:
        return 0.0
    return (datetime.now(UTC) - datetime.fromisoformat(str(started))).total_seconds()


def _observed(conn: Connection, server: dict[str, Any]) -> dict[str, Any]:
    """The server as Nova describes it, with its interfaces (for the attributes' ports)."""
    path = f"/servers/{server['id']}/os-interface"
    try:
        interfaces = nova(conn, "GET", path)["interfaceAttachments"]
    except sdk_exceptions.HttpException:
        interfaces = []  # a cloud without the interface API: attributes without ports
    return {**server, _INTERFACES: interfaces}


def _delete_ports(conn: Connection, ports: list[str]) -> None:
    """Delete ports the server made (upstream's _delete_internal_port); gone is deleted."""
    for port in ports:
        with contextlib.suppress(sdk_exceptions.NotFoundException):
            neutron_rest(conn, "DELETE", f"/ports/{port}")


async def _delete_path(request: ResourceActionRequest, path: str) -> ActionResult:
    """DELETE one Nova object; already gone is deleted."""
    if not request.physical_id:
        return ActionResult()

    def work(conn: Connection) -> None:
        nova(conn, "DELETE", path)

    await call_unless_gone(request, work)
    return ActionResult()


NOVA_PLUGINS: list[CloudPlugin] = [Server(), KeyPair(), Flavor(), ServerGroup(), HostAggregate()]
