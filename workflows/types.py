"""The engine's state and messages: what the entity holds and what operations take and return."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

OperationKind = Literal[
    "create",
    "adopt",
    "delete",
    "update",
    "suspend",
    "resume",
    "check",
    "snapshot",
    "restore",
    # A scaling policy's signal: resize its group without a stack-level action.
    "scale",
]


class ResourceState(BaseModel):
    """The authoritative record of one resource, as the last operation left it."""

    @model_serializer(mode="wrap")
    def _without_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A stack's state travels whole between its workflows; leaving out what equals its
        # default makes a resource a third of the size (a group of thousands stays well
        # inside Temporal's payload limit, and decodes faster). Reading fills them back in.
        data: dict[str, Any] = handler(self)
        defaults = _RESOURCE_DEFAULTS
        return {k: v for k, v in data.items() if k not in defaults or defaults[k] != v}

    name: str
    type: str
    # The type that implements it, through the environment's resource_registry (when it
    # maps the template's type elsewhere).
    implementation: str = ""
    physical_id: str = ""
    reference_id: str | None = None
    action: str = "INIT"
    status: str = "COMPLETE"
    status_reason: str = ""
    description: str = ""
    attributes: dict[str, Any] = Field(default_factory=dict)
    properties: dict[str, Any] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    creation_time: datetime | None = None
    updated_time: datetime | None = None
    # As the template said when the resource was made: Delete, Retain or Snapshot.
    deletion_policy: str = "Delete"
    # The existing resource the template took over (external_id): never updated or deleted.
    external_id: str | None = None


_RESOURCE_DEFAULTS: dict[str, Any] = {
    name: field.get_default(call_default_factory=True)
    for name, field in ResourceState.model_fields.items()
    if not field.is_required()
}


def implementation_of(resource: ResourceState) -> str:
    return resource.implementation or resource.type


class Snapshot(BaseModel):
    """A snapshot of the stack: its definition and its resources' ids and data."""

    id: str
    name: str | None = None
    status: str = "IN_PROGRESS"
    status_reason: str | None = None
    creation_time: datetime
    data: dict[str, Any] | None = None


class StackState(BaseModel):
    """Everything the engine knows about a stack; handed whole to continue-as-new."""

    stack_id: str
    stack_name: str
    project_id: str
    owner: str | None = None
    parent_id: str | None = None
    # 0 for a top-level stack; a nested stack is one deeper than its parent.
    nested_depth: int = 0
    # The parent stack's resource this nested stack implements.
    parent_resource: str | None = None
    # For a provider template's stack: the parent resource's metadata, deletion_policy and
    # update_policy, which `resource_facade` reads.
    facade: dict[str, Any] | None = None
    # The stack's project URL on this service (http://host:port/v1/<project>), for the
    # signal URLs that wait condition handles give out.
    api_endpoint: str = ""
    template: dict[str, Any]
    environment: dict[str, Any] = Field(default_factory=dict)
    files: dict[str, str] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="The user's parameter values as given"
    )
    disable_rollback: bool = True
    timeout_mins: int | None = None
    tags: list[str] | None = None
    action: str = "INIT"
    status: str = "COMPLETE"
    status_reason: str = ""
    creation_time: datetime | None = None
    updated_time: datetime | None = None
    deletion_time: datetime | None = None
    resources: dict[str, ResourceState] = Field(default_factory=dict)
    outputs: list[dict[str, Any]] = Field(default_factory=list)
    # adopt_stack_data's resources (id, data), by name, for an adopt.
    adopt_data: dict[str, dict[str, Any]] = Field(default_factory=dict)
    snapshots: dict[str, Snapshot] = Field(default_factory=dict)
    # Old resources that an update replaced but did not get to delete (it failed or was
    # stopped before its clean-up, without rollback): still in the cloud, so the next
    # successful update deletes them (or takes one back, as upstream's manual rollback does),
    # and so does the stack's delete.
    retired: list[ResourceState] = Field(default_factory=list)
    # Whether the graph has upstream's implicit Neutron dependencies (templates/
    # implicit_dependencies.py): set for stacks made since, so a stack in flight from before
    # keeps the order its history recorded.
    implicit_dependencies: bool = False
    # The Keystone trust from the stack's creator to the service user (keystone auth only).
    trust_id: str = ""
    # The key wait handles' tokens are derived from (workflows/waits.handle_token), so the
    # entity checks a handle's token even while the operation that made it still runs.
    signal_secret: str = ""
    # Counters that keep projection writes idempotent and ordered across operations.
    event_seq: int = 0
    revision: int = 0
    operations: int = 0


class UpdateArgs(BaseModel):
    """What PUT (existing=False) or PATCH (existing=True) on a stack carries."""

    existing: bool = False
    template: dict[str, Any] | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    environment: dict[str, Any] | None = None
    files: dict[str, str] = Field(default_factory=dict)
    clear_parameters: list[str] = Field(default_factory=list)
    timeout_mins: int | None = None
    disable_rollback: bool | None = None
    tags: list[str] | None = None
    # A provider template's parent resource, for `resource_facade` (nested stacks only).
    facade: dict[str, Any] | None = None
    # Observe reality first: a resource the cloud no longer holds is replaced (upstream's
    # `converge`, where EntityNotFound from the live state raises UpdateReplace).
    converge: bool = False


class Definition(BaseModel):
    """Everything that defines a stack apart from its resources' state."""

    template: dict[str, Any]
    environment: dict[str, Any]
    files: dict[str, str]
    parameters: dict[str, Any]
    timeout_mins: int | None
    disable_rollback: bool
    tags: list[str] | None


class OperationRequest(BaseModel):
    """An operation a client asked for, carried by a Workflow Update to the entity."""

    kind: OperationKind
    request_id: str
    stack_id: str
    update: UpdateArgs | None = None
    # A delete that leaves the resources in place (abandon).
    abandon: bool = False
    # For snapshot (a new id and name) and restore (the snapshot to restore).
    snapshot_id: str | None = None
    snapshot_name: str | None = None
    # For scale: the signalled scaling policy and what the signal said.
    policy: str | None = None
    signal_details: Any = None
    # For a nested stack's operation: the parent's operation workflow to tell when it ends,
    # whether it wants the resources' references and attributes (groups do), and how many
    # resources may change at once (a group's batch size).
    notify: str | None = None
    want_members: bool = False
    max_concurrency: int | None = None
    # A group's update_policy pause_time: seconds between waves of max_concurrency members.
    pause_secs: float | None = None
    # A provider template's resources whose reference and attributes the parent reads
    # (`get_attr: [res, resource.<inner>, ...]`), answered in NestedOutcome.inner_resources.
    inner_resources: list[str] = Field(default_factory=list)


class Member(BaseModel):
    """One resource of a nested stack, as a group shows it: its reference and attributes."""

    reference: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)


class NestedOutcome(BaseModel):
    """How a nested stack's operation ended, as its entity tells the parent's operation."""

    request_id: str
    stack_id: str
    action: str
    status: str
    status_reason: str
    outputs: list[dict[str, Any]] = Field(default_factory=list)
    members: dict[str, Member] = Field(default_factory=dict)
    # The resources OperationRequest.inner_resources named (those that exist).
    inner_resources: dict[str, Member] = Field(default_factory=dict)


class ResourceSignal(BaseModel):
    """POST .../resources/{name}/signal: its body, for the resource (or a hook) to handle."""

    stack_id: str
    resource_name: str
    details: Any = None
    # A wait handle's own token, when the request is authorised by it rather than by
    # Keystone (the URL a handle gives out); None when the caller is authenticated.
    token: str | None = None


class MarkRequest(BaseModel):
    """PATCH .../resources/{name}: mark a resource unhealthy (CHECK_FAILED) or healthy."""

    stack_id: str
    resource_name: str
    unhealthy: bool
    reason: str = ""


class CancelRequest(BaseModel):
    """cancel_update (rollback=True) or cancel_without_rollback."""

    stack_id: str
    rollback: bool


class StopRequest(BaseModel):
    """Tells a running operation to stop starting work, and whether to compensate:
    True (cancel_update), False (delete, cancel_without_rollback) or None (as the stack's
    disable_rollback says, for a timeout)."""

    reason: str
    rollback: bool | None
    # cancel_without_rollback: the resource actions already running finish and are recorded
    # (upstream lets them run on); only new work is not started. Absent in older histories.
    finish_running: bool = False


class Supersede(BaseModel):
    """A new update takes over from the running create or update, as upstream's convergence
    engine starts a new traversal: the running operation starts nothing new, lets what runs
    finish and be recorded, does not roll back, and shows the stack as the new update's
    UPDATE_IN_PROGRESS (it holds the listings' counters until it ends)."""

    request_id: str
    # The new update's definition and start time, for the stack's row in the listings.
    definition: Definition
    updated_time: datetime


class SupersedeAnswer(BaseModel):
    """The running operation's answer to `Supersede`: taken (and its start is in the listings),
    or declined because it is already past its walk (completing or rolling back), in which case
    the update runs after it, in its turn."""

    request_id: str
    taken: bool


class OperationInput(BaseModel):
    kind: OperationKind
    state: StackState
    max_concurrency: int = 200
    abandon: bool = False
    snapshot_id: str | None = None
    # For an update: the definition before it, which a rollback returns to.
    previous: Definition | None = None
    # For scale: the signalled scaling policy.
    policy: str | None = None
    # A group's pause_time: its members change max_concurrency at a time, with this pause
    # between waves (upstream's batch_create and rolling_update).
    pause_secs: float | None = None
    # For an update: check each resource against the cloud first (PATCH/PUT `converge`).
    converge: bool = False


class OperationOutput(BaseModel):
    state: StackState
    # A new update took over (`Supersede`): the operation has no end status of its own, and
    # the new update's start is already in the listings.
    superseded: bool = False


class StackStart(BaseModel):
    """The entity's input: its state, and operations accepted but not yet run."""

    state: StackState
    pending: list[OperationRequest] = Field(default_factory=list)
    max_concurrency: int = 200
    # How long a new entity waits for the create it was started for before it ends: the start
    # is durable but an update Temporal has not yet accepted is not (a restarted server drops
    # it), and an entity left INIT holds its name for ever.
    create_grace_secs: float = 60.0


class Accepted(BaseModel):
    """The answer to an accepted operation: it has started and its start is in the listings."""

    stack_id: str
    kind: OperationKind


BatchStep = Literal["create", "delete", "update", "SUSPEND", "RESUME", "CHECK"]


class BatchInput(BaseModel):
    """One batch of an operation's independent resources, run by a child workflow of its own
    (workflows/batches.py): the stack's state cut down to those resources."""

    step: BatchStep
    state: StackState
    names: list[str]
    max_concurrency: int
    # The operation's workflow id (shown in the stack's listing row).
    operation_id: str
    # For an update: the resources as they were before the update (its journal's "before").
    before: dict[str, ResourceState] = Field(default_factory=dict)
    # For an update: check each resource against the cloud first (converge).
    converge: bool = False
    # For an update's clean-up: replaced resources to delete (their names' rows belong to
    # the replacements, so they are deleted unlisted).
    replaced: dict[str, ResourceState] = Field(default_factory=dict)


class BatchJournalEntry(BaseModel):
    """An update's journal entry made inside a batch (workflows/update_run.JournalEntry)."""

    kind: Literal["created", "updated", "replaced", "deleted"]
    name: str
    before: ResourceState | None = None


class BatchOutput(BaseModel):
    """What a batch did: its resources' new state, which failed, and the counters it used."""

    resources: dict[str, ResourceState] = Field(default_factory=dict)
    failed: list[str] = Field(default_factory=list)
    succeeded: list[str] = Field(default_factory=list)
    revision: int = 0
    # For an update: journal entries, and the resources replaced (still to be deleted).
    journal: list[BatchJournalEntry] = Field(default_factory=list)
    replaced: dict[str, ResourceState] = Field(default_factory=dict)
