"""The chaos workload: stacks of mixed templates created, updated and deleted through the API,
each request retried until the service accepts it, whatever is being killed meanwhile."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

import requests

TEMPLATE_VERSION = "2018-08-31"
TERMINAL = ("COMPLETE", "FAILED")
# Statuses of a request the service has taken (or, for a retried one, had already taken).
_ACCEPTED = {
    "create": (201, 409),  # 409: an earlier attempt was taken but its answer was lost
    # A retried update takes over from an earlier attempt still running (same template);
    # 409: that attempt is itself still taking over from the operation before it.
    "update": (202, 409),
    "delete": (204, 404),  # 404: an earlier attempt already deleted it
}


# The shape of real cloud resources in the minicloud: kept across the update, which changes
# the server's metadata and grows the volume in place.
CLOUD = 4
LOCAL_KINDS = 4


def cloud_resources(value: str, cidr: str) -> dict[str, Any]:
    return {
        "net": {"type": "OS::Neutron::Net"},
        "subnet": {
            "type": "OS::Neutron::Subnet",
            "properties": {"network": {"get_resource": "net"}, "cidr": cidr},
        },
        "port": {
            "type": "OS::Neutron::Port",
            "depends_on": ["subnet"],
            "properties": {"network": {"get_resource": "net"}},
        },
        "server": {
            "type": "OS::Nova::Server",
            "properties": {
                "image": "fake-img",
                "flavor": "m1.fake",
                "networks": [{"port": {"get_resource": "port"}}],
                "metadata": {"marker": value},
            },
        },
        "volume": {
            "type": "OS::Cinder::Volume",
            "properties": {"size": 1 if value == "v1" else 2},
        },
    }


def mixed_template(kind: int, value: str, cidr: str = "10.99.0.0/24") -> dict[str, Any]:
    """One of four local shapes (TestResources, in-engine types, a chain, all of them mixed),
    or CLOUD: a network, subnet, port, server and volume in the minicloud."""
    resources: dict[str, Any]
    if kind == CLOUD:
        resources = cloud_resources(value, cidr)
    elif kind == 0:
        resources = {
            f"test{i}": {
                "type": "OS::Heat::TestResource",
                "properties": {"value": f"{value}-{i}", "wait_secs": random.choice([0, 1, 2])},
            }
            for i in range(3)
        }
    elif kind == 1:
        resources = {
            "secret": {"type": "OS::Heat::RandomString", "properties": {"length": 8}},
            "label": {"type": "OS::Heat::Value", "properties": {"value": value}},
            **{f"slot{i}": {"type": "OS::Heat::None"} for i in range(4)},
        }
    elif kind == 2:
        resources = {"link0": {"type": "OS::Heat::None"}}
        for i in range(1, 6):
            resources[f"link{i}"] = {"type": "OS::Heat::None", "depends_on": [f"link{i - 1}"]}
    else:
        resources = {
            "secret": {"type": "OS::Heat::RandomString", "properties": {"length": 8}},
            "label": {
                "type": "OS::Heat::Value",
                "properties": {"value": {"list_join": ["-", [value, {"get_resource": "secret"}]]}},
            },
            "server": {
                "type": "OS::Heat::TestResource",
                "depends_on": ["label"],
                "properties": {"value": value, "wait_secs": 1},
            },
            "tail": {"type": "OS::Heat::None", "depends_on": ["server"]},
        }
    resources["marker"] = {"type": "OS::Heat::Value", "properties": {"value": value}}
    return {
        "heat_template_version": TEMPLATE_VERSION,
        "resources": resources,
        "outputs": {"marker": {"value": {"get_attr": ["marker", "value"]}}},
    }


# Longer than the entity's create grace period (StackStart.create_grace_secs, 60 s).
LOST_CREATE_SECS = 90.0


@dataclass
class StackPlan:
    """One stack's life: create, update, perhaps delete; and what was accepted of it."""

    name: str
    kind: int
    delete: bool
    cidr: str = "10.99.0.0/24"
    stack_id: str | None = None
    accepted: list[str] = field(default_factory=list)
    expected_marker: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def expected_status(self) -> str:
        last = self.accepted[-1] if self.accepted else "none"
        return {"create": "CREATE_COMPLETE", "update": "UPDATE_COMPLETE"}.get(
            last, "DELETE_COMPLETE"
        )


class Driver:
    """Speaks the Heat API, retrying through restarts; one per stack (used from one thread)."""

    def __init__(self, endpoint: str, deadline_secs: float) -> None:
        self.endpoint = endpoint
        self.deadline = time.monotonic() + deadline_secs
        self.http = requests.Session()
        self.http.headers.update({"X-Auth-Token": "chaos", "Accept": "application/json"})

    def _until_deadline(self) -> bool:
        return time.monotonic() < self.deadline

    def request(self, method: str, path: str, body: Any = None) -> requests.Response | None:
        """One attempt; None when the service could not answer (down, restarting)."""
        try:
            response = self.http.request(
                method, self.endpoint + path, json=body, timeout=30, allow_redirects=False
            )
        except requests.RequestException:
            return None
        if response.status_code >= 500:
            return None
        return response

    def submit(self, plan: StackPlan, operation: str, method: str, path: str, body: Any) -> None:
        """Send until the service answers with an accepting status (or an error to record)."""
        while self._until_deadline():
            response = self.request(method, path, body)
            if response is None:
                time.sleep(0.5)
                continue
            if response.status_code in _ACCEPTED[operation]:
                plan.accepted.append(operation)
                return
            plan.errors.append(f"{operation}: {response.status_code} {response.text[:200]}")
            return
        plan.errors.append(f"{operation}: never accepted before the deadline")

    def resolve_id(self, plan: StackPlan, within_secs: float | None = None) -> None:
        stop = time.monotonic() + within_secs if within_secs is not None else self.deadline
        while plan.stack_id is None and self._until_deadline() and time.monotonic() < stop:
            response = self.request("GET", f"/stacks/{plan.name}")
            if response is not None and response.status_code == 302:
                plan.stack_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
            else:
                time.sleep(0.5)

    def settle(self, plan: StackPlan) -> str | None:
        """Wait until the stack's listed status is terminal; return it."""
        while self._until_deadline():
            response = self.request("GET", f"/stacks/{plan.name}/{plan.stack_id}")
            if response is not None and response.status_code == 200:
                status = str(response.json()["stack"]["stack_status"])
                if status.endswith(TERMINAL):
                    return status
            time.sleep(0.5)
        return None

    def run(self, plan: StackPlan) -> None:
        plan.expected_marker = "v1"
        body = {
            "stack_name": plan.name,
            "template": mixed_template(plan.kind, "v1", plan.cidr),
        }
        self.submit(plan, "create", "POST", "/stacks", body)
        self.resolve_id(plan, LOST_CREATE_SECS)
        while plan.stack_id is None and not plan.errors and self._until_deadline():
            # Taken (409) yet never listed: the create was lost after Temporal recorded the
            # entity's start (a server kill in between); the entity frees the name after its
            # grace period (docs/architecture.md), so the create is sent again.
            self.submit(plan, "create", "POST", "/stacks", body)
            self.resolve_id(plan, LOST_CREATE_SECS)
        path = f"/stacks/{plan.name}/{plan.stack_id}"
        if self.settle(plan) != "CREATE_COMPLETE":
            plan.errors.append("create did not complete")
            return
        plan.expected_marker = "v2"
        next_kind = CLOUD if plan.kind == CLOUD else (plan.kind + 1) % LOCAL_KINDS
        template = mixed_template(next_kind, "v2", plan.cidr)
        self.submit(plan, "update", "PUT", path, {"template": template})
        self.settle_after_update(plan)
        if plan.delete:
            self.submit(plan, "delete", "DELETE", path, None)
            self.settle(plan)

    def settle_after_update(self, plan: StackPlan) -> None:
        # Right after a 202 the listing may still show CREATE_COMPLETE for an instant.
        while self._until_deadline():
            status = self.settle(plan)
            if status is None or status.startswith("UPDATE"):
                return
            time.sleep(0.5)
