"""The resource dependency graph: requirements, reverse map and a deterministic order."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from templates.errors import CircularDependencyException, InvalidTemplateReference
from templates.template import ResourceDefinition


@dataclass(frozen=True)
class DependencyGraph:
    """Which resources each resource requires, and a creation order.

    `order` lists every resource after all it requires. Among resources that
    are ready together, the one seen first in the template comes first: the
    order upstream's toposort yields, so validation errors come in its order.
    """

    requires: Mapping[str, tuple[str, ...]]
    required_by: Mapping[str, tuple[str, ...]]
    order: tuple[str, ...]

    @property
    def reverse_order(self) -> tuple[str, ...]:
        """An order for deletes: every resource before those it requires."""
        return tuple(reversed(self.order))

    @classmethod
    def from_resources(
        cls,
        resources: Mapping[str, ResourceDefinition],
        label: Callable[[str], str] = str,
    ) -> DependencyGraph:
        """Build the graph, raising InvalidTemplateReference or CircularDependencyException.

        `label` renders a resource in the cycle message (upstream shows the
        plugin class and name, e.g. `NoneResource "a"`).
        """
        seen: dict[str, int] = {}
        requires: dict[str, tuple[str, ...]] = {}
        for name, definition in resources.items():
            seen.setdefault(name, len(seen))
            needed: list[str] = []
            for ref in definition.references():
                if ref.resource not in resources:
                    raise InvalidTemplateReference(ref.resource, ref.path)
                if ref.resource not in needed:
                    needed.append(ref.resource)
            for dep in needed:
                seen.setdefault(dep, len(seen))
            requires[name] = tuple(needed)
        required_by: dict[str, list[str]] = {name: [] for name in resources}
        for name, deps in requires.items():
            for dep in deps:
                required_by[dep].append(name)
        order = _toposort(requires, required_by, seen, label)
        return cls(
            requires=requires,
            required_by={name: tuple(users) for name, users in required_by.items()},
            order=order,
        )


def _toposort(
    requires: Mapping[str, tuple[str, ...]],
    required_by: Mapping[str, list[str]],
    seen: Mapping[str, int],
    label: Callable[[str], str],
) -> tuple[str, ...]:
    remaining = {name: set(needed) for name, needed in requires.items()}
    ready = [(seen[name], name) for name, needed in remaining.items() if not needed]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        order.append(name)
        del remaining[name]
        for user in required_by[name]:
            needed = remaining[user]
            needed.discard(name)
            if not needed:
                heapq.heappush(ready, (seen[user], user))
    if remaining:
        nodes = sorted(remaining, key=seen.__getitem__)
        text = ", ".join(
            "{}: {{{}}}".format(
                label(node),
                ", ".join(label(dep) for dep in sorted(remaining[node], key=seen.__getitem__)),
            )
            for node in nodes
        )
        raise CircularDependencyException("{" + text + "}")
    return tuple(order)
