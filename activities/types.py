"""Inputs and outputs of the activities, shared with the workflows that call them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

ActionStep = Literal[
    "create",
    "check_create",
    "update",
    "check_update",
    "delete",
    "check_delete",
    "suspend",
    "check_suspend",
    "resume",
    "check_resume",
    "check",
    "adopt",
    # Stack snapshots of the types that have one (a Cinder snapshot, a Nova image), their
    # removal, and a restore from them.
    "snapshot",
    "check_snapshot",
    "delete_snapshot",
    "check_delete_snapshot",
    "restore",
    "check_restore",
    # What the cloud holds now, for an update's `converge` (upstream's get_live_state).
    "live_state",
    # Upstream's prepare_for_replace (before the replacement is made: record, then act) and
    # restore_prev_rsrc (on rollback, once the replacement is gone), for the types that
    # declare `prepares_for_replace`.
    "prepare_for_replace",
    "check_prepare_for_replace",
    "restore_prev",
]


# The activity that deletes a stack's Keystone trust (activities/identity.py).
DELETE_TRUST = "delete_trust"


class ResourceActionRequest(BaseModel):
    """One step of one resource action, as a resource plugin receives it."""

    stack_id: str
    stack_name: str
    project_id: str
    resource_name: str
    resource_type: str
    step: ActionStep
    physical_id: str = ""
    properties: dict[str, Any] = Field(default_factory=dict)
    # For updates: the properties the resource had, and the names that changed.
    old_properties: dict[str, Any] = Field(default_factory=dict)
    changed: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    # Names the workflow chose deterministically, so a retried create finds what it made.
    physical_name: str = ""
    started_at: datetime | None = None
    # The stack's Keystone trust (empty with noauth): activities act for the stack's user
    # through a session the trust scopes (activities/identity.py).
    trust_id: str = ""
    # The resource's metadata (the template's Metadata section), on create: a server's
    # HEAT_CFNTOOLS user data carries it as cfn-init-data.
    metadata: dict[str, Any] = Field(default_factory=dict)
    # A nested stack's resource created by an adopt: its entry in adopt_stack_data (that
    # stack's abandon data), whose resources the new nested stack adopts. Never sent to an
    # activity (nested stacks run in workflows).
    adopt_data: dict[str, Any] | None = None


class ActionResult(BaseModel):
    """What a step reports: ids, attributes, private data, and whether to poll again."""

    physical_id: str | None = None
    # What get_resource returns when it is not the physical id (RandomString: its value).
    reference_id: str | None = None
    attributes: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    poll_after: float | None = Field(
        None, description="Seconds until the workflow should call the check step; None: done"
    )
    # From `live_state`: the update_allowed properties as the cloud holds them now.
    live_properties: dict[str, Any] | None = None


class StepOutcome(BaseModel):
    """One step's result in a batch of in-engine steps: its result, or its user error."""

    result: ActionResult | None = None
    error: str | None = None
    error_type: str | None = None
    # A failure worth trying again (the workflow sends the step again in a later batch).
    transient: bool = False


class StackRow(BaseModel):
    id: str
    project_id: str
    name: str
    action: str
    status: str
    status_reason: str
    description: str
    creation_time: datetime
    updated_time: datetime | None = None
    deletion_time: datetime | None = None
    disable_rollback: bool
    timeout_mins: int | None = None
    tags: list[str] | None = None
    parameters: dict[str, str]
    outputs: list[dict[str, Any]]
    parent_id: str | None = None
    owner: str | None = None
    workflow_id: str


class StackDefinitionRow(BaseModel):
    """The large, rarely changing part of a stack row: written only when it changes."""

    template: dict[str, Any]
    environment: dict[str, Any]
    files: dict[str, str]


class ResourceRow(BaseModel):
    stack_id: str
    project_id: str
    name: str
    type: str
    physical_id: str = ""
    action: str
    status: str
    status_reason: str = ""
    description: str = ""
    creation_time: datetime | None = None
    updated_time: datetime | None = None
    required_by: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    properties: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    removed: bool = False


class EventRow(BaseModel):
    id: str
    stack_id: str
    project_id: str
    seq: int
    resource_name: str
    resource_type: str
    physical_resource_id: str = ""
    action: str
    status: str
    status_reason: str = ""
    resource_properties: dict[str, Any] = Field(default_factory=dict)
    event_time: datetime


class SnapshotRow(BaseModel):
    id: str
    stack_id: str
    project_id: str
    name: str | None = None
    status: str
    status_reason: str | None = None
    creation_time: datetime
    data: dict[str, Any] | None = None
    deleted: bool = False


class ProjectionBatch(BaseModel):
    """Every listing change of one wave of an operation, written in one transaction."""

    stack_id: str
    revision: int
    stack: StackRow | None = None
    definition: StackDefinitionRow | None = None
    resources: list[ResourceRow] = Field(default_factory=list)
    events: list[EventRow] = Field(default_factory=list)
    snapshots: list[SnapshotRow] = Field(default_factory=list)
