"""Plan, then apply: the new definition an update asks for, and what it changes, computed purely.

Used by the entity (to validate and start an update), by the update workflow (to decide each
resource's fate when its turn comes) and by the API (preview), so all three agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from activities.resources.registry import (
    is_substituted,
    plugin_for,
    runs_in_workflow,
    type_schema,
)
from templates import (
    Environment,
    ImmutableParameterModified,
    StackIdentity,
    Template,
    TemplateError,
    is_template_type,
    validate_stack,
)
from workflows.groups import GROUP_TYPES
from workflows.rendering import StackModel, stack_definition
from workflows.types import (
    Definition,
    ResourceState,
    Snapshot,
    StackState,
    UpdateArgs,
    implementation_of,
)

Change = Literal["added", "updated", "replaced", "unchanged", "deleted"]


def current_definition(state: StackState) -> Definition:
    return Definition(
        template=state.template,
        environment=state.environment,
        files=state.files,
        parameters=state.parameters,
        timeout_mins=state.timeout_mins,
        disable_rollback=state.disable_rollback,
        tags=state.tags,
    )


def _merge_environment(
    old: Mapping[str, Any], new: Mapping[str, Any] | None, clear: list[str]
) -> dict[str, Any]:
    merged = {
        key: (dict(value) if isinstance(value, dict) else value) for key, value in old.items()
    }
    for section, value in (new or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(section), dict):
            merged[section] = {**merged[section], **value}
        else:
            merged[section] = value
    for name in clear:
        for section in ("parameters", "parameter_defaults"):
            if isinstance(merged.get(section), dict):
                merged[section].pop(name, None)
    return merged


def _declared_parameters(template: Mapping[str, Any], files: Mapping[str, str]) -> set[str] | None:
    """The parameter names a template declares; None when it cannot be read (validation will
    say why)."""
    try:
        return set(Template(template, files).parameter_schemas)
    except TemplateError:
        return None


def new_definition(state: StackState, args: UpdateArgs) -> Definition:
    """The definition after the update, merged as upstream merges PUT and PATCH."""
    if args.existing:
        template = args.template if args.template is not None else state.template
        parameters = {
            k: v
            for k, v in {**state.parameters, **args.parameters}.items()
            if k not in args.clear_parameters
        }
        environment = _merge_environment(state.environment, args.environment, args.clear_parameters)
        files = {**state.files, **args.files}
        tags = args.tags if args.tags is not None else state.tags
        if args.template is not None:
            # Kept parameters the new template no longer declares are dropped, as upstream's
            # PATCH does (otherwise they would be "not defined in template").
            declared = _declared_parameters(template, files)
            if declared is not None:
                parameters = {k: v for k, v in parameters.items() if k in declared}
                if isinstance(environment.get("parameters"), dict):
                    environment["parameters"] = {
                        k: v for k, v in environment["parameters"].items() if k in declared
                    }
    else:
        # The API refuses a PUT without a template before it gets here.
        assert args.template is not None
        template = args.template
        parameters = dict(args.parameters)
        environment = dict(args.environment or {})
        files = dict(args.files)
        tags = args.tags
    # Stored as a create stores it: merged, with the request's parameters inside.
    stored_environment = Environment.from_data(environment).with_parameters(parameters)
    return Definition(
        template=template,
        environment=stored_environment.stored_body(),
        files=files,
        parameters=parameters,
        timeout_mins=args.timeout_mins if args.timeout_mins is not None else state.timeout_mins,
        disable_rollback=(
            args.disable_rollback if args.disable_rollback is not None else state.disable_rollback
        ),
        tags=tags,
    )


def snapshot_definition(state: StackState, snapshot: Snapshot) -> Definition:
    """The definition a snapshot recorded, which a restore returns the stack to."""
    data = snapshot.data or {}
    environment = dict(data.get("environment") or {})
    return Definition(
        template=data.get("template") or state.template,
        environment=environment,
        files=dict(data.get("files") or {}),
        parameters=dict(environment.get("parameters") or {}),
        timeout_mins=state.timeout_mins,
        disable_rollback=state.disable_rollback,
        tags=data.get("tags"),
    )


def validate_definition(state: StackState, definition: Definition) -> None:
    """Raise the first TemplateError upstream would report for this update."""
    new_parameters = stack_definition(with_definition(state, definition)).parameters
    changed = stack_definition(state).parameters.immutable_modified(new_parameters)
    if changed:
        raise ImmutableParameterModified(changed)
    validate_stack(
        definition.template,
        definition.parameters,
        definition.environment,
        type_schema,
        identity=StackIdentity(state.stack_id, state.stack_name, state.project_id),
        files=definition.files,
    )


def with_definition(state: StackState, definition: Definition) -> StackState:
    """A copy of the state carrying the new definition (resources as they are)."""
    return state.model_copy(
        update={
            "template": definition.template,
            "environment": definition.environment,
            "files": definition.files,
            "parameters": definition.parameters,
            "timeout_mins": definition.timeout_mins,
            "disable_rollback": definition.disable_rollback,
            "tags": definition.tags,
        }
    )


def changed_properties(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def needs_creating(resource: ResourceState | None) -> bool:
    """Never created (or already gone): the update creates it."""
    return (
        resource is None
        or resource.action == "INIT"
        or (resource.action == "DELETE" and resource.status == "COMPLETE")
    )


def failed_nested_stack(resource: ResourceState, new_type: str) -> bool:
    """A failed resource whose nested stack exists and which upstream updates in place rather
    than replacing it (StackResource._needs_update: a provider template's, a group's, a
    chain's), leaving the nested stack's own resources to decide: its failed ones are
    replaced there. A CHECK_FAILED one is still replaced (upstream tells a failed stack check
    from a resource marked unhealthy by the nested stack's state), and so is OS::Heat::Stack
    (upstream's RemoteStack is a plain resource)."""
    return (
        resource.status == "FAILED"
        and resource.action != "CHECK"
        and bool(resource.physical_id)
        and bool(resource.data.get("stack_name"))
        and (is_template_type(new_type) or new_type in GROUP_TYPES)
    )


def classify(
    resource: ResourceState,
    new_type: str,  # the implementing type
    new_properties: Mapping[str, Any],
    new_metadata: Mapping[str, Any],
    failed_nested_in_place: bool = True,
) -> Change:
    """A resource's fate in an update, by upstream's rules (Resource._needs_update).

    `failed_nested_in_place=False` is the rule before failed-nested-stack-in-place-2026-12:
    a failed nested stack's resource was replaced too."""
    plugin = plugin_for(new_type)
    old_type = implementation_of(resource)
    if old_type != new_type and not is_substituted(old_type, new_type):
        # A hidden deprecated type changed to its successor updates in place, as upstream.
        return "replaced"
    if (plugin is not None and plugin.never_updates) or resource.external_id:
        # Placeholders, and what the stack took over by external_id, are never touched.
        return "unchanged"
    if failed_nested_in_place and failed_nested_stack(resource, new_type):
        return "updated"
    if resource.status == "FAILED" or (resource.action, resource.status) == ("CHECK", "FAILED"):
        # A failed or unhealthy resource is replaced, as upstream does.
        return "replaced"
    if runs_in_workflow(new_type):
        # A nested stack is always updated: its own resources decide what changes (as
        # upstream's StackResource._needs_update), and its template may have changed.
        return "updated"
    changed = changed_properties(resource.properties, new_properties)
    if not changed:
        return "updated" if dict(resource.metadata) != dict(new_metadata) else "unchanged"
    schema = type_schema(new_type)
    if schema is not None and not schema.any_properties:
        for name in changed:
            prop = schema.properties.get(name)
            if prop is None or not prop.update_allowed:
                return "replaced"
    if plugin is not None and plugin.replacement_required(
        dict(resource.properties), dict(new_properties), resource.data
    ):
        return "replaced"
    return "updated"


def plan(state: StackState, definition: Definition) -> dict[Change, list[str]]:
    """What an update to `definition` would do to each resource, judged against the current
    resources (as upstream's preview does): added, updated, replaced, unchanged, deleted."""
    new_state = with_definition(state, definition)
    model = StackModel(new_state)
    changes: dict[Change, list[str]] = {
        "added": [],
        "updated": [],
        "replaced": [],
        "unchanged": [],
        "deleted": [],
    }
    for name in model.resources:
        current = state.resources.get(name)
        if current is None or needs_creating(current):
            changes["added"].append(name)
            continue
        try:
            properties = model.resource_properties(name)
            metadata = model.resource_metadata(name)
        except TemplateError:
            # A value only known once the update runs: count it as changing.
            changes["updated"].append(name)
            continue
        implementation = model.implementation(name)
        changes[classify(current, implementation, properties, metadata)].append(name)
    changes["deleted"] = [n for n in state.resources if n not in model.resources]
    return changes
