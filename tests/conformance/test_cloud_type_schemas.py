"""GET /resource_types/{type} of every OpenStack type answers exactly as upstream 27.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from activities.resources.registry import type_names, type_schema

# Recorded from upstream's own schema objects by dump_upstream_schemas.py; the entries of
# OS::Nova::HostAggregate and OS::Cinder::VolumeType were transcribed by hand from upstream's
# host_aggregate.py and volume_type.py (no upstream installation at hand), so until the next
# dump they check our declaration against that transcription, not against a running upstream.
UPSTREAM: dict[str, Any] = json.loads(
    (Path(__file__).with_name("upstream_cloud_type_schemas.json")).read_text()
)


def test_every_recorded_type_is_registered() -> None:
    assert len(UPSTREAM) == 26
    assert set(UPSTREAM) <= set(type_names())


@pytest.mark.parametrize("type_name", sorted(UPSTREAM))
def test_the_type_schema_is_upstreams(type_name: str) -> None:
    schema = type_schema(type_name)
    assert schema is not None
    # Through JSON, as the API sends it (tuples become lists).
    assert json.loads(json.dumps(schema.to_api(type_name))) == UPSTREAM[type_name]
