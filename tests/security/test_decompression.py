"""Zip bombs and broken zips: the content check of an ODT, DOCX or XLSX upload inflates only what it needs, within
hard caps, and refuses anything else with a form error, never a server error, never a large amount of memory.

Each bomb is built here, in memory, with zipfile's streaming writes: a 300 MB member of zeros deflates to about
300 KB, and costs the test about a second to write and no more memory than one chunk.
"""

import functools
import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from submissions.models import Attachment
from submissions.uploads import ODT_MIMETYPE, ZIP_DIRECTORY_MAX_BYTES, ZIP_MAX_MEMBERS, validate_upload
from tests.submissions.journey_helpers import ABOUT, answers_for, make_advice_call, url

MB = 1024 * 1024
BOMB_BYTES = 300 * MB
# What the whole content check may allocate, whatever the upload inflates to. Before the caps, the 300 MB bomb
# took about 600 MB.
MEMORY_CEILING = 20 * MB
UNREADABLE = "The selected file could not be read"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
WHEN = (2021, 3, 1, 12, 0, 0)


# Building zips ---------------------------------------------------------------------------------------------------


def write_member(archive, name, content=b"", *, filler=b"", filler_bytes=0, method=zipfile.ZIP_DEFLATED):
    """Write `content` then `filler_bytes` of `filler`, streamed a megabyte at a time."""
    info = zipfile.ZipInfo(name, date_time=WHEN)
    info.compress_type = method
    chunk = filler * (MB // max(len(filler), 1))
    with archive.open(info, "w") as member:
        member.write(content)
        written = 0
        while written < filler_bytes:
            piece = chunk[: filler_bytes - written]
            member.write(piece)
            written += len(piece)


def build(*members):
    """A zip of (name, content) or (name, content, options for write_member) members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, *options in members:
            write_member(archive, name, content.encode() if isinstance(content, str) else content, **dict(*options))
    return buffer.getvalue()


def odt(mimetype_options=None):
    """An ODT as LibreOffice writes it: `mimetype` first and stored, the rest deflated."""
    return build(
        ("mimetype", ODT_MIMETYPE, mimetype_options or {"method": zipfile.ZIP_STORED}),
        ("META-INF/manifest.xml", '<manifest:manifest manifest:version="1.3"/>'),
        ("content.xml", "<office:document-content/>"),
    )


def docx(folder="word/", content_types_options=None):
    return build(
        ("[Content_Types].xml", CONTENT_TYPES, content_types_options or {}),
        ("_rels/.rels", "<Relationships/>"),
        (f"{folder}document.xml", "<w:document/>"),
    )


@functools.cache
def odt_bomb():
    """306 KB: an ODT whose `mimetype` inflates to 300 MB of zeros."""
    return odt({"filler": b"\0", "filler_bytes": BOMB_BYTES})


@functools.cache
def docx_bomb():
    """A DOCX whose [Content_Types].xml is real XML followed by 300 MB of spaces."""
    return docx(content_types_options={"filler": b" ", "filler_bytes": BOMB_BYTES})


@functools.cache
def xlsx_bomb():
    return docx("xl/", content_types_options={"filler": b" ", "filler_bytes": BOMB_BYTES})


@functools.cache
def lying_odt(extra_bytes):
    """An ODT whose `mimetype` says it is the 39 bytes of the real thing (size and CRC-32 both) and inflates to those
    39 bytes followed by `extra_bytes` of zeros."""
    data = bytearray(odt({"filler": b"\0", "filler_bytes": extra_bytes}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("mimetype")
    crc = zlib.crc32(ODT_MIMETYPE)
    struct.pack_into("<L", data, info.header_offset + 14, crc)
    struct.pack_into("<L", data, info.header_offset + 22, len(ODT_MIMETYPE))
    entry = directory_entry(data, "mimetype")
    struct.pack_into("<L", data, entry + 16, crc)
    struct.pack_into("<L", data, entry + 24, len(ODT_MIMETYPE))
    return bytes(data)


def directory_entry(data, name):
    """Where the central directory entry for `name` starts."""
    return bytes(data).rindex(b"PK\x01\x02", 0, bytes(data).rindex(name.encode()))


def end_record(data):
    return bytes(data).rindex(b"PK\x05\x06")


def many_members(count, name_length=8):
    """A DOCX with `count` empty pictures besides its real parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(count):
            archive.writestr(f"word/media/{n:0{name_length}d}", b"")
    return buffer.getvalue()


def understated_members():
    """20,000 members, and an end record that says there are 3."""
    data = bytearray(many_members(20_000))
    struct.pack_into("<HH", data, end_record(data) + 8, 3, 3)
    return bytes(data)


def with_zip64_end(data):
    """The zip with the zip64 end records some writers always add, the classic end record pointing to them."""
    data = bytes(data)
    end = end_record(data)
    count, size, offset = struct.unpack_from("<HLL", data, end + 10)
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    classic = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:end] + record + locator + classic


def wrong_crc():
    data = bytearray(docx())
    struct.pack_into("<L", data, directory_entry(data, "[Content_Types].xml") + 16, 0xDEADBEEF)
    return bytes(data)


def garbage_deflate(data, member):
    """The member's deflated bytes overwritten with bytes that are not deflate data."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename)
    data[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(data)


def encrypted(data, member):
    """The encryption flag set on the member: zipfile wants a password to read it."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo(member).header_offset
    data[offset + 6] |= 1
    data[directory_entry(data, member) + 8] |= 1
    return bytes(data)


def bzip2():
    return docx(content_types_options={"method": zipfile.ZIP_BZIP2})


def damaged_directory():
    data = bytearray(docx())
    data[directory_entry(data, "_rels/.rels") : directory_entry(data, "_rels/.rels") + 4] = b"XXXX"
    return bytes(data)


# Checking --------------------------------------------------------------------------------------------------------


def check(name, content):
    """validate_upload's verdict on the file (the extension, or the error message) and the most it allocated."""
    uploaded = SimpleUploadedFile(name, content)
    tracemalloc.start()
    try:
        verdict = validate_upload(uploaded)
    except ValidationError as error:
        verdict = error.messages[0]
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return verdict, peak


def test_an_odt_whose_mimetype_inflates_to_300_mb_is_refused_without_inflating_it():
    content = odt_bomb()
    assert len(content) < 400 * 1024
    verdict, peak = check("notes.odt", content)
    assert peak < MEMORY_CEILING, f"{peak / MB:.0f} MB"
    assert verdict == UNREADABLE


@pytest.mark.parametrize("name", ["notes.docx", "figures.xlsx"])
def test_a_docx_or_xlsx_whose_content_types_inflates_to_300_mb_is_refused_without_inflating_it(name):
    content = docx_bomb() if name.endswith(".docx") else xlsx_bomb()
    verdict, peak = check(name, content)
    assert peak < MEMORY_CEILING, f"{peak / MB:.0f} MB"
    assert verdict == UNREADABLE


@pytest.mark.parametrize("extra_bytes", [BOMB_BYTES, 1000], ids=["300-mb-more", "1-kb-more"])
def test_a_member_that_inflates_to_more_than_its_header_claims_is_refused(extra_bytes):
    content = lying_odt(extra_bytes)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo("mimetype").file_size == len(ODT_MIMETYPE)
    verdict, peak = check("notes.odt", content)
    assert peak < MEMORY_CEILING, f"{peak / MB:.0f} MB"
    assert verdict == UNREADABLE


def test_a_zip_with_more_members_than_the_cap_is_refused_before_they_are_listed():
    content = many_members(20_000)
    verdict, peak = check("notes.docx", content)
    assert verdict == UNREADABLE
    # Refused from the zip's end record: not one of the 20,000 entries became an object.
    assert peak < 2 * MB, f"{peak / MB:.1f} MB"


def test_a_zip_whose_end_record_understates_its_members_is_counted_not_believed():
    verdict, peak = check("notes.docx", understated_members())
    assert verdict == UNREADABLE
    assert peak < 4 * MB, f"{peak / MB:.1f} MB"


def test_a_zip_whose_directory_is_over_the_cap_is_refused_even_with_few_members():
    count = 4_000
    content = many_members(count, name_length=600)
    assert count < ZIP_MAX_MEMBERS and count * 600 > ZIP_DIRECTORY_MAX_BYTES
    verdict, _ = check("notes.docx", content)
    assert verdict == UNREADABLE


def test_as_many_members_as_the_cap_allows_are_still_read():
    verdict, peak = check("notes.docx", many_members(ZIP_MAX_MEMBERS - 2))
    assert verdict == ".docx"
    assert peak < MEMORY_CEILING, f"{peak / MB:.0f} MB"


@pytest.mark.parametrize(
    ("name", "build_it"),
    [
        ("notes.docx", wrong_crc),
        ("notes.docx", lambda: garbage_deflate(docx(), "[Content_Types].xml")),
        ("notes.odt", lambda: garbage_deflate(odt({}), "mimetype")),
        ("notes.docx", lambda: encrypted(docx(), "[Content_Types].xml")),
        ("notes.odt", lambda: encrypted(odt(), "mimetype")),
        ("notes.docx", bzip2),
        ("notes.docx", damaged_directory),
        ("notes.odt", lambda: odt({"method": zipfile.ZIP_LZMA})),
    ],
    ids=[
        "wrong-crc",
        "docx-garbage-deflate",
        "odt-garbage-deflate",
        "docx-encrypted",
        "odt-encrypted",
        "bzip2",
        "damaged-directory",
        "lzma",
    ],
)
def test_a_damaged_or_unsupported_zip_is_refused_as_unreadable(name, build_it):
    verdict, _ = check(name, build_it())
    assert verdict == UNREADABLE


def test_a_file_that_only_starts_like_a_zip_is_still_not_a_real_document():
    verdict, _ = check("notes.docx", b"PK\x03\x04 not really a zip")
    assert verdict == "The selected file is not a real DOCX file. Upload a PDF, DOCX, ODT, XLSX, CSV or TXT file"


def test_a_zip_with_zip64_end_records_is_counted_from_them():
    content = with_zip64_end(docx())
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert len(archive.infolist()) == 3
    assert check("notes.docx", content)[0] == ".docx"
    verdict, peak = check("notes.docx", with_zip64_end(many_members(20_000)))
    assert verdict == UNREADABLE
    assert peak < 2 * MB, f"{peak / MB:.1f} MB"


def real_xlsx():
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Area", "Children"])
    workbook.active.append(["North", 12])
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "build_it"),
    [("notes.odt", odt), ("notes.docx", docx), ("figures.xlsx", real_xlsx)],
    ids=["odt", "docx", "xlsx-from-openpyxl"],
)
def test_genuine_office_files_are_still_accepted_in_little_memory(name, build_it):
    verdict, peak = check(name, build_it())
    assert verdict == name[name.rindex(".") :]
    assert peak < 2 * MB, f"{peak / MB:.1f} MB"


# Through the files step ------------------------------------------------------------------------------------------


def private_files(path=""):
    try:
        folders, files = storages["private"].listdir(path)
    except FileNotFoundError:
        return []
    return [f"{path}{name}" for name in files] + [f for d in folders for f in private_files(f"{path}{d}/")]


@pytest.fixture
def files_step(client, db):
    """The files step of a call that takes attachments, reached with good answers."""
    cache.clear()  # the journey's rate limit
    call = make_advice_call(accepts_attachments=True)
    assert client.post(url(call, "respond_about"), ABOUT).status_code == 302
    assert client.post(url(call, "respond_answers"), answers_for(call)).status_code == 302
    yield url(call, "respond_files")
    cache.clear()


@pytest.mark.parametrize(
    ("name", "build_it"),
    [("notes.odt", odt_bomb), ("notes.docx", docx_bomb), ("notes.odt", functools.partial(lying_odt, BOMB_BYTES))],
    ids=["odt-bomb", "docx-bomb", "lying-odt"],
)
def test_a_zip_bomb_uploaded_on_the_files_step_shows_the_error_and_keeps_nothing(client, files_step, name, build_it):
    upload = SimpleUploadedFile(name, build_it())
    tracemalloc.start()
    try:
        response = client.post(files_step, {"file": upload, "action": "upload"})
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert UNREADABLE in html
    assert private_files() == []
    assert Attachment.objects.count() == 0
    # The whole request: the upload, the check, the page with its error.
    assert peak < MEMORY_CEILING, f"{peak / MB:.0f} MB"
