"""Fixtures of the export tests."""

import pytest


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """A re-imported export is stored as an upload, under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
