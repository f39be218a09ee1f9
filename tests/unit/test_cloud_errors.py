"""How cloud answers become resource failures: user errors fail at once, the rest retry."""

from __future__ import annotations

import pytest

from activities.cloud import CloudUnavailable, classify_status
from activities.resources.base import ResourceFailure


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (500, "Internal Server Error"),
        (503, "Service Unavailable"),
        (None, "Connection refused"),
        (429, "Rate limit exceeded"),
        (409, "Unable to complete operation on network x. One or more ports are in use."),
    ],
)
def test_server_errors_busy_clouds_and_things_in_use_are_retried(
    status: int | None, text: str
) -> None:
    error = classify_status(status, text)
    assert isinstance(error, CloudUnavailable)
    assert not isinstance(error, ResourceFailure)


@pytest.mark.parametrize(
    ("status", "text", "kind"),
    [
        (400, "Invalid flavorRef provided.", "BadRequest"),
        (404, "Image not found.", "NotFound"),
        (409, "Security group rule already exists.", "Conflict"),
        (403, "Quota exceeded for instances: Requested 1, but already used 10", "OverQuota"),
        (413, "VolumeSizeExceedsAvailableQuota: quota exceeded", "OverLimit"),
        (401, "The request you have made requires authentication.", "Unauthorized"),
    ],
)
def test_user_errors_fail_the_resource_in_heats_words(status: int, text: str, kind: str) -> None:
    error = classify_status(status, text)
    assert isinstance(error, ResourceFailure)
    assert error.kind == kind
    assert str(error) == f"{text} (HTTP {status})"
