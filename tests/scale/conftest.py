import pytest

from review_site.storage import private_storage_config

from . import s3


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server, started once for the session on a free loopback port."""
    server, endpoint = s3.start_server()
    yield endpoint
    server.stop()


@pytest.fixture
def s3_bucket(settings, s3_endpoint):
    """Attachments go to a new private bucket on the local S3 server, through STORAGES["private"]."""
    bucket = s3.create_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_storage_config(
            bucket=bucket,
            endpoint_url=s3_endpoint,
            region_name=s3.REGION,
            access_key=s3.KEYS["aws_access_key_id"],
            secret_key=s3.KEYS["aws_secret_access_key"],
        ),
    }
    return bucket
