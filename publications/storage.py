"""Where publication files are kept: STORAGES["publications"], a folder under MEDIA_ROOT or an S3 bucket.

Files are never served from the folder or bucket directly: publications.views.attachment_file serves them, so a
draft's files stay hidden until it is published, and each name holds the start of the file's SHA-256 so a browser
or proxy may keep it for a year (immutable): a changed file gets a new name and so a new address.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

FOLDER = "publications"


class PublicationFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT/publications, read from settings on every use (tests and --settings point MEDIA_ROOT elsewhere)."""

    def __init__(self, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(base_url=None, **kwargs)

    @property
    def base_location(self):
        return str(self._location or os.path.join(settings.MEDIA_ROOT, FOLDER))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Publication files are served by publications.views.attachment_file, at the file's own URL.")


def publication_storage():
    return storages["publications"]
