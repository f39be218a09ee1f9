"""Render the GET /stacks entry of stacks written before 0002 added it.

0002 added `summary` with an empty default, and the listing joins the stored entries as they
are: a stack from before the upgrade made GET /stacks answer broken JSON. This fills them in.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from listings.summary import stack_summary_json

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The columns the entry is made from, as they are at this revision.
_stacks = sa.table(
    "stacks",
    sa.column("id", sa.String),
    sa.column("project_id", sa.String),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("action", sa.String),
    sa.column("status", sa.String),
    sa.column("status_reason", sa.Text),
    sa.column("creation_time", sa.DateTime(timezone=True)),
    sa.column("updated_time", sa.DateTime(timezone=True)),
    sa.column("deletion_time", sa.DateTime(timezone=True)),
    sa.column("owner", sa.String),
    sa.column("parent_id", sa.String),
    sa.column("tags", sa.JSON),
    sa.column("summary", sa.Text),
)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_stacks).where(_stacks.c.summary == "")).mappings().all()
    for row in rows:
        bind.execute(
            _stacks.update()
            .where(_stacks.c.id == row["id"])
            .values(summary=stack_summary_json(dict(row)))
        )


def downgrade() -> None:
    # The entries are derived data; leaving them is harmless.
    pass
