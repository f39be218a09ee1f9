"""Software configs and deployments in SQL: stored by the API and by resource activities."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from listings.schema import software_configs, software_deployments


def config_body(row: Row[Any] | dict[str, Any]) -> dict[str, Any]:
    """A software config as the API shows it (upstream's format_software_config)."""
    data = row if isinstance(row, dict) else row._mapping
    config = dict(data["config"] or {})
    return {
        "id": data["id"],
        "name": data["name"],
        "group": data["group"],
        "config": config.get("config"),
        "inputs": config.get("inputs") or [],
        "outputs": config.get("outputs") or [],
        "options": config.get("options"),
        "creation_time": _time(data["creation_time"]),
    }


def deployment_body(row: Row[Any]) -> dict[str, Any]:
    data = row._mapping
    return {
        "id": data["id"],
        "config_id": data["config_id"],
        "server_id": data["server_id"],
        "input_values": data["input_values"],
        "output_values": data["output_values"],
        "action": data["action"],
        "status": data["status"],
        "status_reason": data["status_reason"],
        "creation_time": _time(data["creation_time"]),
        "updated_time": _time(data["updated_time"]),
    }


def _time(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


async def create_config(
    conn: AsyncConnection,
    project_id: str,
    name: str | None,
    group: str,
    config: dict[str, Any],
    config_id: str | None = None,
) -> dict[str, Any]:
    new_id = config_id or str(uuid.uuid4())
    values: dict[str, Any] = {
        "id": new_id,
        "project_id": project_id,
        "name": name,
        "group": group,
        "config": config,
        "creation_time": datetime.now(UTC),
    }
    existing = await get_config(conn, project_id, new_id)
    if existing is None:
        await conn.execute(software_configs.insert().values(**values))
        return values
    # A retried activity finds what it made.
    return dict(existing._mapping)


async def get_config(conn: AsyncConnection, project_id: str, config_id: str) -> Row[Any] | None:
    result = await conn.execute(
        select(software_configs).where(
            software_configs.c.id == config_id, software_configs.c.project_id == project_id
        )
    )
    return result.first()


async def list_configs(
    conn: AsyncConnection, project_id: str | None, limit: int | None, marker: str | None
) -> list[Row[Any]]:
    query = select(software_configs).order_by(
        software_configs.c.creation_time, software_configs.c.id
    )
    if project_id is not None:
        query = query.where(software_configs.c.project_id == project_id)
    if marker:
        after = await conn.execute(
            select(software_configs.c.creation_time).where(software_configs.c.id == marker)
        )
        marker_time = after.scalar_one_or_none()
        if marker_time is not None:
            query = query.where(
                (software_configs.c.creation_time > marker_time)
                | (
                    (software_configs.c.creation_time == marker_time)
                    & (software_configs.c.id > marker)
                )
            )
    if limit is not None:
        query = query.limit(limit)
    return list((await conn.execute(query)).all())


async def delete_config(conn: AsyncConnection, project_id: str, config_id: str) -> bool:
    result = await conn.execute(
        delete(software_configs).where(
            software_configs.c.id == config_id, software_configs.c.project_id == project_id
        )
    )
    return bool(result.rowcount)


async def create_deployment(conn: AsyncConnection, values: dict[str, Any]) -> None:
    existing = await get_deployment(conn, values["project_id"], values["id"])
    if existing is not None:
        return
    now = datetime.now(UTC)
    await conn.execute(
        software_deployments.insert().values(
            creation_time=now, updated_time=now, **{"status_reason": "", **values}
        )
    )


async def get_deployment(
    conn: AsyncConnection, project_id: str, deployment_id: str
) -> Row[Any] | None:
    result = await conn.execute(
        select(software_deployments).where(
            software_deployments.c.id == deployment_id,
            software_deployments.c.project_id == project_id,
        )
    )
    return result.first()


async def list_deployments(
    conn: AsyncConnection, project_id: str, server_id: str | None
) -> list[Row[Any]]:
    query = select(software_deployments).where(software_deployments.c.project_id == project_id)
    if server_id:
        query = query.where(software_deployments.c.server_id == server_id)
    query = query.order_by(software_deployments.c.creation_time, software_deployments.c.id)
    return list((await conn.execute(query)).all())


async def update_deployment(
    conn: AsyncConnection, project_id: str, deployment_id: str, values: dict[str, Any]
) -> None:
    await conn.execute(
        update(software_deployments)
        .where(
            software_deployments.c.id == deployment_id,
            software_deployments.c.project_id == project_id,
        )
        .values(updated_time=datetime.now(UTC), **values)
    )


async def delete_deployment(conn: AsyncConnection, project_id: str, deployment_id: str) -> bool:
    result = await conn.execute(
        delete(software_deployments).where(
            software_deployments.c.id == deployment_id,
            software_deployments.c.project_id == project_id,
        )
    )
    return bool(result.rowcount)


async def server_metadata(
    conn: AsyncConnection, project_id: str, server_id: str
) -> list[dict[str, Any]]:
    """What a server's agent reads: the configs of its deployments, oldest first."""
    configs = []
    for deployment in await list_deployments(conn, project_id, server_id):
        row = await get_config(conn, project_id, deployment.config_id)
        if row is not None:
            configs.append(config_body(row))
    return configs
