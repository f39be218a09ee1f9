"""Chaos checks against the minicloud itself: what Nova, Neutron and Cinder hold after the kills."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

import requests

from tests.chaos.workload import StackPlan
from tests.cloud.conftest import CLOUDS_YAML, WORKER_CLOUD, sdk_connection
from tests.conftest import Service

# Stack resources are named `<stack>-<resource>-<short id>`; chaos stack names hold no dash.
_KINDS = ("servers", "networks", "subnets", "ports", "volumes")


class CloudCheck:
    """Lists the demo project's servers, networks, subnets, ports and volumes by stack name."""

    def service_env(self) -> dict[str, str]:
        return {
            "OS_CLIENT_CONFIG_FILE": str(CLOUDS_YAML),
            "HEAT_TEMPORAL_CLOUD__NAME": WORKER_CLOUD,
        }

    def holdings(self, stack_names: Iterable[str]) -> list[tuple[str, str, str]]:
        """(kind, name, id) of every cloud resource a chaos stack of `stack_names` named."""
        prefixes = tuple(f"{name}-" for name in stack_names)
        if not prefixes:
            return []
        conn = sdk_connection()
        listings: dict[str, Any] = {
            "servers": conn.compute.servers(),
            "networks": conn.network.networks(),
            "subnets": conn.network.subnets(),
            "ports": conn.network.ports(),
            "volumes": conn.block_storage.volumes(),
        }
        return [
            (kind, str(item.name), str(item.id))
            for kind in _KINDS
            for item in listings[kind]
            if (item.name or "").startswith(prefixes)
        ]

    def verify(
        self,
        stack_names: set[str],
        live_ids: dict[str, set[str]],
        leaked: list[str],
        duplicated: list[str],
    ) -> None:
        """Every cloud resource belongs to a live stack, and no stack resource exists twice."""
        live = set().union(*live_ids.values()) if live_ids else set()
        owners: Counter[tuple[str, str]] = Counter()
        for kind, name, physical_id in self.holdings(stack_names):
            if physical_id not in live:
                leaked.append(f"cloud {kind} {name} {physical_id}")
            stack, resource = name.split("-")[:2]
            owners[(kind, f"{stack}/{resource}")] += 1
        duplicated += [f"cloud {k} {owner}: {n}" for (k, owner), n in owners.items() if n > 1]

    def clean_up(self, service: Service, stacks: list[tuple[str, StackPlan]]) -> list[str]:
        """Delete the cloud stacks still alive; what the cloud still holds of them afterwards."""
        headers = {"X-Auth-Token": "chaos"}
        for project, plan in stacks:
            if plan.stack_id is None:
                continue
            url = f"{service.endpoint(project)}/stacks/{plan.name}/{plan.stack_id}"
            requests.delete(url, headers=headers, timeout=30)
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                shown = requests.get(url, headers=headers, timeout=30)
                status = shown.json()["stack"]["stack_status"] if shown.ok else "GONE"
                if status in ("GONE", "DELETE_COMPLETE", "DELETE_FAILED"):
                    break
                time.sleep(1)
        return [f"{kind} {name}" for kind, name, _ in self.holdings(p.name for _, p in stacks)]
