"""The short chaos run against the minicloud: servers, ports, networks and volumes made while the
worker, the API and Temporal are killed; afterwards Nova, Neutron and Cinder hold exactly what
the live stacks say (nothing leaked, nothing made twice), and deleting them leaves nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.chaos.harness import VICTIMS, run


def test_kills_during_cloud_stacks_leak_and_duplicate_nothing_in_the_cloud(
    minicloud: Path,
) -> None:
    args = argparse.Namespace(
        rounds=1,
        stacks=1,
        cloud=3,
        kills=3,
        min_gap=2.0,
        max_gap=6.0,
        deadline=420.0,
        seed=23,
    )
    report = run(args)
    assert report.kills == dict.fromkeys(VICTIMS, 1)
    assert report.operations_accepted >= 4 * 2
    assert report.wrong_state == []
    assert report.leaked == []
    assert report.duplicated == []
    assert report.drift == []
    assert report.request_errors == []
    assert report.leftovers == []
