"""The stack environment, pure: parse and check it, merge environment files, map resource types."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from templates.errors import StackValidationFailed, TemplateError

SECTIONS = (
    "parameters",
    "resource_registry",
    "parameter_defaults",
    "encrypted_param_names",
    "event_sinks",
    "parameter_merge_strategies",
)
TEMPLATE_SUFFIXES = (".yaml", ".template")
HOOK_TYPES = ("pre-create", "pre-update", "pre-delete", "post-create", "post-update", "post-delete")
RESTRICTED_ACTIONS = ("update", "replace")
MERGE_STRATEGIES = ("overwrite", "merge", "deep_merge")


class EnvironmentError_(TemplateError):
    """A malformed environment (upstream's ValueError, shown as HTTPBadRequest)."""

    error_type = "HTTPBadRequest"


class InvalidMergeStrategy(TemplateError):
    error_type = "InvalidMergeStrategyForParam"


class ConflictingMergeStrategy(TemplateError):
    error_type = "ConflictingMergeStrategyForParam"


def _loader() -> type[yaml.SafeLoader]:
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def parse_environment(data: str | bytes | Mapping[str, Any] | None) -> dict[str, Any]:
    """An environment from YAML/JSON text or a mapping, checked as upstream (env_fmt.parse)."""
    if data is None:
        return {}
    if isinstance(data, Mapping):
        env: Any = dict(data)
    else:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        try:
            env = yaml.load(text, Loader=_loader())
        except yaml.YAMLError:
            try:
                env = yaml.load(text, Loader=yaml.SafeLoader)
            except yaml.YAMLError as exc:
                raise EnvironmentError_(str(exc)) from None
        if env is None:
            env = {}
    if not isinstance(env, dict):
        raise EnvironmentError_("The environment is not a valid YAML mapping data type.")
    for section, value in env.items():
        if section not in SECTIONS:
            raise EnvironmentError_(f'environment has wrong section "{section}"')
        if value is None:
            raise EnvironmentError_(f'environment has empty section "{section}"')
    return env


def _merge_list(old: Any, new: Any) -> Any:
    if not old:
        return new
    if isinstance(new, list):
        return [*old, *new] if isinstance(old, list) else new
    return ",".join([str(old), str(new)])


def merge_map(old: Any, new: Mapping[str, Any], deep_merge: bool = False) -> Any:
    """heat.common.environment_util.merge_map: later values win, deep merge on request."""
    if not old:
        return dict(new)
    out = dict(old)
    for key, value in new.items():
        if value is None:
            continue
        if not deep_merge:
            out[key] = value
        elif isinstance(value, Mapping):
            previous = out.get(key)
            out[key] = merge_map(previous, value, True) if previous else value
        elif isinstance(value, Sequence) and not isinstance(value, str):
            previous = out.get(key)
            out[key] = _merge_list(previous, value) if previous else value
        elif isinstance(value, str):
            out[key] = "".join([str(out.get(key, "")), value])
        else:
            out[key] = value
    return out


def _strategy(strategies: Mapping[str, Any] | None, key: str, chosen: Mapping[str, str]) -> str:
    if strategies is None:
        return "overwrite"
    default = strategies.get("default", "overwrite")
    strategy = strategies.get(key, chosen.get(key, default))
    return strategy if strategy in MERGE_STRATEGIES else default


def _merge_parameters(
    old: dict[str, Any],
    new: Mapping[str, Any],
    param_types: Mapping[str, str],
    strategies: Mapping[str, Any],
    chosen: dict[str, str],
    env_file: str,
) -> dict[str, Any]:
    for key, value in new.items():
        if key in param_types and value is not None:
            strategy = _strategy(strategies, key, chosen)
            if key not in chosen:
                chosen[key] = strategy
            elif strategy != chosen[key]:
                raise ConflictingMergeStrategy(
                    f"Conflicting merge strategy '{strategy}' for parameter '{key}' "
                    f"in file '{env_file}'."
                )
    if not old:
        return dict(new)
    out = dict(old)
    for key, value in new.items():
        if key not in param_types or value is None:
            continue
        strategy = chosen[key]
        if strategy == "overwrite":
            out[key] = value
            continue
        ptype = param_types[key]
        if ptype == "json":
            if isinstance(value, str):
                try:
                    value = json.loads(value) if value else value
                except ValueError as exc:
                    raise EnvironmentError_(f"Invalid parameter in environment {exc}.") from None
            out[key] = merge_map(out.get(key, {}), value, strategy == "deep_merge")
        elif ptype == "comma_delimited_list":
            out[key] = _merge_list(out.get(key), value)
        elif ptype == "string":
            out[key] = "".join([str(out.get(key, "")), str(value)])
        elif ptype == "number":
            out[key] = out.get(key, 0) + value
        else:
            raise InvalidMergeStrategy(f"Invalid merge strategy 'merge' for parameter '{key}'.")
    return out


def merge_environment_files(
    environment: Mapping[str, Any] | None,
    environment_files: Iterable[str] | None,
    files: Mapping[str, str],
    param_types: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge `environment_files` (names in `files`) into the environment, in order, as upstream.

    Upstream's engine (environment_util.merge_environments) merges each file's
    sections into the request's environment: `parameters` and
    `parameter_defaults` by each parameter's merge strategy (overwrite by
    default), every other section by a shallow map merge.
    """
    merged: dict[str, Any] = {
        "parameters": {},
        "parameter_defaults": {},
        "resource_registry": {},
        **dict(environment or {}),
    }
    types = dict(param_types or {})
    chosen: dict[str, str] = {}
    for name in environment_files or ():
        if name not in files:
            raise EnvironmentError_(f"Environment file {name} not found in files")
        parsed = parse_environment(files[name])
        strategies = parsed.pop("parameter_merge_strategies", {})
        for section, value in parsed.items():
            if not value:
                continue
            if section in ("parameters", "parameter_defaults"):
                merged[section] = _merge_parameters(
                    merged.get(section) or {}, value, types, strategies, chosen, name
                )
            elif isinstance(value, Mapping):
                merged[section] = merge_map(merged.get(section), value)
            else:
                merged[section] = value
    return merged


@dataclass(frozen=True)
class RegistryEntry:
    """What a resource type maps to: another type, or a provider template (a file name)."""

    name: str
    value: Any

    @property
    def is_template(self) -> bool:
        return isinstance(self.value, str) and (
            self.value.endswith(TEMPLATE_SUFFIXES) or self.name.endswith(TEMPLATE_SUFFIXES)
        )

    @property
    def is_glob(self) -> bool:
        return self.name.endswith("*")


def _is_hook(key: str, value: Any) -> bool:
    if key != "hooks":
        return False
    hooks = value if isinstance(value, list) else [value]
    for hook in hooks:
        if hook not in HOOK_TYPES:
            raise StackValidationFailed(
                f'Invalid hook type "{hook}" for resource breakpoint, acceptable hook '
                f"types are: {HOOK_TYPES}"
            )
    return True


def _is_restricted(key: str, value: Any) -> bool:
    if key != "restricted_actions":
        return False
    actions = value if isinstance(value, list) else [value]
    for action in actions:
        if action not in RESTRICTED_ACTIONS:
            raise StackValidationFailed(
                f'Invalid restricted_action type "{action}" for resource, acceptable '
                f"restricted_action types are: {RESTRICTED_ACTIONS}"
            )
    return True


@dataclass(frozen=True)
class ResourceRegistry:
    """The user's `resource_registry`: type aliases, globs, templates, per-resource entries."""

    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.data, Mapping):
            raise EnvironmentError_("resource_registry must be a map")
        resources = self.data.get("resources") or {}
        if not isinstance(resources, Mapping):
            raise EnvironmentError_("resource_registry resources must be a map")
        for entries in resources.values():
            if isinstance(entries, Mapping):
                for key, value in entries.items():
                    _is_hook(key, value) or _is_restricted(key, value)

    def _entries(self, level: Mapping[str, Any]) -> dict[str, RegistryEntry]:
        return {
            key: RegistryEntry(key, value)
            for key, value in level.items()
            if key != "resources" and not isinstance(value, Mapping) and value is not None
        }

    def lookup(self, resource_type: str, resource_name: str | None = None) -> RegistryEntry | None:
        """The most specific mapping: per-resource, then exact type, then the longest glob."""
        if resource_name:
            per = (self.data.get("resources") or {}).get(resource_name)
            if isinstance(per, Mapping):
                entries = self._entries(per)
                if resource_type in entries:
                    return entries[resource_type]
        entries = self._entries(self.data)
        if resource_type in entries:
            return entries[resource_type]
        globs = sorted(
            (
                e
                for e in entries.values()
                if e.is_glob and fnmatch.fnmatchcase(resource_type, e.name)
            ),
            key=lambda e: len(e.name),
            reverse=True,
        )
        return globs[0] if globs else None

    def resolve(self, resource_type: str, resource_name: str | None = None) -> str:
        """The type (or template file name) `resource_type` finally maps to.

        Follows aliases (a -> b -> c), expands globs (`OS::Networking::*` ->
        `OS::Neutron::*` maps `OS::Networking::Net` to `OS::Neutron::Net`),
        and stops at a template file. A type mapped to itself stops there.
        """
        seen: set[str] = set()
        current = resource_type
        while current not in seen:
            seen.add(current)
            entry = self.lookup(current, resource_name)
            if entry is None:
                return current
            value = entry.value
            if not isinstance(value, str):
                return current
            if entry.is_glob and value.endswith("*"):
                value = value[:-1] + current[len(entry.name) - 1 :]
            if entry.is_template:
                return value
            current = value
        return current

    def hooks(self, resource_name: str) -> list[str]:
        """The breakpoint hooks set on a resource (kept for the engine's hooks support)."""
        found: list[str] = []
        for pattern, entries in (self.data.get("resources") or {}).items():
            if isinstance(entries, Mapping) and fnmatch.fnmatchcase(resource_name, pattern):
                hooks = entries.get("hooks")
                if hooks:
                    found.extend(hooks if isinstance(hooks, list) else [hooks])
        return found

    def restricted_actions(self, resource_name: str) -> list[str]:
        found: list[str] = []
        for pattern, entries in (self.data.get("resources") or {}).items():
            if isinstance(entries, Mapping) and fnmatch.fnmatchcase(resource_name, pattern):
                actions = entries.get("restricted_actions")
                if actions:
                    found.extend(actions if isinstance(actions, list) else [actions])
        return found

    def as_dict(self) -> dict[str, Any]:
        """The registry as GET .../environment shows it (`resources` always present)."""
        out: dict[str, Any] = {"resources": dict(self.data.get("resources") or {})}
        for key, value in self.data.items():
            if key != "resources":
                out[key] = value
        return out


def is_template_type(type_name: Any) -> bool:
    return isinstance(type_name, str) and type_name.endswith(TEMPLATE_SUFFIXES)


@dataclass(frozen=True)
class Environment:
    """A stack's user environment, after merging environment files."""

    parameters: Mapping[str, Any] = field(default_factory=dict)
    parameter_defaults: Mapping[str, Any] = field(default_factory=dict)
    registry: ResourceRegistry = field(default_factory=ResourceRegistry)
    event_sinks: tuple[Any, ...] = ()
    encrypted_param_names: tuple[str, ...] = ()

    @classmethod
    def from_data(
        cls,
        data: str | bytes | Mapping[str, Any] | None,
        *,
        environment_files: Iterable[str] | None = None,
        files: Mapping[str, str] | None = None,
        param_types: Mapping[str, str] | None = None,
    ) -> Environment:
        """Parse, check and merge: the environment a request describes."""
        env = parse_environment(data)
        if environment_files:
            env = merge_environment_files(env, environment_files, files or {}, param_types)
        params = env.get("parameters") or {}
        if not isinstance(params, Mapping):
            raise EnvironmentError_("The parameters must be a map.")
        return cls(
            parameters=dict(params),
            parameter_defaults=dict(env.get("parameter_defaults") or {}),
            registry=ResourceRegistry(dict(env.get("resource_registry") or {})),
            event_sinks=tuple(env.get("event_sinks") or ()),
            encrypted_param_names=tuple(env.get("encrypted_param_names") or ()),
        )

    def user_body(self) -> dict[str, Any]:
        """The environment as GET /stacks/{name}/{id}/environment and POST /validate show it."""
        return {
            "resource_registry": self.registry.as_dict(),
            "parameters": dict(self.parameters),
            "parameter_defaults": dict(self.parameter_defaults),
            "event_sinks": list(self.event_sinks),
        }

    def stored_body(self) -> dict[str, Any]:
        """What Heat stores (user body plus encrypted_param_names)."""
        return {**self.user_body(), "encrypted_param_names": list(self.encrypted_param_names)}

    def with_parameters(self, params: Mapping[str, Any]) -> Environment:
        """The request's own `parameters` on top of the environment's."""
        return Environment(
            {**self.parameters, **params},
            self.parameter_defaults,
            self.registry,
            self.event_sinks,
            self.encrypted_param_names,
        )
