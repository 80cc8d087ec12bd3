"""Attachments: checked by name and by content, kept in private storage under random names, never served."""

import datetime
import hashlib
import os
import secrets
import unicodedata
import zipfile
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages

PENDING_DIR = "pending"
FINAL_DIR = "attachments"

# Extension -> (label, content type). The order is the order named in messages.
ALLOWED_TYPES = {
    ".pdf": ("PDF", "application/pdf"),
    ".docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".odt": ("ODT", "application/vnd.oasis.opendocument.text"),
    ".xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".csv": ("CSV", "text/csv"),
    ".txt": ("TXT", "text/plain"),
}
ALLOWED_LABELS = ", ".join(label for label, _ in list(ALLOWED_TYPES.values())[:-1]) + " or TXT"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def private_storage():
    """STORAGES["private"]: the private folder, or a private S3 bucket (review_site/storage.py)."""
    return storages["private"]


def safe_filename(name):
    """The name a respondent gave, fit to show back to them: no folders, no control characters, 255 at most."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = "file"
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        ext = ext[:20]
        name = stem[: 255 - len(ext)] + ext
    return name


def human_size(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return f"{size} bytes"


def _zip_names(uploaded):
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            first = infos[0] if infos else None
            mimetype = archive.read(first) if first is not None and first.filename == "mimetype" else b""
            return names, mimetype
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, EOFError):
        return None, b""
    finally:
        uploaded.seek(0)


def _looks_like_text(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _content_matches(ext, uploaded):
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext in {".docx", ".xlsx", ".odt"}:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names, mimetype = _zip_names(uploaded)
        if names is None:
            return False
        if ext == ".odt":
            return bool(names) and names[0] == "mimetype" and mimetype.strip() == ODT_MIMETYPE
        folder = "word/" if ext == ".docx" else "xl/"
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return _looks_like_text(uploaded)


def validate_upload(uploaded):
    """Raise ValidationError with a GOV.UK message unless the file is an allowed type, by name and by content."""
    max_bytes = settings.RESPONSE_MAX_ATTACHMENT_BYTES
    if uploaded.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if uploaded.size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {human_size(max_bytes)}", code="too_big")
    ext = os.path.splitext(safe_filename(uploaded.name))[1].lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError(f"The selected file must be a {ALLOWED_LABELS}", code="type")
    if not _content_matches(ext, uploaded):
        label = ALLOWED_TYPES[ext][0]
        raise ValidationError(
            f"The selected file is not a real {label} file. Upload a {ALLOWED_LABELS} file", code="content"
        )
    return ext


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


def _walk(storage, folder):
    """Every file under `folder` in the storage, as names relative to the storage's root."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def clear_pending(*, max_age_hours, now=None):
    """Delete pending files older than max_age_hours (journeys abandoned); return how many were deleted."""
    storage = private_storage()
    now = now or datetime.datetime.now(tz=datetime.UTC)
    if isinstance(now, int | float):
        now = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    cutoff = now - datetime.timedelta(hours=max_age_hours)
    deleted = 0
    for name in list(_walk(storage, PENDING_DIR)):
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
