"""Where attachments and pending uploads are kept: STORAGES["private"], a local folder or a private S3 bucket.

Code reads and writes them only through `django.core.files.storage.storages["private"]`, so the same code runs
on one machine (a folder outside static and media) and on several (S3-compatible object storage they all see).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder with no URL: files are only ever read back by the permission-checked download view.

    The folder is read from settings.PRIVATE_STORAGE_ROOT on every use, not once, so a test (or a management
    command's --settings) pointing it elsewhere is honoured by the shared storages["private"] instance.
    """

    def __init__(self, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(base_url=None, **kwargs)

    @property
    def base_location(self):
        return str(self._location or settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address; staff download them through the staff console.")


def private_storage_config(*, bucket, endpoint_url="", region_name="", access_key="", secret_key="", location=""):
    """The STORAGES["private"] entry: a private S3 bucket when a bucket is named, else the private folder."""
    if not bucket:
        return {"BACKEND": "review_site.storage.PrivateFileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # Never public: no ACL that grants reading, and any URL made for a file is signed and expires.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        # Two uploads can never overwrite each other: a name that exists gets a suffix (names are random anyway).
        "file_overwrite": False,
        "location": location,
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if region_name:
        options["region_name"] = region_name
    if access_key:
        options["access_key"] = access_key
    if secret_key:
        options["secret_key"] = secret_key
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
