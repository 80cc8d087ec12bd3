"""Attachments: checked by name and content, stored privately under random names, moved on submit, cleared."""

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from submissions.models import Attachment, Submission
from submissions.uploads import safe_filename

from .journey_helpers import (
    ABOUT,
    PUBLICATION,
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    answers_for,
    docx_bytes,
    make_advice_call,
    odt_bytes,
    submit,
    url,
)

# These look inside the local private folder; tests/scale/test_object_storage.py covers object storage.
pytestmark = [pytest.mark.django_db, pytest.mark.local_private_folder]

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def call(client):
    call = make_advice_call(accepts_attachments=True)
    client.post(url(call, "respond_about"), ABOUT)
    client.post(url(call, "respond_answers"), answers_for(call))
    return call


def upload(client, call, name, content, action="upload"):
    return client.post(url(call, "respond_files"), {"file": SimpleUploadedFile(name, content), "action": action})


def stored_files():
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def finish(client, call):
    client.post(url(call, "respond_files"), {"action": "continue"})
    client.post(url(call, "respond_publication"), PUBLICATION)
    return submit(client, call)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("notes.docx", docx_bytes("word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("notes.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("figures.xlsx", docx_bytes("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("figures.csv", b"area,children\nNorth,12\nSouth,9\n", "text/csv"),
        ("notes.txt", "Plain words, with a pound sign: £5.\n".encode(), "text/plain"),
    ],
)
def test_each_allowed_type_is_accepted_and_stored_with_its_hash(client, call, name, content, content_type):
    response = upload(client, call, name, content)
    assert response.status_code == 302
    assert name in client.get(url(call, "respond_files")).content.decode()
    finish(client, call)
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.content_type == content_type
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / attachment.stored_name
    assert stored.read_bytes() == content
    # A random name, never the one the respondent gave.
    assert Path(name).stem not in attachment.stored_name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00 this is a program", "The selected file is not a real PDF file"),
        ("setup.exe", b"MZ\x90\x00\x03", "The selected file must be a PDF, DOCX, ODT, XLSX, CSV or TXT"),
        ("notes", b"no extension at all", "The selected file must be a PDF, DOCX, ODT, XLSX, CSV or TXT"),
        ("notes.docx", b"PK\x03\x04 not really a zip", "The selected file is not a real DOCX file"),
        ("notes.docx", docx_bytes("xl/"), "The selected file is not a real DOCX file"),
        ("figures.xlsx", docx_bytes("word/"), "The selected file is not a real XLSX file"),
        ("notes.odt", odt_bytes("application/vnd.oasis.opendocument.spreadsheet"), "not a real ODT file"),
        ("notes.odt", docx_bytes("word/"), "The selected file is not a real ODT file"),
        ("notes.txt", b"text with a \x00 NUL byte", "The selected file is not a real TXT file"),
        ("figures.csv", "caf\xe9".encode("latin-1"), "The selected file is not a real CSV file"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_not_kept(client, call, name, content, message):
    response = upload(client, call, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused(client, call, settings):
    settings.RESPONSE_MAX_ATTACHMENT_BYTES = 1024
    response = upload(client, call, "big.txt", b"a" * 1025)
    assert "The selected file must be smaller than 1 KB" in response.content.decode()
    assert stored_files() == []
    assert upload(client, call, "fits.txt", b"a" * 1024).status_code == 302


def test_the_default_limit_is_ten_megabytes(client, call):
    assert settings.RESPONSE_MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    response = upload(client, call, "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert "The selected file must be smaller than 10 MB" in response.content.decode()


def test_no_more_than_the_maximum_number_of_files(client, call):
    for n in range(settings.RESPONSE_MAX_ATTACHMENTS):
        assert upload(client, call, f"file{n}.txt", b"hello").status_code == 302
    response = upload(client, call, "one-too-many.txt", b"hello")
    assert response.status_code == 200
    assert "You can upload up to 5 files. Remove one to add another" in response.content.decode()
    assert len(stored_files()) == 5


def test_a_path_traversal_name_is_made_safe_and_never_used_as_a_path(client, call):
    assert upload(client, call, "../../../etc/passwd.txt", b"root:x:0:0").status_code == 302
    finish(client, call)
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.txt"
    assert ".." not in attachment.stored_name
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    assert (root / attachment.stored_name).resolve().is_relative_to(root)


def test_safe_filename_removes_folders_and_control_characters_and_keeps_255():
    assert safe_filename("..\\..\\windows\\evil.pdf") == "evil.pdf"
    assert safe_filename("re\x00po\x1brt\u202e.pdf") == "report.pdf"
    assert safe_filename("   ") == "file"
    long_name = safe_filename("a" * 300 + ".pdf")
    assert len(long_name) == 255 and long_name.endswith(".pdf")


def test_files_are_private_outside_static_and_media(client, call):
    upload(client, call, "report.pdf", PDF)
    (path,) = stored_files()
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert "pending" in path.parts


def test_files_wait_in_pending_and_move_to_attachments_on_submit(client, call):
    upload(client, call, "report.pdf", PDF)
    (pending,) = stored_files()
    assert "pending" in pending.parts
    finish(client, call)
    (final,) = stored_files()
    assert "pending" not in final.parts
    assert Attachment.objects.get().stored_name == final.relative_to(settings.PRIVATE_STORAGE_ROOT).as_posix()


def test_a_file_can_be_removed_before_submitting(client, call):
    upload(client, call, "keep.txt", b"keep")
    upload(client, call, "drop.txt", b"drop")
    page = client.get(url(call, "respond_files")).content.decode()
    drop_id = page.split('value="remove_')[2].split('"')[0]
    response = client.post(url(call, "respond_files"), {"action": f"remove_{drop_id}"})
    assert response.status_code == 302
    assert len(stored_files()) == 1
    finish(client, call)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["keep.txt"]


def test_files_are_listed_on_check_answers(client, call):
    upload(client, call, "report.pdf", PDF)
    client.post(url(call, "respond_files"), {"action": "continue"})
    client.post(url(call, "respond_publication"), PUBLICATION)
    assert "report.pdf" in client.get(url(call, "respond_check")).content.decode()


def test_choosing_a_file_then_continue_uploads_it_and_moves_on(client, call):
    response = upload(client, call, "report.pdf", PDF, action="continue")
    assert response.status_code == 302 and response.url == url(call, "respond_publication")
    assert len(stored_files()) == 1


def test_files_step_is_skipped_when_the_call_takes_no_attachments(client):
    call = make_advice_call(accepts_attachments=False)
    client.post(url(call, "respond_about"), ABOUT)
    response = client.post(url(call, "respond_answers"), answers_for(call))
    assert response.url == url(call, "respond_publication")
    response = client.get(url(call, "respond_files"))
    assert response.status_code == 302


def test_a_pending_file_deleted_before_submit_sends_the_respondent_back_to_upload(client, call):
    upload(client, call, "report.pdf", PDF)
    for path in stored_files():
        path.unlink()
    response = finish(client, call)
    assert response.status_code == 302 and response.url == url(call, "respond_files")
    assert Submission.objects.count() == 0


def test_clear_pending_uploads_removes_only_old_abandoned_files(client, call):
    upload(client, call, "old.txt", b"old")
    (old,) = stored_files()
    day_and_a_bit = time.time() - 25 * 3600
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    upload(client, call, "new.txt", b"new")
    call_command("clear_pending_uploads")
    remaining = stored_files()
    assert old not in remaining
    assert len(remaining) == 1


def test_clear_pending_uploads_leaves_submitted_attachments_alone(client, call):
    upload(client, call, "report.pdf", PDF)
    finish(client, call)
    (final,) = stored_files()
    long_ago = time.time() - 30 * 86400
    os.utime(final, (long_ago, long_ago))
    call_command("clear_pending_uploads")
    assert stored_files() == [final]
