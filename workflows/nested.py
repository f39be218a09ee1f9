"""Nested stacks (provider templates, OS::Heat::Stack) as child stack entity workflows."""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.resources.registry import type_schema
    from activities.types import ActionResult, ResourceActionRequest
    from templates import (
        StackDefinition,
        StackIdentity,
        Template,
        TemplateError,
        is_template_type,
        parse_template,
    )
    from workflows import ids
    from workflows.groups import (
        ASG_TYPE,
        CHAIN_TYPE,
        DEPLOYMENT_GROUP_TYPES,
        GROUP_TYPE,
        GROUP_TYPES,
        LAUNCH_CONFIG_GROUP_TYPES,
        SCALING_GROUP_TYPES,
        chain_template,
        deployment_group_attributes,
        deployment_group_template,
        group_attributes,
        group_template,
        updated_skiplist,
    )
    from workflows.local_batch import StepFailed
    from workflows.rendering import StackModel, facade_of, initial_resources
    from workflows.scaling import (
        AWS_ASG_TYPE,
        LAUNCH_CONFIG_TYPE,
        asg_attributes,
        asg_template,
        group_sizes,
        instance_definition,
        instance_list,
        resize_members,
        target_size,
    )
    from workflows.stack_data import adopt_entries
    from workflows.types import (
        NestedOutcome,
        OperationKind,
        OperationRequest,
        ResourceState,
        StackStart,
        StackState,
        StopRequest,
        UpdateArgs,
        implementation_of,
    )

# Upstream's max_nested_stack_depth.
MAX_NESTED_DEPTH = 5
REMOTE_STACK_TYPE = "OS::Heat::Stack"
# Names, not classes: the entity workflow imports the operation workflow, which imports this.
ENTITY_WORKFLOW = "Stack"
OPERATE_SIGNAL = "operate"
INTERRUPT_SIGNAL = "interrupt"


class Superseded(Exception):
    """A new update took over from the operation while this nested stack's create or update
    ran: the resource is left in progress, for that update to carry on with."""


DONE_SIGNAL = "nested_done"
STACK_ID_OUTPUT = "OS::stack_id"
# "Resource CREATE failed: ValueError: resources.test: Test Resource failed test"
_RESOURCE_FAILURE = re.compile(r"^Resource \w+ failed: (?:(\w+): )?(resources\.[^:]*): (.*)$", re.S)
_ACTION_OF: dict[str, str] = {
    "create": "CREATE",
    "adopt": "ADOPT",
    "update": "UPDATE",
    "delete": "DELETE",
    "suspend": "SUSPEND",
    "resume": "RESUME",
    "check": "CHECK",
}


# An adopt makes these types' nested stacks anew, the nested stack adopting the resources its
# abandon data lists, as upstream's handle_adopt of TemplateResource, NestedStack and
# ResourceGroup (a chain's members are named as a group's). Scaling groups name their members
# at random, so their abandoned members could not be matched.
ADOPT_NESTED_PATCH = "adopt-nested-stacks-2026-12"


def adopts_nested_stack(type_name: str) -> bool:
    return is_template_type(type_name) or type_name in (REMOTE_STACK_TYPE, GROUP_TYPE, CHAIN_TYPE)


def stack_arn(project_id: str, stack_name: str, stack_id: str) -> str:
    """A stack's identifier as upstream's HeatIdentifier.arn() writes it."""
    return StackIdentity(stack_id, stack_name, project_id).arn()


def nested_failure(resource_name: str, reason: str) -> str:
    """The parent resource's reason for a failed nested stack, prefixed as upstream's
    ResourceFailure does: "ValueError: resources.<parent>.resources.<child>: <message>"."""
    match = _RESOURCE_FAILURE.match(reason)
    if match is None:
        return f"resources.{resource_name}: {reason}"
    error, path, message = match.groups()
    prefix = f"{error}: " if error else ""
    return f"{prefix}resources.{resource_name}.{path}: {message}"


def provider_parameters(properties: Mapping[str, Any]) -> dict[str, Any]:
    """A provider resource's properties as its template's parameters (upstream's
    TemplateResource.child_params): lists become comma-delimited text, None is left out."""
    params: dict[str, Any] = {}
    for name, value in properties.items():
        if value is None:
            continue
        if isinstance(value, list):
            if value and isinstance(value[0], dict):
                params[name] = ",".join(
                    f".member.{index}.{key}={item_value}"
                    for index, item in enumerate(value)
                    for key, item_value in item.items()
                )
            else:
                params[name] = ",".join("" if item is None else str(item) for item in value)
        else:
            params[name] = value
    return params


def nested_state(
    parent: StackState,
    resource_name: str,
    stack_id: str,
    stack_name: str,
    definition: UpdateArgs,
    uniform: bool = False,
    validated: bool = False,
) -> StackState:
    """The new nested stack's state, validated as a create request would be.

    `uniform` (a group's members, all made from one definition): validating one member
    validates them all, and validating thousands costs seconds inside the workflow sandbox.
    `validated`: the same definition was validated already in this operation.
    Raises TemplateError with upstream's message when the child definition is invalid.
    """
    assert definition.template is not None
    environment = definition.environment or {}

    def build(template: dict[str, Any]) -> StackDefinition:
        return StackDefinition.from_request(
            Template(template, definition.files),
            environment=environment,
            files=definition.files,
            params=definition.parameters,
            identity=StackIdentity(stack_id, stack_name, parent.project_id),
            facade=facade_of(definition.facade),
        )

    stack = build(definition.template)
    members = dict(definition.template.get("resources") or {})
    if validated:
        pass
    elif uniform and len(members) > 1:
        first = next(iter(members))
        build({**definition.template, "resources": {first: members[first]}}).validate(
            type_schema, strict=True
        )
    else:
        stack.validate(type_schema, strict=True)
    return StackState(
        stack_id=stack_id,
        stack_name=stack_name,
        project_id=parent.project_id,
        owner=parent.owner,
        parent_id=parent.stack_id,
        parent_resource=resource_name,
        facade=definition.facade,
        nested_depth=parent.nested_depth + 1,
        api_endpoint=parent.api_endpoint,
        # A nested stack acts through its root's trust (as upstream's shared user_creds).
        trust_id=parent.trust_id,
        signal_secret=parent.signal_secret,
        implicit_dependencies=parent.implicit_dependencies,
        template=definition.template,
        environment=stack.environment.with_parameters(definition.parameters).stored_body(),
        files=dict(definition.files),
        parameters=dict(definition.parameters),
        disable_rollback=True,
        timeout_mins=definition.timeout_mins,
        resources=initial_resources(stack),
    )


def child_resources_section(registry: Mapping[str, Any], resource_name: str) -> dict[str, Any]:
    """The `resources` section a nested stack inherits: what the parent's registry says under
    this resource's name (or a wildcard matching it), as upstream's
    remove_resources_except does, so hooks reach resources inside nested stacks."""
    section = registry.get("resources") or {}
    inherited: dict[str, Any] = {}
    for pattern, entries in section.items():
        if isinstance(entries, Mapping) and fnmatch.fnmatchcase(resource_name, pattern):
            inherited.update(entries)
    if isinstance(section.get(resource_name), Mapping):
        inherited.update(section[resource_name])
    # What is not a mapping (the resource's own hooks) applied to the parent's resource.
    return {name: value for name, value in inherited.items() if isinstance(value, Mapping)}


def child_definition(
    parent: StackState,
    resource: ResourceState,
    properties: Mapping[str, Any],
    model: StackModel | None = None,
) -> UpdateArgs:
    """What a nested resource's stack is made of: its template, parameters, environment.

    Pure (the preview uses it too). A group's skiplist is updated in `resource.data`.
    Raises TemplateError when the child's template cannot be had.
    """
    implementation = implementation_of(resource)
    if implementation in GROUP_TYPES:
        if implementation == GROUP_TYPE:
            skiplist = updated_skiplist(
                properties,
                list(resource.data.get("skiplist") or []),
                dict(resource.data.get("refs_map") or {}),
            )
            resource.data["skiplist"] = skiplist
            template = group_template(properties, skiplist)
        elif implementation in SCALING_GROUP_TYPES:
            sizes = group_sizes(implementation, properties)
            members = resize_members(resource, target_size(sizes, resource.data))
            if implementation in LAUNCH_CONFIG_GROUP_TYPES:
                definition = instance_definition(
                    implementation,
                    properties,
                    launch_configuration(parent, implementation, properties),
                    str(resource.data.get("stack_name") or resource.name),
                )
                template = asg_template({"resource": definition}, members)
            else:
                template = asg_template(properties, members)
        elif implementation in DEPLOYMENT_GROUP_TYPES:
            template = deployment_group_template(implementation, properties)
        else:
            template = chain_template(properties)
        registry = (model or StackModel(parent)).definition.environment.registry.as_dict()
        registry["resources"] = child_resources_section(registry, resource.name)
        return UpdateArgs(
            template=template,
            environment={"resource_registry": registry},
            files=dict(parent.files),
            timeout_mins=parent.timeout_mins,
            disable_rollback=True,
        )
    if implementation == REMOTE_STACK_TYPE:
        return UpdateArgs(
            template=parse_template(str(properties.get("template") or "")),
            parameters=dict(properties.get("parameters") or {}),
            environment={},
            files=dict(parent.files),
            timeout_mins=properties.get("timeout") or parent.timeout_mins,
            disable_rollback=True,
        )
    parent_model = model or StackModel(parent)
    provider = parent_model.definition.provider_template(resource.name)
    assert provider is not None
    environment = dict(provider.environment)
    registry = dict(environment.get("resource_registry") or {})
    registry["resources"] = child_resources_section(
        parent_model.definition.environment.registry.as_dict(), resource.name
    )
    environment["resource_registry"] = registry
    return UpdateArgs(
        template=provider.template,
        parameters=provider_parameters(properties),
        environment=environment,
        files=dict(parent.files),
        timeout_mins=parent.timeout_mins,
        disable_rollback=True,
        facade=parent_model.facade_data(resource.name),
    )


def launch_configuration(
    parent: StackState, implementation: str, properties: Mapping[str, Any]
) -> dict[str, Any]:
    """The properties of the LaunchConfiguration an InstanceGroup or AWS AutoScalingGroup
    references (by its reference, as upstream's resource_by_refid), checked as upstream's
    validate() checks the group. Raises TemplateError in upstream's words."""
    sizes = group_sizes(implementation, properties)
    if implementation == AWS_ASG_TYPE:
        minimum, maximum = int(sizes["min_size"] or 0), int(sizes["max_size"] or 0)
        if maximum < minimum:
            raise TemplateError("MinSize can not be greater than MaxSize")
        if minimum < 0:
            raise TemplateError("The size of AutoScalingGroup can not be less than zero")
        desired = sizes.get("desired_capacity")
        if desired is not None and not minimum <= int(desired) <= maximum:
            raise TemplateError("DesiredCapacity must be between MinSize and MaxSize")
        if len(properties.get("VPCZoneIdentifier") or [None]) != 1:
            raise _error(
                "NotSupported", "Anything other than one VPCZoneIdentifier is not supported."
            )
        if bool(properties.get("InstanceId")) == bool(properties.get("LaunchConfigurationName")):
            raise TemplateError(
                "Either 'InstanceId' or 'LaunchConfigurationName' must be provided."
            )
        if properties.get("InstanceId"):
            raise _error(
                "NotSupported",
                "A group made from an existing instance (InstanceId) is not supported.",
            )
    reference = str(properties.get("LaunchConfigurationName") or "")
    for candidate in parent.resources.values():
        if (
            implementation_of(candidate) == LAUNCH_CONFIG_TYPE
            and candidate.action != "INIT"
            and reference in (candidate.reference_id, candidate.physical_id, candidate.name)
        ):
            return dict(candidate.properties)
    raise _error("ValueError", f"LaunchConfigurationName ({reference}) reference can not be found.")


def _error(error_type: str, message: str) -> TemplateError:
    error = TemplateError(message)
    error.error_type = error_type
    return error


class NestedStacks:
    """Creates and operates one stack's nested stacks from its operation workflow.

    Each nested stack is an entity workflow of its own (started as a child that outlives this
    operation). Workflows cannot send Workflow Updates, so later operations go to it as the
    `operate` signal, and it answers with the `nested_done` signal when the operation ends:
    the parent waits on a signal rather than polling.
    """

    def __init__(
        self,
        parent: StackState,
        outcomes: dict[str, NestedOutcome],
        max_concurrency: int,
        stopped: Callable[[], bool],
        started: Callable[[ResourceState], None] = lambda _resource: None,
        superseded: Callable[[], bool] = lambda: False,
    ) -> None:
        self._parent = parent
        self._outcomes = outcomes
        self._max_concurrency = max_concurrency
        self._stopped = stopped
        # A new update took over from this operation (workflows/operation.py): a nested
        # stack's create or update in progress is left to it rather than interrupted.
        self._superseded = superseded
        # Called once a nested stack exists: its id shows as the resource's physical id while
        # it is being made, as upstream sets it (clients follow it, e.g. to clear hooks).
        self._started = started
        # Child definitions this operation validated: a parent of 1,000 resources of one
        # provider template starts up to max_concurrency of them in one activation, and
        # validating each again passed Temporal's 2 s deadlock limit (docs/benchmarks.md).
        self._validated: set[str] = set()

    async def act(
        self, request: ResourceActionRequest, resource: ResourceState, model: StackModel | None
    ) -> ActionResult:
        step = request.step
        if step == "create":
            return await self._create(request, resource, model or StackModel(self._parent))
        if step == "update":
            child = self._child_definition(resource, request.properties, model)
            self._validate(resource, resource.physical_id, child)
            size, pause = self._batch_size(resource, model, "rolling_update", request)
            outcome = await self._operate(
                resource,
                "update",
                update=child,
                max_concurrency=size,
                pause_secs=pause,
                inner=_inner_resources(resource, model),
            )
            return self._result(resource, outcome)
        if step == "delete":
            await self._operate(resource, "delete")
            return ActionResult()
        if step in ("suspend", "resume", "check"):
            kind: OperationKind = step
            outcome = await self._operate(resource, kind)
            return ActionResult(attributes=self._result(resource, outcome).attributes)
        if step == "adopt":
            # Snapshot restore gives resources their recorded data; a nested stack has none.
            return ActionResult()
        raise StepFailed(f"{step} is not supported for nested stacks")

    # -- the child's definition ----------------------------------------------------------

    def _child_definition(
        self, resource: ResourceState, properties: Mapping[str, Any], model: StackModel | None
    ) -> UpdateArgs:
        try:
            return child_definition(self._parent, resource, properties, model)
        except TemplateError as error:
            raise StepFailed(
                f"{error.error_type}: resources.{resource.name}: {error.message}"
            ) from error

    def _validate(self, resource: ResourceState, stack_id: str, child: UpdateArgs) -> StackState:
        name = resource.data.get("stack_name") or ""
        # ResourceGroup and AutoScalingGroup members share one definition (a chain's do not).
        uniform = implementation_of(resource) in (GROUP_TYPE, *SCALING_GROUP_TYPES)
        # Validation reads neither the stack's id nor its name: the definition is the key.
        key = json.dumps(
            [child.template, child.environment, child.files, child.parameters],
            sort_keys=True,
            default=str,
        )
        try:
            state = nested_state(
                self._parent, resource.name, stack_id, name, child, uniform, key in self._validated
            )
        except TemplateError as error:
            raise StepFailed(
                f"{error.error_type}: resources.{resource.name}: {error.message}"
            ) from error
        self._validated.add(key)
        return state

    @staticmethod
    def _batch_size(
        resource: ResourceState,
        model: StackModel | None,
        policy: str,
        request: ResourceActionRequest,
    ) -> tuple[int | None, float | None]:
        """A group's update_policy: how many members change at once, and the pause between
        such waves (pause_time, seconds).

        batch_create applies to a create; rolling_update to an update of resource_def (an
        AutoScalingGroup's own rolling_updates property when its `resource` changes).
        """
        if implementation_of(resource) in LAUNCH_CONFIG_GROUP_TYPES:
            # Upstream replaces the instances in batches when the launch configuration changes.
            if policy != "rolling_update" or "LaunchConfigurationName" not in request.changed:
                return None, None
            key = (
                "AutoScalingRollingUpdate"
                if implementation_of(resource) == AWS_ASG_TYPE
                else ("RollingUpdate")
            )
            try:
                assert model is not None
                rolling = model.definition.resolve_resource(resource.name).update_policy.get(key)
            except TemplateError:
                return None, None
            if not isinstance(rolling, Mapping):
                return None, None
            return max(int(rolling.get("MaxBatchSize") or 1), 1), _pause(rolling)
        if implementation_of(resource) == ASG_TYPE and policy == "rolling_update":
            if "resource" not in request.changed:
                return None, None
            rolling = request.properties.get("rolling_updates") or {}
            return max(int(rolling.get("max_batch_size") or 1), 1), _pause(rolling)
        if implementation_of(resource) != GROUP_TYPE or model is None:
            return None, None
        if policy == "rolling_update" and "resource_def" not in request.changed:
            return None, None
        try:
            policies = model.definition.resolve_resource(resource.name).update_policy
        except TemplateError:
            return None, None
        chosen = policies.get(policy)
        if not isinstance(chosen, Mapping):
            return None, None
        return max(int(chosen.get("max_batch_size") or 1), 1), _pause(chosen)

    # -- operations ------------------------------------------------------------------------

    async def _create(
        self, request: ResourceActionRequest, resource: ResourceState, model: StackModel
    ) -> ActionResult:
        parent = self._parent
        if parent.nested_depth >= MAX_NESTED_DEPTH:
            raise StepFailed(
                f"RequestLimitExceeded: resources.{resource.name}: "
                f"Recursion depth exceeds {MAX_NESTED_DEPTH}."
            )
        resource.data = {"stack_name": request.physical_name}
        child = self._child_definition(resource, request.properties, model)
        stack_id = str(workflow.uuid4())
        state = self._validate(resource, stack_id, child)
        size, pause = self._batch_size(resource, model, "batch_create", request)
        kind: OperationKind = "create"
        if request.adopt_data is not None:
            # An adopt: the new nested stack takes over the resources of the abandoned one.
            kind = "adopt"
            state.adopt_data = adopt_entries(request.adopt_data.get("resources"))
        operation = OperationRequest(
            kind=kind,
            request_id=str(workflow.uuid4()),
            stack_id=stack_id,
            notify=workflow.info().workflow_id,
            want_members=implementation_of(resource) in GROUP_TYPES,
            pause_secs=pause,
            inner_resources=_inner_resources(resource, model),
        )
        # Recorded before the wait, so a rollback or a delete finds the child even if its
        # create fails.
        resource.physical_id = stack_id
        self._started(resource)
        await workflow.start_child_workflow(
            ENTITY_WORKFLOW,
            StackStart(
                state=state,
                pending=[operation],
                max_concurrency=size or self._max_concurrency,
            ),
            id=ids.entity_workflow_id(parent.project_id, state.stack_name),
            parent_close_policy=ParentClosePolicy.ABANDON,
            search_attributes=ids.stack_search_attributes(
                stack_id,
                state.stack_name,
                parent.project_id,
                _ACTION_OF[kind],
                "IN_PROGRESS",
                parent.stack_id,
            ),
        )
        outcome = await self._wait(operation, state.stack_name, resource.name)
        return self._result(resource, outcome)

    async def _operate(
        self,
        resource: ResourceState,
        kind: OperationKind,
        update: UpdateArgs | None = None,
        max_concurrency: int | None = None,
        pause_secs: float | None = None,
        inner: list[str] | None = None,
    ) -> NestedOutcome:
        name = str(resource.data.get("stack_name") or "")
        operation = OperationRequest(
            kind=kind,
            request_id=str(workflow.uuid4()),
            stack_id=resource.physical_id,
            update=update,
            notify=workflow.info().workflow_id,
            want_members=implementation_of(resource) in GROUP_TYPES,
            max_concurrency=max_concurrency,
            pause_secs=pause_secs,
            inner_resources=inner or [],
        )
        entity = ids.entity_workflow_id(self._parent.project_id, name)
        if not name or not await _signal(entity, OPERATE_SIGNAL, operation):
            if kind == "delete":
                # Already gone: a delete of what does not exist succeeds.
                return NestedOutcome(
                    request_id=operation.request_id,
                    stack_id=resource.physical_id,
                    action="DELETE",
                    status="COMPLETE",
                    status_reason="Stack DELETE completed successfully",
                )
            raise StepFailed(
                f"resources.{resource.name}: The Stack ({name or resource.physical_id}) "
                "could not be found."
            )
        return await self._wait(operation, name, resource.name)

    async def _wait(
        self, operation: OperationRequest, stack_name: str, resource_name: str
    ) -> NestedOutcome:
        """Wait for the child's answer. A stop (cancel, timeout, delete) of this operation is
        passed on to the child, whose operation then ends early, and its answer still awaited:
        what the child made is recorded there before this resource is."""
        request_id = operation.request_id
        # A delete is never cut short, as for every other resource.
        passed_on = operation.kind == "delete"

        def answered_or_stopped() -> bool:
            return request_id in self._outcomes or (
                not passed_on and (self._stopped() or self._superseded())
            )

        while request_id not in self._outcomes:
            await workflow.wait_condition(answered_or_stopped)
            if request_id not in self._outcomes and not passed_on:
                if self._superseded():
                    # The update that took over updates (or deletes) this nested stack in its
                    # turn, which takes over from the nested stack's own operation in turn.
                    raise Superseded()
                passed_on = True
                action = _ACTION_OF[operation.kind]
                await _signal(
                    ids.entity_workflow_id(self._parent.project_id, stack_name),
                    INTERRUPT_SIGNAL,
                    StopRequest(reason=f"Stack {action} cancelled", rollback=False),
                )
        outcome = self._outcomes.pop(request_id)
        expected = _ACTION_OF[operation.kind]
        if outcome.status != "COMPLETE" or outcome.action != expected:
            raise StepFailed(nested_failure(resource_name, outcome.status_reason))
        return outcome

    def _result(self, resource: ResourceState, outcome: NestedOutcome) -> ActionResult:
        name = str(resource.data.get("stack_name") or "")
        implementation = implementation_of(resource)
        if implementation in DEPLOYMENT_GROUP_TYPES:
            return ActionResult(
                physical_id=outcome.stack_id,
                reference_id=outcome.stack_id,
                attributes=deployment_group_attributes(outcome.members),
            )
        if implementation in SCALING_GROUP_TYPES:
            order = list(resource.data.get("members") or [])
            attributes = asg_attributes(outcome.members, order)
            reference = outcome.stack_id
            if implementation in LAUNCH_CONFIG_GROUP_TYPES:
                attributes["InstanceList"] = instance_list(outcome.members, order)
                # Upstream's reference is the group's physical name (its nested stack's).
                reference = name
            return ActionResult(
                physical_id=outcome.stack_id, reference_id=reference, attributes=attributes
            )
        if implementation in GROUP_TYPES:
            skiplist = list(resource.data.get("skiplist") or [])
            attributes = group_attributes(outcome.members, skiplist)
            resource.data["refs_map"] = attributes["refs_map"]
            if implementation == CHAIN_TYPE:
                attributes.pop("removed_rsrc_list")
            return ActionResult(
                physical_id=outcome.stack_id, reference_id=outcome.stack_id, attributes=attributes
            )
        outputs = {str(entry["output_key"]): entry.get("output_value") for entry in outcome.outputs}
        if implementation == REMOTE_STACK_TYPE:
            return ActionResult(
                physical_id=outcome.stack_id,
                reference_id=outcome.stack_id,
                attributes={"stack_name": name, "outputs": outputs},
            )
        errors = {
            str(entry["output_key"]): str(entry["output_error"])
            for entry in outcome.outputs
            if entry.get("output_error")
        }
        if errors:
            resource.data["output_errors"] = errors
        else:
            resource.data.pop("output_errors", None)
        if outcome.inner_resources:
            # What `get_attr: [res, resource.<inner>, ...]` reads (rendering._inner_attribute).
            resource.data["inner_resources"] = {
                name: inner.model_dump() for name, inner in outcome.inner_resources.items()
            }
        elif outcome.action in ("CREATE", "UPDATE"):
            # A create or update asked for what the parent reads now: none of it (any more).
            resource.data.pop("inner_resources", None)
        reference = outputs.get(STACK_ID_OUTPUT) or stack_arn(
            self._parent.project_id, name, outcome.stack_id
        )
        return ActionResult(
            physical_id=outcome.stack_id, reference_id=str(reference), attributes=outputs
        )


def _inner_resources(resource: ResourceState, model: StackModel | None) -> list[str]:
    """The resources of a provider template's stack its parent's get_attr calls name."""
    implementation = implementation_of(resource)
    if model is None or implementation in GROUP_TYPES or implementation == REMOTE_STACK_TYPE:
        return []
    return model.inner_references.get(resource.name, [])


def _pause(policy: Mapping[str, Any]) -> float | None:
    """A policy's pause_time in seconds: a number (HOT groups) or an ISO 8601 duration such
    as "PT1M30S" (the AWS AutoScalingRollingUpdate's PauseTime)."""
    value = policy.get("pause_time", policy.get("PauseTime"))
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value) or None
    try:
        return iso8601_seconds(str(value)) or None
    except ValueError as error:
        raise StepFailed(f"StackValidationFailed: {error}") from error


_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def iso8601_seconds(text: str) -> float:
    """An ISO 8601 duration (PT5M, PT1H30M, PT90S) in seconds; a plain number is seconds.
    Raises ValueError for anything else."""
    try:
        return float(text)
    except ValueError:
        pass
    match = _ISO_DURATION.match(text.strip().upper())
    if match is None or text.strip().upper() in ("P", "PT"):
        raise ValueError("Only ISO 8601 duration format of the form PT#H#M#S is supported.")
    days, hours, minutes, seconds = match.groups()
    return (
        int(days or 0) * 86400
        + int(hours or 0) * 3600
        + int(minutes or 0) * 60
        + float(seconds or 0)
    )


async def _signal(workflow_id: str, signal: str, arg: Any) -> bool:
    """Signal another stack's entity; False when it does not exist (deleted, or never made)."""
    try:
        await workflow.get_external_workflow_handle(workflow_id).signal(signal, arg)
    except Exception:  # the SDK raises the server's "not found" as a failure
        return False
    return True
