"""The engine's state and messages: what the entity holds and what operations take and return."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

OperationKind = Literal["create", "delete"]


class ResourceState(BaseModel):
    """The authoritative record of one resource, as the last operation left it."""

    name: str
    type: str
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


class StackState(BaseModel):
    """Everything the engine knows about a stack; handed whole to continue-as-new."""

    stack_id: str
    stack_name: str
    project_id: str
    owner: str | None = None
    parent_id: str | None = None
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
    # Counters that keep projection writes idempotent and ordered across operations.
    event_seq: int = 0
    revision: int = 0
    operations: int = 0


class OperationRequest(BaseModel):
    """An operation a client asked for, carried by a Workflow Update to the entity."""

    kind: OperationKind
    request_id: str
    stack_id: str


class OperationInput(BaseModel):
    kind: OperationKind
    state: StackState
    max_concurrency: int = 200


class OperationOutput(BaseModel):
    state: StackState


class StackStart(BaseModel):
    """The entity's input: its state, and operations accepted but not yet run."""

    state: StackState
    pending: list[OperationRequest] = Field(default_factory=list)
    max_concurrency: int = 200


class Accepted(BaseModel):
    """The answer to an accepted operation: it has started and its start is in the listings."""

    stack_id: str
    kind: OperationKind
