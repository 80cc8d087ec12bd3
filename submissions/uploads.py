"""Attachments: checked by name and by content, kept in private storage under random names, never served.

The content check itself (types, zip caps) is core/files.py, shared with the review's publications; its names are
still importable from here.
"""

import datetime
import hashlib
import os
import secrets
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.files.storage import storages

from core.files import (  # noqa: F401 - the names callers and tests import from here
    ALLOWED_LABELS,
    ALLOWED_TYPES,
    ODT_MIMETYPE,
    UNREADABLE_MESSAGE,
    ZIP_DIRECTORY_MAX_BYTES,
    ZIP_INFLATED_MAX_BYTES,
    ZIP_MAX_MEMBERS,
    ZIP_MAX_RATIO,
    ZIP_MEMBER_MAX_BYTES,
    check_file,
    human_size,
    safe_filename,
    storage_names,
)

PENDING_DIR = "pending"
FINAL_DIR = "attachments"


def private_storage():
    """STORAGES["private"]: the private folder, or a private S3 bucket (review_site/storage.py)."""
    return storages["private"]


def validate_upload(uploaded):
    """Raise ValidationError with a GOV.UK message unless the file is an allowed type, by name and by content."""
    return check_file(uploaded, max_bytes=settings.RESPONSE_MAX_ATTACHMENT_BYTES)


@dataclass
class PendingFile:
    """A checked upload waiting in private storage for the journey to be submitted."""

    id: str
    stored_name: str
    original_name: str
    size: int
    content_type: str
    sha256: str

    def as_dict(self):
        return asdict(self)

    @property
    def size_display(self):
        return human_size(self.size)


def store_pending(uploaded, *, journey_token):
    """Check the file and keep it under a random name in private storage, in the journey's pending folder."""
    ext = validate_upload(uploaded)
    file_id = secrets.token_hex(16)
    stored_name = f"{PENDING_DIR}/{journey_token}/{file_id}{ext}"
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    storage = private_storage()
    saved = storage.save(stored_name, uploaded)
    return PendingFile(
        id=file_id,
        stored_name=saved,
        original_name=safe_filename(uploaded.name),
        size=uploaded.size,
        content_type=ALLOWED_TYPES[ext][1],
        sha256=digest.hexdigest(),
    )


def delete_stored(stored_name):
    storage = private_storage()
    if stored_name and storage.exists(stored_name):
        storage.delete(stored_name)


def _local_path(storage, name):
    """The file's path on this machine, or None when the storage is not a local folder (object storage)."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def move_to_final(stored_name):
    """Move a pending file to the attachments folder; return (final_name, undo) so a failed save can put it back."""
    storage = private_storage()
    final_name = f"{FINAL_DIR}/{os.path.basename(stored_name)}"
    source = _local_path(storage, stored_name)
    if source is not None:
        # One folder on one disk: a rename, atomic and instant whatever the size.
        target = storage.path(final_name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)

        def undo():
            os.makedirs(os.path.dirname(source), exist_ok=True)
            os.replace(target, source)

        return final_name, undo

    # Object storage has no rename: copy, then delete the pending copy. The name is random, so it is free.
    with storage.open(stored_name, "rb") as pending:
        final_name = storage.save(final_name, pending)
    storage.delete(stored_name)

    def undo():
        with storage.open(final_name, "rb") as final:
            storage.save(stored_name, final)
        storage.delete(final_name)

    return final_name, undo


def clear_pending(*, max_age_hours, now=None):
    """Delete pending files older than max_age_hours (journeys abandoned); return how many were deleted."""
    storage = private_storage()
    now = now or datetime.datetime.now(tz=datetime.UTC)
    if isinstance(now, int | float):
        now = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    cutoff = now - datetime.timedelta(hours=max_age_hours)
    deleted = 0
    for name in list(storage_names(storage, PENDING_DIR)):
        modified = storage.get_modified_time(name)
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=datetime.UTC)
        if modified < cutoff:
            storage.delete(name)
            deleted += 1
    # A local folder keeps a directory per journey: remove the empty ones (object storage has no directories).
    root = _local_path(storage, PENDING_DIR)
    if root is not None and os.path.isdir(root):
        for folder in os.listdir(root):
            path = os.path.join(root, folder)
            if os.path.isdir(path) and not os.listdir(path):
                os.rmdir(path)
    return deleted
