"""Files people or staff upload, checked by name and by content before anything keeps them.

Shared by respondents' attachments (submissions/uploads.py) and the review's own publications: a file is one of a
few document types, its first bytes say it is what its name says, and the documents that are zips (DOCX, XLSX, ODT)
are opened within fixed caps, so a zip bomb costs a worker nothing. Where the file is kept is the caller's business.
"""

import copy
import os
import posixpath
import struct
import unicodedata
import zipfile
import zlib

from django.core.exceptions import ValidationError

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


# The content check opens an ODT, DOCX or XLSX as a zip and reads one small member: `mimetype` (39 bytes in a real
# ODT) or `[Content_Types].xml` (a few KB in a real DOCX or XLSX). A zip's sizes are claims: a 306 KB ODT can hold a
# `mimetype` that inflates to 300 MB, and a member can say it holds 39 bytes and inflate to far more. So the sizes a
# zip claims are checked, then never relied on: every read streams in chunks and stops as soon as it passes a cap.
# Each cap is far above what a real document needs and far below what would hurt a worker.
ZIP_MEMBER_MAX_BYTES = 1024 * 1024  # inflated bytes read from any one member
ZIP_INFLATED_MAX_BYTES = 2 * 1024 * 1024  # inflated bytes read from one upload, every member together
ZIP_MAX_RATIO = 100  # inflated : compressed, for what is read; these small XML parts are under 10:1, a bomb ~1000:1
ZIP_MAX_MEMBERS = 10_000  # a long report full of pictures has a few hundred
ZIP_DIRECTORY_MAX_BYTES = 2 * 1024 * 1024  # the zip's table of contents, which zipfile parses whole into objects
ZIP_READ_CHUNK = 64 * 1024
# ODF and OOXML (Open Packaging Conventions) allow only these two. zipfile inflates bzip2 and LZMA with no limit on
# the output of one read, so they could not be read within the caps anyway.
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# Everything zipfile and zlib raise for a damaged or unsupported zip (RuntimeError: a member needs a password).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
)
UNREADABLE_MESSAGE = "The selected file could not be read"

_END = b"PK\x05\x06"  # end of central directory record, 22 bytes
_END64_LOCATOR = b"PK\x06\x07"  # zip64 end of central directory locator, 20 bytes
_END64 = b"PK\x06\x06"  # zip64 end of central directory record, 56 bytes
_ENTRY = b"PK\x01\x02"  # central directory entry, 46 bytes and a name, an extra field and a comment


class _Unreadable(Exception):
    """A zip, but a damaged one, or one that would take more than the caps above to check."""


def _count_members(fp):
    """How many members the zip's central directory holds, or None when there is no zip end record at all.

    Counted here, from the raw directory, before zipfile turns each entry into an object: the end record's own
    count is a claim zipfile ignores (it parses entries until the directory's claimed size is used up). The end
    record is found as zipfile finds it (zipfile._EndRecData), so both read the same directory.
    """
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    start = max(size - (1 << 16) - 22, 0)  # a 22-byte record and a comment of up to 64 KiB, as zipfile looks
    fp.seek(start)
    tail = fp.read()
    if len(tail) >= 22 and tail[-22:-18] == _END and tail[-2:] == b"\x00\x00":
        at = len(tail) - 22
    else:
        at = tail.rfind(_END)
        if at < 0 or len(tail) - at < 22:
            return None
    count, directory_size = struct.unpack_from("<HL", tail, at + 10)
    end = start + at
    if end >= 20:
        fp.seek(end - 20)
        locator = fp.read(20)
        if locator[:4] == _END64_LOCATOR:
            disk, _, disks = struct.unpack_from("<LQL", locator, 4)
            if disk != 0 or disks > 1:
                raise _Unreadable("spans several disks")
            if end >= 76:
                fp.seek(end - 76)
                record = fp.read(56)
                if record[:4] == _END64:
                    count, directory_size = struct.unpack_from("<QQ", record, 32)
                    end -= 76
    if count > ZIP_MAX_MEMBERS:
        raise _Unreadable(f"claims {count} members")
    if directory_size > ZIP_DIRECTORY_MAX_BYTES:
        raise _Unreadable(f"claims a {directory_size}-byte directory")
    if directory_size > end:
        raise _Unreadable("directory starts before the file")
    fp.seek(end - directory_size)
    directory = fp.read(directory_size)
    members = position = 0
    while position < directory_size:
        if directory[position : position + 4] != _ENTRY or position + 46 > len(directory):
            raise _Unreadable("damaged directory")
        name, extra, comment = struct.unpack_from("<3H", directory, position + 28)
        position += 46 + name + extra + comment
        members += 1
        if members > ZIP_MAX_MEMBERS:
            raise _Unreadable(f"holds more than {ZIP_MAX_MEMBERS} members")
    return members


def _read_member(archive, info, budget):
    """The member's bytes, read in chunks and refused as soon as they pass a cap, whatever the member claims."""
    if info.compress_type not in ZIP_METHODS:
        raise _Unreadable(f"compression method {info.compress_type}")
    limit = min(ZIP_MEMBER_MAX_BYTES, budget, ZIP_MAX_RATIO * max(info.compress_size, 1))
    if info.file_size > limit:
        raise _Unreadable(f"{info.filename} claims {info.file_size} bytes")
    # zipfile stops inflating at the claimed size and would hide a member that holds more than it says. Let it run
    # to the real end of the member, one byte past the limit at most, and compare. zipfile never reads more
    # compressed bytes than compress_size, so what is read over compress_size is at most the real ratio.
    probe = copy.copy(info)
    probe.file_size = limit + 1
    chunks = []
    read = 0
    with archive.open(probe) as member:
        while chunk := member.read(ZIP_READ_CHUNK):
            read += len(chunk)
            if read > limit:
                raise _Unreadable(f"{info.filename} inflates past {limit} bytes")
            chunks.append(chunk)
    if read != info.file_size:
        raise _Unreadable(f"{info.filename} claims {info.file_size} bytes and holds {read}")
    return b"".join(chunks)


def _zip_contents(uploaded, *wanted):
    """(names, {name: bytes}) of the zip's members, reading only the first member of each wanted name.

    (None, {}) when it is not a zip at all; _Unreadable when it is a zip that is damaged or over the caps.
    """
    uploaded.seek(0)
    try:
        if _count_members(uploaded) is None:
            return None, {}
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise _Unreadable(f"holds {len(infos)} members")
            contents = {}
            budget = ZIP_INFLATED_MAX_BYTES
            for info in infos:
                if info.filename in wanted and info.filename not in contents:
                    contents[info.filename] = _read_member(archive, info, budget)
                    budget -= len(contents[info.filename])
            return [info.filename for info in infos], contents
    except ZIP_ERRORS as error:
        raise _Unreadable(str(error)) from error
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
        if ext == ".odt":
            names, contents = _zip_contents(uploaded, "mimetype")
            return bool(names) and names[0] == "mimetype" and contents["mimetype"].strip() == ODT_MIMETYPE
        # [Content_Types].xml is read, not only named: it is the part every DOCX or XLSX reader inflates first.
        names, _ = _zip_contents(uploaded, "[Content_Types].xml")
        if names is None:
            return False
        folder = "word/" if ext == ".docx" else "xl/"
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return _looks_like_text(uploaded)


def check_file(uploaded, *, max_bytes):
    """Raise ValidationError with a GOV.UK message unless the file is an allowed type, by name and by content, and
    no bigger than max_bytes; return its extension (".pdf")."""
    if uploaded.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if uploaded.size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {human_size(max_bytes)}", code="too_big")
    ext = os.path.splitext(safe_filename(uploaded.name))[1].lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError(f"The selected file must be a {ALLOWED_LABELS}", code="type")
    try:
        matches = _content_matches(ext, uploaded)
    except _Unreadable:
        # A zip that is damaged, or a zip bomb: the same form error as any other refused file, and nothing kept.
        raise ValidationError(UNREADABLE_MESSAGE, code="unreadable") from None
    if not matches:
        label = ALLOWED_TYPES[ext][0]
        raise ValidationError(
            f"The selected file is not a real {label} file. Upload a {ALLOWED_LABELS} file", code="content"
        )
    return ext


def storage_names(storage, path=""):
    """Every file name in a storage, walking its folders (an empty or missing storage has none)."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for folder in sorted(folders):
        yield from storage_names(storage, posixpath.join(path, folder) if path else folder)
