import pytest


@pytest.fixture(autouse=True)
def _media_and_private_storage(settings, tmp_path):
    """Every test writes files to its own temporary folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
