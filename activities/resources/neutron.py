"""The OS::Neutron types: networks, subnets, ports, routers, floating IPs, security groups.

Bodies go to Neutron's REST API as Heat sends them (properties renamed where the API's names
differ, names and ids of referenced things resolved to ids, `value_specs` merged in).
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Callable
from typing import Any, ClassVar

from openstack import exceptions as sdk_exceptions
from openstack.connection import Connection

from activities.cloud import CloudUnavailable, call
from activities.custom_constraints import register
from activities.resources.base import ResourceFailure
from activities.resources.cloud_plugin import (
    POLL_SECS,
    CloudPlugin,
    call_unless_gone,
    ignore_not_found,
    is_uuid,
    marker,
    with_replacements,
    without_nones,
)
from activities.resources.neutron_schemas import SCHEMAS
from activities.types import ActionResult, ResourceActionRequest

# Resource data: the name a create chose when the template gave none (an update that takes
# the template's name away gives it back, as upstream).
PHYSICAL_NAME = "physical_name"
# Resource data of a port being replaced: its fixed IPs, given up for its replacement and
# taken back if a rollback keeps it (upstream's `port_fip`).
PORT_FIXED_IPS = "port_fip"

_ENTITY_NAMES = {
    "networks": "Network",
    "subnets": "Subnet",
    "ports": "Port",
    "routers": "Router",
    "security-groups": "SecurityGroup",
    "qos/policies": "QoSPolicy",
    "subnetpools": "SubnetPool",
    "segments": "Segment",
}


def rest(conn: Connection, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """One call of Neutron's API; an error answer raises the SDK's exception for its status."""
    response = conn.network.request(path, method, json=body)
    sdk_exceptions.raise_from_response(response)
    return response.json() if response.content else {}


def find_id(conn: Connection, collection: str, name_or_id: str) -> str:
    """The id of a network, subnet, ... named by id or by unique name, as Heat resolves them."""
    key = collection.replace("-", "_").split("/")[-1]
    if is_uuid(name_or_id):
        found = rest(conn, "GET", f"/{collection}?id={name_or_id}")[key]
        if found:
            return str(found[0]["id"])
    matches = rest(conn, "GET", f"/{collection}?name={name_or_id}")[key]
    entity = _ENTITY_NAMES.get(collection, key)
    if not matches:
        # neutronclient's words, which Heat shows.
        resource = key.rstrip("s").replace("policie", "policy")
        raise ResourceFailure(
            f"Unable to find {resource} with name or id '{name_or_id}'", "NotFound"
        )
    if len(matches) > 1:
        raise ResourceFailure(
            f"Multiple {entity.lower()} matches found for name '{name_or_id}', "
            "use an ID to be more specific.",
            "PhysicalResourceNameAmbiguity",
        )
    return str(matches[0]["id"])


async def delete_call(request: ResourceActionRequest, work: Callable[[Connection], Any]) -> None:
    """A delete: gone already is done; a conflict is retried, because what still holds the
    object (a port Nova is releasing, a floating IP behind a router interface or gateway)
    goes as its own delete finishes (upstream orders some of these with implicit
    dependencies)."""
    try:
        await call(request, work)
    except ResourceFailure as failure:
        if failure.kind == "Conflict":
            raise CloudUnavailable(str(failure)) from failure
        if not ignore_not_found(failure):
            raise


class NeutronResource(CloudPlugin):
    """A Neutron object of one collection, made from the properties in one POST."""

    collection: ClassVar[str]
    key: ClassVar[str]
    taggable: ClassVar[bool] = True

    # -- from properties to API body, per type -----------------------------------------------

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        """The API body for `props` (all of them on create, the changed ones on update)."""
        body = dict(props)
        body.pop("tags", None)
        specs = body.pop("value_specs", None) or {}
        body.pop("dhcp_agent_ids", None)  # agent scheduling: admin-only and agent-bound
        if body.get("qos_policy"):
            body["qos_policy_id"] = find_id(conn, "qos/policies", body.pop("qos_policy"))
        elif "qos_policy" in body:
            body["qos_policy_id"] = body.pop("qos_policy")
        return {**without_nones(body), **specs}

    def create_props(self, request: ResourceActionRequest) -> dict[str, Any]:
        props = dict(request.properties)
        if "name" in self.schema.properties and not props.get("name"):
            props["name"] = request.physical_name
        return props

    # -- life cycle ----------------------------------------------------------------------------

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            made = self._made_before(conn, request)
            if made is None:
                body = self.body(conn, request, self.create_props(request))
                made = rest(conn, "POST", f"/{self.collection}", {self.key: body})[self.key]
            if self.taggable:
                self._set_tags(conn, made["id"], request.properties.get("tags"), marker(request))
            self.after_create(conn, request, made)
            data = {**request.data, PHYSICAL_NAME: request.physical_name}
            return ActionResult(physical_id=made["id"], poll_after=0.5, data=data)

        return await call(request, work)

    def after_create(
        self, conn: Connection, request: ResourceActionRequest, made: dict[str, Any]
    ) -> None:
        """What a type does once its object exists (a security group's rules)."""

    async def check_create(self, request: ResourceActionRequest) -> ActionResult:
        return await self._wait_built(request)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            changed = {name: request.properties.get(name) for name in request.changed}
            if "name" in changed and changed["name"] is None:
                # Upstream's prepare_update_properties: a name taken out of the template
                # goes back to the physical name the create gave.
                changed["name"] = request.data.get(PHYSICAL_NAME) or None
            if "tags" in changed and self.taggable:
                self._set_tags(conn, request.physical_id, changed["tags"])
            self.update_extra(conn, request, changed)
            body = self.body(conn, request, changed)
            if body:
                rest(conn, "PUT", f"/{self.collection}/{request.physical_id}", {self.key: body})
            return ActionResult(poll_after=0.5)

        return await call(request, work)

    def update_extra(
        self, conn: Connection, request: ResourceActionRequest, changed: dict[str, Any]
    ) -> None:
        """Changes that are not fields of the object (a security group's rules)."""

    async def check_update(self, request: ResourceActionRequest) -> ActionResult:
        return await self._wait_built(request)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()

        def work(conn: Connection) -> None:
            rest(conn, "DELETE", f"/{self.collection}/{request.physical_id}")

        await delete_call(request, work)
        return ActionResult()

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        return await self._wait_built(request)

    supports_live_state: ClassVar[bool] = True

    async def live_state(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            path = f"/{self.collection}/{request.physical_id}"
            live = rest(conn, "GET", path)[self.key]
            return ActionResult(live_properties=self.live_properties(request.properties, live))

        return await call(request, work)

    # -- helpers -------------------------------------------------------------------------------

    def _made_before(
        self, conn: Connection, request: ResourceActionRequest
    ) -> dict[str, Any] | None:
        """What an earlier attempt of this very create made, found by its marker tag."""
        if not self.taggable:
            return None
        plural = self.collection.replace("-", "_")
        found = rest(conn, "GET", f"/{self.collection}?tags={marker(request)}")[plural]
        if (
            not found
            and request.physical_name
            and self.create_props(request).get("name") == request.physical_name
        ):
            # Tags are set by a second call (this Neutron refuses them in the POST): an attempt
            # that died between the two left an untagged object, still named by this very
            # request (the physical name is unique to it).
            query = urllib.parse.urlencode({"name": request.physical_name})
            found = rest(conn, "GET", f"/{self.collection}?{query}")[plural]
        return found[0] if found else None

    def _set_tags(
        self, conn: Connection, object_id: str, tags: list[str] | None, add: str | None = None
    ) -> None:
        """The user's tags, keeping the create's marker (or adding it: `add`)."""
        current = rest(conn, "GET", f"/{self.collection}/{object_id}")[self.key]
        ours = [*(tags or []), *(t for t in current.get("tags", []) if t.startswith("heat-"))]
        ours += [add] if add else []
        rest(conn, "PUT", f"/{self.collection}/{object_id}/tags", {"tags": sorted(set(ours))})

    async def _wait_built(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> dict[str, Any]:
            return dict(rest(conn, "GET", f"/{self.collection}/{request.physical_id}")[self.key])

        found = await call(request, work)
        status = str(found.get("status") or "ACTIVE")
        if status == "ERROR":
            raise ResourceFailure(
                f'Went to status ERROR due to "{self.key} {request.physical_id} is in ERROR"',
                "ResourceInError",
            )
        if status == "BUILD":
            return ActionResult(poll_after=POLL_SECS)
        return self.done(self.visible(found))

    def visible(self, found: dict[str, Any]) -> dict[str, Any]:
        """The object as attributes show it: without our marker tag."""
        if "tags" in found:
            found = {**found, "tags": [t for t in found["tags"] if not t.startswith("heat-")]}
        return found


class Net(NeutronResource):
    type_name = "OS::Neutron::Net"
    schema = SCHEMAS[type_name]
    collection, key = "networks", "network"


class ProviderNet(NeutronResource):
    type_name = "OS::Neutron::ProviderNet"
    schema = SCHEMAS[type_name]
    collection, key = "networks", "network"
    _RENAMES: ClassVar[dict[str, str]] = {
        "network_type": "provider:network_type",
        "physical_network": "provider:physical_network",
        "segmentation_id": "provider:segmentation_id",
        "router_external": "router:external",
    }

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        body = super().body(conn, request, props)
        return {self._RENAMES.get(name, name): value for name, value in body.items()}


class Subnet(NeutronResource):
    type_name = "OS::Neutron::Subnet"
    schema = with_replacements(SCHEMAS[type_name], {"network_id": "network"})
    collection, key = "subnets", "subnet"

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        props = dict(props)
        network = props.pop("network", None) or props.pop("network_id", None)
        props.pop("network_id", None)
        if network:
            props["network_id"] = find_id(conn, "networks", network)
        if props.get("subnetpool"):
            props["subnetpool_id"] = find_id(conn, "subnetpools", props.pop("subnetpool"))
        props.pop("subnetpool", None)
        if props.get("segment"):
            props["segment_id"] = find_id(conn, "segments", props.pop("segment"))
        elif "segment" in props:
            props["segment_id"] = props.pop("segment")
        # An empty gateway_ip means "no gateway" (null); absent on create, Neutron picks one;
        # taken out of the template on update, the gateway goes (upstream sends the null).
        updating = request.step == "update"
        has_gateway = "gateway_ip" in props
        gateway_ip = props.pop("gateway_ip", None)
        body = super().body(conn, request, props)
        if gateway_ip == "" or (updating and has_gateway and gateway_ip is None):
            body["gateway_ip"] = None
        elif gateway_ip is not None:
            body["gateway_ip"] = gateway_ip
        if updating:
            # Lists taken out of the template are emptied (upstream: allocation_pools None
            # becomes []; Neutron reads a null host_routes or dns_nameservers as []).
            for name in ("allocation_pools", "host_routes", "dns_nameservers"):
                if name in props and props[name] is None:
                    body[name] = []
        if "network_id" not in body and request.step == "create":
            raise ResourceFailure(
                f"Property error: resources.{request.resource_name}.properties: One of the "
                'properties "network" or "network_id" should be set for the specified resource.',
                "StackValidationFailed",
            )
        return body


class Port(NeutronResource):
    type_name = "OS::Neutron::Port"
    schema = with_replacements(SCHEMAS[type_name], {"network_id": "network"})
    collection, key = "ports", "port"

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        props = dict(props)
        network = props.pop("network", None) or props.pop("network_id", None)
        props.pop("network_id", None)
        if network:
            props["network_id"] = find_id(conn, "networks", network)
        props.pop("replacement_policy", None)
        if props.pop("no_fixed_ips", False):
            props["fixed_ips"] = []
        elif "fixed_ips" in props:
            fixed_ips = []
            for item in props.pop("fixed_ips") or []:
                entry: dict[str, Any] = {}
                subnet = item.get("subnet") or item.get("subnet_id")
                if subnet:
                    entry["subnet_id"] = find_id(conn, "subnets", subnet)
                if item.get("ip_address"):
                    entry["ip_address"] = item["ip_address"]
                fixed_ips.append(entry)
            # An empty list keeps Neutron's own choice (upstream's bug #1538473).
            if fixed_ips:
                props["fixed_ips"] = fixed_ips
        if "security_groups" in props and props["security_groups"] is not None:
            props["security_groups"] = [
                find_id(conn, "security-groups", group) for group in props["security_groups"]
            ]
        if "allowed_address_pairs" in props:
            props["allowed_address_pairs"] = [
                without_nones(pair) for pair in props["allowed_address_pairs"] or []
            ]
        return super().body(conn, request, props)

    def attributes_of(self, found: dict[str, Any]) -> dict[str, Any]:
        values = super().attributes_of(found)
        values["subnets"] = [ip.get("subnet_id") for ip in found.get("fixed_ips") or []]
        values["network"] = {"id": found.get("network_id")}
        return values

    # -- replacement (upstream's prepare_for_replace and restore_prev_rsrc) -------------------

    prepares_for_replace = True

    async def prepare_for_replace(self, request: ResourceActionRequest) -> ActionResult:
        """Record the old port's fixed IPs (the next step gives them up). A port gone
        already has nothing to give up."""
        if not request.physical_id or PORT_FIXED_IPS in request.data:
            return ActionResult()

        def work(conn: Connection) -> ActionResult:
            try:
                port = rest(conn, "GET", f"/ports/{request.physical_id}")["port"]
            except sdk_exceptions.NotFoundException:
                return ActionResult()
            fixed = [
                without_nones(
                    {"subnet_id": ip.get("subnet_id"), "ip_address": ip.get("ip_address")}
                )
                for ip in port.get("fixed_ips") or []
            ]
            return ActionResult(data={**request.data, PORT_FIXED_IPS: fixed})

        return await call(request, work)

    async def check_prepare_for_replace(self, request: ResourceActionRequest) -> ActionResult:
        """Give up the old port's fixed IPs, so its replacement can take the same ones."""
        if not request.physical_id or PORT_FIXED_IPS not in request.data:
            return ActionResult()
        await self._set_fixed_ips(request, [])
        return ActionResult()

    async def restore_prev(self, request: ResourceActionRequest) -> ActionResult:
        """A rollback keeps the old port: it takes its fixed IPs back (its replacement is
        deleted by then) and forgets the record."""
        if not request.physical_id or PORT_FIXED_IPS not in request.data:
            return ActionResult()
        fixed = request.data[PORT_FIXED_IPS]
        if fixed:
            await self._set_fixed_ips(request, fixed)
        rest_of = {k: v for k, v in request.data.items() if k != PORT_FIXED_IPS}
        return ActionResult(data=rest_of)

    @staticmethod
    async def _set_fixed_ips(request: ResourceActionRequest, fixed: list[dict[str, Any]]) -> None:
        def work(conn: Connection) -> None:
            body = {"port": {"fixed_ips": fixed}}
            # Gone: nothing to give up or take back.
            with contextlib.suppress(sdk_exceptions.NotFoundException):
                rest(conn, "PUT", f"/ports/{request.physical_id}", body)

        await call(request, work)


class Router(NeutronResource):
    type_name = "OS::Neutron::Router"
    schema = SCHEMAS[type_name]
    collection, key = "routers", "router"

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        props = dict(props)
        props.pop("l3_agent_id", None)
        props.pop("l3_agent_ids", None)
        if "external_gateway_info" in props:
            gateway = props.pop("external_gateway_info")
            if gateway:
                info: dict[str, Any] = {"network_id": find_id(conn, "networks", gateway["network"])}
                if gateway.get("enable_snat") is not None:
                    info["enable_snat"] = gateway["enable_snat"]
                fixed = [
                    without_nones(
                        {
                            "subnet_id": find_id(conn, "subnets", ip["subnet"])
                            if ip.get("subnet")
                            else None,
                            "ip_address": ip.get("ip_address"),
                        }
                    )
                    for ip in gateway.get("external_fixed_ips") or []
                ]
                if fixed:
                    info["external_fixed_ips"] = fixed
                props["external_gateway_info"] = info
            else:
                props["external_gateway_info"] = {}
        return super().body(conn, request, props)


class SecurityGroup(NeutronResource):
    type_name = "OS::Neutron::SecurityGroup"
    schema = SCHEMAS[type_name]
    collection, key = "security-groups", "security_group"
    # What Neutron gives a new group; kept when the template's rules have no egress.
    _DEFAULT_EGRESS: ClassVar[list[dict[str, Any]]] = [
        {"direction": "egress", "ethertype": "IPv4"},
        {"direction": "egress", "ethertype": "IPv6"},
    ]

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        props = dict(props)
        props.pop("rules", None)
        return super().body(conn, request, props)

    def after_create(
        self, conn: Connection, request: ResourceActionRequest, made: dict[str, Any]
    ) -> None:
        self._reconcile_rules(conn, made["id"], request.properties.get("rules") or [])

    def update_extra(
        self, conn: Connection, request: ResourceActionRequest, changed: dict[str, Any]
    ) -> None:
        if "rules" in changed:
            self._reconcile_rules(conn, request.physical_id, changed.pop("rules") or [])

    def _reconcile_rules(
        self, conn: Connection, group_id: str, rules: list[dict[str, Any]]
    ) -> None:
        """Make the group's rules exactly `rules` (idempotent: a retry finds them made)."""
        desired = [self._format(rule, group_id) for rule in rules]
        if not any(rule["direction"] == "egress" for rule in desired):
            desired += [self._format(rule, group_id) for rule in self._DEFAULT_EGRESS]
        wanted = {self._rule_key(rule): rule for rule in desired}
        group = rest(conn, "GET", f"/security-groups/{group_id}")["security_group"]
        current = {self._rule_key(rule): rule for rule in group["security_group_rules"]}
        for key, rule in current.items():
            if key not in wanted:
                with contextlib.suppress(sdk_exceptions.NotFoundException):
                    rest(conn, "DELETE", f"/security-group-rules/{rule['id']}")
        missing = [rule for key, rule in wanted.items() if key not in current]
        if missing:
            rest(conn, "POST", "/security-group-rules", {"security_group_rules": missing})

    @staticmethod
    def _format(rule: dict[str, Any], group_id: str) -> dict[str, Any]:
        out = without_nones(dict(rule))
        out["security_group_id"] = group_id
        out.setdefault("direction", "ingress")
        out.setdefault("ethertype", "IPv4")
        if out.pop("remote_mode", "remote_ip_prefix") == "remote_group_id":
            out.pop("remote_ip_prefix", None)
            out.setdefault("remote_group_id", group_id)
        else:
            out.pop("remote_group_id", None)
        return out

    @staticmethod
    def _rule_key(rule: dict[str, Any]) -> tuple[Any, ...]:
        def port(value: Any) -> int | None:
            return None if value is None else int(value)

        prefix = rule.get("remote_ip_prefix")
        if prefix in ("0.0.0.0/0", "::/0"):
            prefix = None  # Neutron stores "anywhere" as no prefix
        protocol = rule.get("protocol")
        return (
            rule.get("direction"),
            rule.get("ethertype"),
            str(protocol).lower() if protocol is not None else None,
            port(rule.get("port_range_min")),
            port(rule.get("port_range_max")),
            prefix,
            rule.get("remote_group_id"),
        )


class SecurityGroupRule(NeutronResource):
    type_name = "OS::Neutron::SecurityGroupRule"
    schema = SCHEMAS[type_name]
    collection, key = "security-group-rules", "security_group_rule"
    taggable = False

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        props = dict(props)
        props["security_group_id"] = find_id(conn, "security-groups", props.pop("security_group"))
        if props.get("remote_group"):
            props["remote_group_id"] = find_id(conn, "security-groups", props.pop("remote_group"))
        props.pop("remote_group", None)
        return super().body(conn, request, props)

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        def work(conn: Connection) -> ActionResult:
            body = self.body(conn, request, dict(request.properties))
            try:
                made = rest(conn, "POST", f"/{self.collection}", {self.key: body})[self.key]
            except sdk_exceptions.ConflictException as error:
                # A retried create finds its own rule: Neutron names the duplicate.
                existing = str(error.details or "").rsplit(" ", 1)[-1].rstrip(".")
                if not is_uuid(existing):
                    raise
                made = {"id": existing}
            return ActionResult(physical_id=made["id"], poll_after=0.5)

        return await call(request, work)


class RouterInterface(CloudPlugin):
    """A subnet or port plugged into a router; its id is `<router>:<subnet_id|port_id>=<id>`."""

    type_name = "OS::Neutron::RouterInterface"
    schema = with_replacements(
        SCHEMAS[type_name], {"router_id": "router", "subnet_id": "subnet", "port_id": "port"}
    )

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            router = find_id(conn, "routers", props.get("router") or props["router_id"])
            subnet = props.get("subnet") or props.get("subnet_id")
            if subnet:
                key, value = "subnet_id", find_id(conn, "subnets", subnet)
            else:
                key, value = (
                    "port_id",
                    find_id(conn, "ports", props.get("port") or props["port_id"]),
                )
            try:
                rest(conn, "PUT", f"/routers/{router}/add_router_interface", {key: value})
            except sdk_exceptions.BadRequestException as error:
                # A retried create: the router already has this subnet, which is what we want.
                if "already has a port on subnet" not in str(error.details or ""):
                    raise
            return ActionResult(physical_id=f"{router}:{key}={value}")

        return await call(request, work)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()
        router, _, rest_of_id = request.physical_id.partition(":")
        key, _, value = rest_of_id.partition("=")
        if not value:  # ids of old records: <router>:<subnet>
            key, value = "subnet_id", key

        def work(conn: Connection) -> None:
            rest(conn, "PUT", f"/routers/{router}/remove_router_interface", {key: value})

        await delete_call(request, work)
        return ActionResult()

    async def check(self, request: ResourceActionRequest) -> ActionResult:
        router = request.physical_id.partition(":")[0]

        def work(conn: Connection) -> None:
            rest(conn, "GET", f"/routers/{router}")

        await call(request, work)
        return ActionResult()


class RouterGateway(CloudPlugin):
    """A router's external gateway (hidden upstream: use Router's external_gateway_info)."""

    type_name = "OS::Neutron::RouterGateway"
    schema = with_replacements(SCHEMAS[type_name], {"network_id": "network"})

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            router = find_id(conn, "routers", props["router_id"])
            network = find_id(conn, "networks", props.get("network") or props["network_id"])
            body = {"router": {"external_gateway_info": {"network_id": network}}}
            rest(conn, "PUT", f"/routers/{router}", body)
            return ActionResult(physical_id=f"{router}:{network}")

        return await call(request, work)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        if not request.physical_id:
            return ActionResult()
        router = request.physical_id.partition(":")[0]

        def work(conn: Connection) -> None:
            body: dict[str, Any] = {"router": {"external_gateway_info": {}}}
            rest(conn, "PUT", f"/routers/{router}", body)

        await delete_call(request, work)
        return ActionResult()


class FloatingIP(NeutronResource):
    type_name = "OS::Neutron::FloatingIP"
    schema = with_replacements(SCHEMAS[type_name], {"floating_network_id": "floating_network"})
    collection, key = "floatingips", "floatingip"

    def body(
        self, conn: Connection, request: ResourceActionRequest, props: dict[str, Any]
    ) -> dict[str, Any]:
        props = dict(props)
        network = props.pop("floating_network", None) or props.pop("floating_network_id", None)
        props.pop("floating_network_id", None)
        if network:
            props["floating_network_id"] = find_id(conn, "networks", network)
        if props.get("floating_subnet"):
            props["subnet_id"] = find_id(conn, "subnets", props.pop("floating_subnet"))
        props.pop("floating_subnet", None)
        body = super().body(conn, request, props)
        if request.step == "update":
            # Moving the address: Heat sends both keys, a null port disassociates it.
            body["port_id"] = request.properties.get("port_id")
            if request.properties.get("fixed_ip_address"):
                body["fixed_ip_address"] = request.properties["fixed_ip_address"]
        return body


class FloatingIPAssociation(CloudPlugin):
    """Points a floating IP at a port; its id is `<floating ip>:<port>`."""

    type_name = "OS::Neutron::FloatingIPAssociation"
    schema = SCHEMAS[type_name]

    async def create(self, request: ResourceActionRequest) -> ActionResult:
        props = request.properties

        def work(conn: Connection) -> ActionResult:
            body = without_nones(
                {"port_id": props["port_id"], "fixed_ip_address": props.get("fixed_ip_address")}
            )
            rest(conn, "PUT", f"/floatingips/{props['floatingip_id']}", {"floatingip": body})
            return ActionResult(physical_id=f"{props['floatingip_id']}:{props['port_id']}")

        return await call(request, work)

    async def update(self, request: ResourceActionRequest) -> ActionResult:
        old = request.old_properties
        if old.get("floatingip_id") and old["floatingip_id"] != request.properties["floatingip_id"]:
            await self.delete(request.model_copy(update={"properties": old}))
        return await self.create(request)

    async def delete(self, request: ResourceActionRequest) -> ActionResult:
        floating_ip = request.properties.get("floatingip_id") or request.physical_id.split(":")[0]
        if not floating_ip:
            return ActionResult()

        def work(conn: Connection) -> None:
            rest(conn, "PUT", f"/floatingips/{floating_ip}", {"floatingip": {"port_id": None}})

        await call_unless_gone(request, work)
        return ActionResult()


def _exists_in(collection: str) -> Callable[[Connection, str], None]:
    def check(conn: Connection, name_or_id: str) -> None:
        find_id(conn, collection, name_or_id)

    return check


for _name, _collection in (
    ("network", "networks"),
    ("subnet", "subnets"),
    ("port", "ports"),
    ("router", "routers"),
):
    register(f"neutron.{_name}")(_exists_in(_collection))


NEUTRON_PLUGINS: list[CloudPlugin] = [
    Net(),
    ProviderNet(),
    Subnet(),
    Port(),
    Router(),
    RouterInterface(),
    RouterGateway(),
    FloatingIP(),
    FloatingIPAssociation(),
    SecurityGroup(),
    SecurityGroupRule(),
]
