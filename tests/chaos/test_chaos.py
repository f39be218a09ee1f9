"""The short chaos run of `make test`: one round, a few stacks, each process killed once."""

from __future__ import annotations

import argparse

from tests.chaos.harness import VICTIMS, run


def test_killing_worker_api_and_temporal_loses_leaks_and_duplicates_nothing() -> None:
    args = argparse.Namespace(
        rounds=1, stacks=4, kills=3, min_gap=1.0, max_gap=3.0, deadline=240.0, seed=11
    )
    report = run(args)
    assert report.kills == dict.fromkeys(VICTIMS, 1)
    assert report.operations_accepted >= 4 * 2  # every stack created and updated at least
    assert report.wrong_state == []
    assert report.leaked == []
    assert report.duplicated == []
    assert report.drift == []
    assert report.request_errors == []
