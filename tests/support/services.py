"""Services a test depends on (PostgreSQL, Redis, a binary on the PATH): missing ones skip the test locally and
fail it under CI=true, so CI cannot pass by skipping."""

import os

import pytest

UNDER_CI = os.environ.get("CI", "").lower() == "true"


def require_service(available: bool, reason: str) -> None:
    """Skip when a service a test depends on is missing; under CI=true that is a failure instead."""
    if available:
        return
    if UNDER_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)
