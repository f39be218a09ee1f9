"""update_policy pause_time values: seconds for HOT groups, ISO 8601 for the AWS PauseTime."""

from __future__ import annotations

import pytest

from workflows.nested import iso8601_seconds


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("PT5M", 300.0), ("PT1H30M", 5400.0), ("PT90S", 90.0), ("PT0S", 0.0), ("30", 30.0)],
)
def test_iso8601_durations_in_seconds(text: str, seconds: float) -> None:
    assert iso8601_seconds(text) == seconds


@pytest.mark.parametrize("text", ["PT", "5 minutes", "P1Y"])
def test_anything_else_is_refused_in_upstreams_words(text: str) -> None:
    with pytest.raises(ValueError, match="Only ISO 8601 duration format of the form PT#H#M#S"):
        iso8601_seconds(text)
