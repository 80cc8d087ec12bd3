import uuid

import pytest


@pytest.fixture(scope="session")
def _object_storage():
    """STORAGES["private"] when this run keeps attachments in object storage (ATTACHMENTS_S3_BUCKET), else None.

    The bucket is created if it does not exist yet (a local S3 server started for the run: docs/running-at-scale.md).
    """
    from django.conf import settings
    from django.core.files.storage import storages

    private = settings.STORAGES["private"]
    if "s3" not in private["BACKEND"]:
        return None
    client = storages["private"].connection.meta.client
    region = client.meta.region_name
    try:
        if region and region != "us-east-1":
            client.create_bucket(
                Bucket=settings.ATTACHMENTS_S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": region}
            )
        else:
            client.create_bucket(Bucket=settings.ATTACHMENTS_S3_BUCKET)
    except (client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists):
        pass
    return private


@pytest.fixture(autouse=True)
def _fresh_shared_cache(request, settings):
    """Each test starts with the cache it would have on the database: empty.

    The database cache's rows roll back with each test; Redis keeps keys between tests, so it is emptied here.
    Redis also expires keys by its own clock, which time-machine cannot move: tests that travel past a cache
    timeout (marked cache_time_travel) run with the database cache only.
    """
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return
    if request.node.get_closest_marker("cache_time_travel"):
        pytest.skip("Travels past a cache timeout, which Redis measures by its own clock")
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_and_private_storage(settings, tmp_path, request, _object_storage):
    """Every test writes files to its own temporary folders (or its own prefix in the bucket)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    if _object_storage is not None:
        if request.node.get_closest_marker("local_private_folder"):
            pytest.skip("Looks inside the local private folder; this run keeps attachments in object storage")
        options = {**_object_storage["OPTIONS"], "location": f"tests/{uuid.uuid4().hex}"}
        settings.STORAGES = {**settings.STORAGES, "private": {**_object_storage, "OPTIONS": options}}


@pytest.fixture
def page_cache_on(settings):
    """The whole-page cache on, as in production (the test settings turn it off), each worker's memory empty."""
    from core import cache as page_cache

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    page_cache._Local.clear()
    yield
    page_cache._Local.clear()
