"""Attachments: checked by name and content, stored privately under random names, moved on submit, cleared."""

import datetime
import hashlib
import os
import time
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from submissions import uploads
from submissions.models import Attachment, Submission
from submissions.uploads import safe_filename
from tests.security.hostile import private_files

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
pytestmark = pytest.mark.django_db
# Tests that look inside the local folder itself (paths, modification times) are marked local_private_folder; the
# rest go through storages["private"] and run on object storage too.

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
    """Every file in storages["private"], by its name there (the local folder, or this test's bucket prefix)."""
    return private_files()


def local_path(name):
    return Path(settings.PRIVATE_STORAGE_ROOT) / name


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
    with storages["private"].open(attachment.stored_name) as stored:
        assert stored.read() == content
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
    assert ".." not in attachment.stored_name and not attachment.stored_name.startswith("/")
    assert stored_files() == [attachment.stored_name]


def test_safe_filename_removes_folders_and_control_characters_and_keeps_255():
    assert safe_filename("..\\..\\windows\\evil.pdf") == "evil.pdf"
    assert safe_filename("re\x00po\x1brt\u202e.pdf") == "report.pdf"
    assert safe_filename("   ") == "file"
    long_name = safe_filename("a" * 300 + ".pdf")
    assert len(long_name) == 255 and long_name.endswith(".pdf")


@pytest.mark.local_private_folder
def test_files_are_private_outside_static_and_media(client, call):
    upload(client, call, "report.pdf", PDF)
    (name,) = stored_files()
    path = local_path(name)
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert "pending" in path.parts


def test_files_wait_in_pending_and_move_to_attachments_on_submit(client, call):
    upload(client, call, "report.pdf", PDF)
    (pending,) = stored_files()
    assert pending.startswith("pending/")
    finish(client, call)
    (final,) = stored_files()
    assert not final.startswith("pending/")
    assert Attachment.objects.get().stored_name == final


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
    for name in stored_files():
        storages["private"].delete(name)
    response = finish(client, call)
    assert response.status_code == 302 and response.url == url(call, "respond_files")
    assert Submission.objects.count() == 0


@pytest.mark.local_private_folder
def test_clear_pending_uploads_removes_only_old_abandoned_files(client, call):
    upload(client, call, "old.txt", b"old")
    (old,) = stored_files()
    day_and_a_bit = time.time() - 25 * 3600
    os.utime(local_path(old), (day_and_a_bit, day_and_a_bit))
    upload(client, call, "new.txt", b"new")
    call_command("clear_pending_uploads")
    remaining = stored_files()
    assert old not in remaining
    assert len(remaining) == 1


@pytest.mark.local_private_folder
def test_clear_pending_uploads_leaves_submitted_attachments_alone(client, call):
    upload(client, call, "report.pdf", PDF)
    finish(client, call)
    (final,) = stored_files()
    long_ago = time.time() - 30 * 86400
    os.utime(local_path(final), (long_ago, long_ago))
    call_command("clear_pending_uploads")
    assert stored_files() == [final]


# Per-client limits: every upload counts, and the bytes waiting for Submit are capped per session and per address.


def new_respondent(call, address="127.0.0.1"):
    """Another session (as a script opens one per request), from `address`, at the files step."""
    other = Client(REMOTE_ADDR=address)
    other.post(url(call, "respond_about"), ABOUT)
    other.post(url(call, "respond_answers"), answers_for(call))
    return other


def assert_refused_upload(response, title):
    assert response.status_code == 429
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in html
    assert "The file you chose has not been uploaded" in html and "Go back to your files" in html


@pytest.mark.parametrize("limit", [1, 3, 6])
def test_uploads_from_one_address_stop_at_the_hourly_limit_whatever_the_session(call, settings, limit):
    settings.UPLOAD_RATE_LIMIT = f"{limit}/h"
    for _ in range(limit):
        assert upload(new_respondent(call), call, "notes.txt", b"notes").status_code == 302
    kept = stored_files()
    refused = upload(new_respondent(call), call, "notes.txt", b"notes")
    assert_refused_upload(refused, "Too many files from your connection")
    assert stored_files() == kept
    assert upload(new_respondent(call, "192.0.2.9"), call, "notes.txt", b"notes").status_code == 302


def test_a_refused_file_counts_towards_the_upload_limit(client, call, settings):
    settings.UPLOAD_RATE_LIMIT = "1/h"
    assert upload(client, call, "setup.exe", b"MZ\x90\x00").status_code == 200
    assert_refused_upload(upload(client, call, "notes.txt", b"notes"), "Too many files from your connection")
    assert stored_files() == []


@pytest.mark.cache_time_travel
def test_the_hourly_upload_limit_still_holds_ten_minutes_on_and_ends_with_the_hour(client, call, settings):
    settings.UPLOAD_RATE_LIMIT = "1/h"
    start = (timezone.now() + datetime.timedelta(hours=1)).replace(minute=1, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        assert upload(client, call, "one.txt", b"one").status_code == 302
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        assert upload(client, call, "two.txt", b"two").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=60), tick=False):
        assert upload(client, call, "three.txt", b"three").status_code == 302


# (bytes kept first, bytes then refused, bytes that still fit): each cap taken to its edge and one past it.
BYTE_EDGES = {
    "full": ([100], 1, None),
    "full-from-two": ([60, 40], 1, None),
    "one-over": ([60], 41, 40),
    "two-over": ([99], 2, 1),
}


@pytest.mark.parametrize(("kept", "refused", "fits"), BYTE_EDGES.values(), ids=BYTE_EDGES.keys())
def test_files_waiting_in_one_session_stop_at_its_byte_cap(client, call, settings, kept, refused, fits):
    settings.UPLOAD_PENDING_MAX_BYTES_PER_SESSION = 100
    for n, size in enumerate(kept):
        assert upload(client, call, f"kept{n}.txt", b"k" * size).status_code == 302
    files = stored_files()
    assert_refused_upload(upload(client, call, "refused.txt", b"r" * refused), "Your files are too big in total")
    assert stored_files() == files
    if fits:
        assert upload(client, call, "fits.txt", b"f" * fits).status_code == 302


def test_the_session_byte_cap_counts_the_files_of_every_call_it_is_answering(client, call, settings):
    settings.UPLOAD_PENDING_MAX_BYTES_PER_SESSION = 100
    second = make_advice_call(accepts_attachments=True)
    client.post(url(second, "respond_about"), ABOUT)
    client.post(url(second, "respond_answers"), answers_for(second))
    assert upload(client, call, "first.txt", b"a" * 60).status_code == 302
    assert_refused_upload(upload(client, second, "second.txt", b"b" * 41), "Your files are too big in total")
    assert upload(client, second, "second.txt", b"b" * 40).status_code == 302


@pytest.mark.parametrize(("kept", "refused", "fits"), BYTE_EDGES.values(), ids=BYTE_EDGES.keys())
def test_files_waiting_from_one_address_stop_at_its_byte_cap_across_sessions(call, settings, kept, refused, fits):
    settings.UPLOAD_PENDING_MAX_BYTES_PER_CLIENT = 100
    for n, size in enumerate(kept):
        assert upload(new_respondent(call), call, f"kept{n}.txt", b"k" * size).status_code == 302
    files = stored_files()
    refused_response = upload(new_respondent(call), call, "refused.txt", b"r" * refused)
    assert_refused_upload(refused_response, "Your files are too big in total")
    assert stored_files() == files
    if fits:
        assert upload(new_respondent(call), call, "fits.txt", b"f" * fits).status_code == 302
    assert upload(new_respondent(call, "192.0.2.9"), call, "other.txt", b"o" * 100).status_code == 302


def test_a_file_removed_sent_or_refused_no_longer_counts_against_the_address(client, call, settings):
    settings.UPLOAD_PENDING_MAX_BYTES_PER_CLIENT = 100
    assert upload(client, call, "setup.exe", b"M" * 100).status_code == 200  # refused by its type
    assert upload(client, call, "drop.txt", b"d" * 100).status_code == 302
    other = new_respondent(call)
    assert upload(other, call, "one.txt", b"1").status_code == 429
    file_id = client.get(url(call, "respond_files")).content.decode().split('value="remove_')[1].split('"')[0]
    client.post(url(call, "respond_files"), {"action": f"remove_{file_id}"})
    assert upload(other, call, "sent.txt", b"s" * 100).status_code == 302
    third = new_respondent(call)
    assert upload(third, call, "one.txt", b"1").status_code == 429
    assert finish(other, call).url == url(call, "respond_confirmation")
    assert upload(third, call, "after.txt", b"a" * 100).status_code == 302


def test_a_file_that_storage_failed_to_keep_does_not_count_against_the_address(client, call, settings):
    settings.UPLOAD_PENDING_MAX_BYTES_PER_CLIENT = 100
    storage_class = uploads.private_storage().__class__
    with mock.patch.object(storage_class, "save", side_effect=OSError("disk full")), pytest.raises(OSError):
        upload(client, call, "lost.txt", b"l" * 100)
    assert upload(new_respondent(call), call, "kept.txt", b"k" * 100).status_code == 302
