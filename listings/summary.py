"""A stack's entry in GET /stacks, rendered once when the stack changes instead of per request."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

# Stands for "scheme://host" of the request: the same row serves every address of the API.
BASE_URL = "@@heat-temporal-base-url@@"


def heat_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stack_summary(row: Mapping[str, Any]) -> dict[str, Any]:
    """The stack as upstream lists it (heat.engine.api.format_stack without details)."""
    href = (
        f"{BASE_URL}/v1/{quote(row['project_id'], safe='')}/stacks/"
        f"{quote(row['name'], safe='')}/{row['id']}"
    )
    return {
        "id": row["id"],
        "links": [{"href": href, "rel": "self"}],
        "project": row["project_id"],
        "stack_name": row["name"],
        "description": row["description"],
        "stack_status": f"{row['action']}_{row['status']}",
        "stack_status_reason": row["status_reason"],
        "creation_time": heat_time(row["creation_time"]),
        "updated_time": heat_time(row.get("updated_time")),
        "deletion_time": heat_time(row.get("deletion_time")),
        "stack_owner": row.get("owner"),
        "parent": row.get("parent_id"),
        "stack_user_project_id": row["project_id"],
        "tags": row.get("tags"),
    }


def stack_summary_json(row: Mapping[str, Any]) -> str:
    return json.dumps(stack_summary(row))


def with_base_url(text: str, base_url: str) -> str:
    return text.replace(BASE_URL, base_url)
