"""Writes for publications: files checked by content and stored under their hash, attachments saved and removed,
and the text search reads from a publication's files kept up to date."""

import hashlib
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from core.files import ALLOWED_TYPES, check_file, safe_filename

from . import selectors
from .models import Attachment, Publication
from .pdf import count_pages
from .storage import publication_storage


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    page_count: int | None


def attachment_file_store(*, upload, checked_ext: str | None = None) -> StoredFile:
    """Check an uploaded file as respondents' files are checked (type by name and by content, zip caps, size) and
    keep it as <first 16 of its SHA-256>/<name>.<ext>. Raises ValidationError. The same file uploaded twice is
    kept once: the name says what is in it. checked_ext: what check_file() already said of this upload (a form
    that checked it while cleaning), so a file of up to 100 MB is not read through twice."""
    ext = checked_ext or check_file(upload, max_bytes=settings.PUBLICATION_MAX_FILE_BYTES)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original_name = safe_filename(upload.name)
    stem = slugify(os.path.splitext(original_name)[0])[:80].strip("-") or "file"
    stored_name = f"{digest.hexdigest()[:16]}/{stem}{ext}"
    storage = publication_storage()
    if not storage.exists(stored_name):
        saved = storage.save(stored_name, upload)
        if saved != stored_name:  # the same file was being saved at the same moment: keep one copy
            storage.delete(saved)
    page_count = count_pages(upload) if ext == ".pdf" else None
    upload.seek(0)
    return StoredFile(
        stored_name=stored_name,
        original_name=original_name,
        content_type=ALLOWED_TYPES[ext][1],
        size=upload.size,
        sha256=digest.hexdigest(),
        page_count=page_count,
    )


def attachment_use_file(*, attachment: Attachment, stored: StoredFile) -> None:
    """Point an (unsaved) attachment at a stored file. A page count typed by an editor is kept."""
    attachment.stored_name = stored.stored_name
    attachment.original_name = stored.original_name
    attachment.content_type = stored.content_type
    attachment.size = stored.size
    attachment.sha256 = stored.sha256
    if stored.page_count is not None:
        attachment.page_count = stored.page_count


def publication_files_changed(*, publication: Publication, names: set[str] = frozenset()) -> None:
    """After files were added, changed or removed: refresh what search reads from their titles, and once the
    transaction commits, delete the stored files among `names` that no attachment uses any more."""
    titles = "\n".join(publication.attachments.order_by("position", "id").values_list("title", flat=True))
    Publication.objects.filter(pk=publication.pk).update(attachment_titles=titles)
    publication.attachment_titles = titles
    if names:
        transaction.on_commit(lambda: stored_files_delete_unused(names=names))


def publication_delete(*, publication: Publication) -> None:
    names = set(publication.attachments.values_list("stored_name", flat=True))
    publication.delete()
    transaction.on_commit(lambda: stored_files_delete_unused(names=names))


def stored_files_delete_unused(*, names) -> int:
    """Delete the stored files among `names` that no attachment uses; return how many went."""
    storage = publication_storage()
    deleted = 0
    for name in sorted(names):
        if name and not selectors.stored_name_in_use(name) and storage.exists(name):
            storage.delete(name)
            deleted += 1
    return deleted
