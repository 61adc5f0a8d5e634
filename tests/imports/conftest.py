"""Fixtures of the import tests (helpers are in tests/support/import_helpers.py)."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads are stored under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
