"""Tables of the API-facing listings (stacks, resources, events), shared by writers and readers."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# `revision` is the projection revision of the operation that wrote the row: a write with an older
# revision than the stored one is ignored, so retried or reordered projection activities never
# move a row backwards.
stacks = Table(
    "stacks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("action", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("creation_time", DateTime(timezone=True), nullable=False),
    Column("updated_time", DateTime(timezone=True)),
    Column("deletion_time", DateTime(timezone=True)),
    Column("disable_rollback", Boolean, nullable=False, default=True),
    Column("timeout_mins", Integer),
    Column("tags", JSON),
    Column("parameters", JSON, nullable=False),
    Column("outputs", JSON, nullable=False),
    Column("template", JSON, nullable=False),
    Column("environment", JSON, nullable=False),
    Column("files", JSON, nullable=False),
    Column("parent_id", String(36)),
    Column("owner", String(255)),
    Column("workflow_id", String(512), nullable=False),
    # The stack's GET /stacks entry, pre-rendered (listings.summary) so listing is a join of
    # strings.
    Column("summary", Text, nullable=False, server_default=""),
    Column("revision", BigInteger, nullable=False),
)
Index("ix_stacks_project_name", stacks.c.project_id, stacks.c.name)
Index("ix_stacks_project_created", stacks.c.project_id, stacks.c.creation_time)

resources = Table(
    "resources",
    metadata,
    Column("stack_id", String(36), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("project_id", String(64), nullable=False),
    Column("type", String(255), nullable=False),
    Column("physical_id", String(255), nullable=False, default=""),
    Column("action", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("creation_time", DateTime(timezone=True)),
    Column("updated_time", DateTime(timezone=True)),
    Column("required_by", JSON, nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("properties", JSON, nullable=False),
    Column("metadata", JSON, nullable=False),
    Column("removed", Boolean, nullable=False, default=False),
    Column("revision", BigInteger, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("stack_id", String(36), nullable=False),
    Column("project_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("resource_name", String(255), nullable=False),
    Column("resource_type", String(255), nullable=False),
    Column("physical_resource_id", String(255), nullable=False, default=""),
    Column("action", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("resource_properties", JSON, nullable=False),
    Column("event_time", DateTime(timezone=True), nullable=False),
)
Index("ix_events_stack_seq", events.c.stack_id, events.c.seq, unique=True)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("stack_id", String(36), nullable=False),
    Column("project_id", String(64), nullable=False),
    Column("name", String(255)),
    Column("status", String(32), nullable=False),
    Column("status_reason", Text),
    Column("creation_time", DateTime(timezone=True), nullable=False),
    Column("data", JSON),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("revision", BigInteger, nullable=False),
)
Index("ix_snapshots_stack", snapshots.c.stack_id, snapshots.c.creation_time)

# Software configs are immutable once made; users make them through the API and
# OS::Heat::SoftwareConfig (and its kin) through an activity.
software_configs = Table(
    "software_configs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(64), nullable=False),
    Column("name", String(255)),
    Column("group", String(255), nullable=False),
    # {"config": ..., "inputs": [...], "outputs": [...], "options": {...}}
    Column("config", JSON, nullable=False),
    Column("creation_time", DateTime(timezone=True), nullable=False),
    Index("ix_software_configs_project", "project_id", "creation_time"),
)

# A config applied to a server; the server's agent reads it through the metadata API and
# reports back by PUT or by signalling the deployment resource (stack_id, resource_name).
software_deployments = Table(
    "software_deployments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(64), nullable=False),
    Column("config_id", String(36), nullable=False),
    Column("server_id", String(255), nullable=False),
    Column("input_values", JSON),
    Column("output_values", JSON),
    Column("action", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("stack_id", String(36)),
    Column("stack_name", String(255)),
    Column("resource_name", String(255)),
    Column("creation_time", DateTime(timezone=True), nullable=False),
    Column("updated_time", DateTime(timezone=True)),
    Index("ix_software_deployments_server", "project_id", "server_id"),
)
