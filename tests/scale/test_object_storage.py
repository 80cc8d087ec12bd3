"""Attachments in S3-compatible object storage: a real local S3 server (moto), a private bucket, no mock client."""

import datetime
import hashlib

import pytest
import requests
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from submissions import uploads
from submissions.models import Attachment, Submission
from submissions.services import data_rights
from tests.submissions.journey_helpers import (
    ABOUT,
    PUBLICATION,
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    answers_for,
    make_advice_call,
    submit,
    url,
)
from tests.submissions.staff import staff_user

from . import s3

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n% Jo's story about moving placements\n%%EOF\n"


@pytest.fixture
def call(client, s3_bucket):
    call = make_advice_call(accepts_attachments=True)
    client.post(url(call, "respond_about"), ABOUT)
    client.post(url(call, "respond_answers"), answers_for(call))
    return call


def upload(client, call, name, content):
    response = client.post(url(call, "respond_files"), {"file": SimpleUploadedFile(name, content), "action": "upload"})
    assert response.status_code == 302
    return response


def finish(client, call, django_capture_on_commit_callbacks):
    client.post(url(call, "respond_files"), {"action": "continue"})
    client.post(url(call, "respond_publication"), PUBLICATION)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, call)
    assert response.status_code == 302 and response.url == url(call, "respond_confirmation")
    return Submission.objects.get()


def test_an_attachment_sent_through_the_journey_is_kept_in_the_bucket_under_a_random_name(
    client, call, s3_bucket, s3_endpoint, settings, django_capture_on_commit_callbacks
):
    upload(client, call, "jo-placement-story.pdf", PDF)
    (pending_key,) = s3.object_keys(s3_endpoint, s3_bucket)
    assert pending_key.startswith("pending/")

    finish(client, call, django_capture_on_commit_callbacks)

    attachment = Attachment.objects.get()
    # Moved out of pending on Submit: the bucket holds exactly the stored attachment, nothing else.
    assert s3.object_keys(s3_endpoint, s3_bucket) == [attachment.stored_name]
    assert attachment.stored_name.startswith("attachments/")
    assert "jo" not in attachment.stored_name and "placement" not in attachment.stored_name
    body = s3.client(s3_endpoint).get_object(Bucket=s3_bucket, Key=attachment.stored_name)["Body"].read()
    assert body == PDF
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    # Nothing was written to the local private folder.
    assert not settings.PRIVATE_STORAGE_ROOT.exists() or not any(settings.PRIVATE_STORAGE_ROOT.rglob("*.pdf"))


def test_staff_download_the_attachment_from_the_bucket_through_the_permission_checked_view(
    client, call, django_capture_on_commit_callbacks
):
    upload(client, call, "evidence.pdf", PDF)
    finish(client, call, django_capture_on_commit_callbacks)
    attachment = Attachment.objects.get()
    download = reverse("submissions:attachment_download", args=[attachment.pk])

    client.logout()
    assert client.get(download).status_code == 302  # to the sign-in page, never the file

    client.force_login(staff_user("Moderators"))
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "evidence.pdf" in response["Content-Disposition"]


def test_the_stored_object_is_private_and_an_anonymous_get_of_its_address_is_refused(
    client, call, s3_bucket, s3_endpoint, django_capture_on_commit_callbacks
):
    upload(client, call, "evidence.pdf", PDF)
    finish(client, call, django_capture_on_commit_callbacks)
    key = Attachment.objects.get().stored_name

    anonymous = requests.get(f"{s3_endpoint}/{s3_bucket}/{key}", timeout=10)
    assert anonymous.status_code == 403
    assert PDF not in anonymous.content
    grants = s3.client(s3_endpoint).get_object_acl(Bucket=s3_bucket, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    # Any address the storage would make is signed and short-lived, never a bare public one.
    signed = storages["private"].url(key)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed


def test_a_file_removed_before_submitting_is_deleted_from_the_bucket(client, call, s3_bucket, s3_endpoint):
    upload(client, call, "keep.txt", b"keep this")
    upload(client, call, "drop.txt", b"drop this")
    page = client.get(url(call, "respond_files")).content.decode()
    drop_id = page.split('value="remove_')[2].split('"')[0]

    client.post(url(call, "respond_files"), {"action": f"remove_{drop_id}"})

    (key,) = s3.object_keys(s3_endpoint, s3_bucket)
    assert s3.client(s3_endpoint).get_object(Bucket=s3_bucket, Key=key)["Body"].read() == b"keep this"


def test_clear_pending_uploads_deletes_abandoned_files_from_the_bucket_and_keeps_sent_ones(
    client, call, s3_bucket, s3_endpoint, django_capture_on_commit_callbacks
):
    upload(client, call, "sent.txt", b"sent with a response")
    finish(client, call, django_capture_on_commit_callbacks)
    other_call = make_advice_call(accepts_attachments=True)
    client.post(url(other_call, "respond_about"), ABOUT)
    client.post(url(other_call, "respond_answers"), answers_for(other_call))
    upload(client, other_call, "abandoned.txt", b"never submitted")
    assert len(s3.object_keys(s3_endpoint, s3_bucket)) == 2

    assert uploads.clear_pending(max_age_hours=24) == 0  # too new
    a_day_later = timezone.now() + datetime.timedelta(hours=25)
    assert uploads.clear_pending(max_age_hours=24, now=a_day_later) == 1

    assert s3.object_keys(s3_endpoint, s3_bucket) == [Attachment.objects.get().stored_name]
    call_command("clear_pending_uploads")  # the command runs against the bucket too


def test_erasing_a_respondent_deletes_their_attachment_from_the_bucket(
    client, call, s3_bucket, s3_endpoint, django_capture_on_commit_callbacks
):
    upload(client, call, "evidence.pdf", PDF)
    finish(client, call, django_capture_on_commit_callbacks)
    assert len(s3.object_keys(s3_endpoint, s3_bucket)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.respondent_erase(email=ABOUT["email"], actor="test", dry_run=False)

    assert s3.object_keys(s3_endpoint, s3_bucket) == []
    assert not Attachment.objects.exists()


def test_a_submit_that_fails_puts_the_file_back_in_pending_in_the_bucket(
    client, call, s3_bucket, s3_endpoint, monkeypatch
):
    upload(client, call, "evidence.pdf", PDF)
    client.post(url(call, "respond_files"), {"action": "continue"})
    client.post(url(call, "respond_publication"), PUBLICATION)
    (pending_key,) = s3.object_keys(s3_endpoint, s3_bucket)

    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment.objects, "create", broken_create)
    client.raise_request_exception = False
    assert submit(client, call).status_code == 500

    assert not Submission.objects.exists()
    assert s3.object_keys(s3_endpoint, s3_bucket) == [pending_key]


def test_a_pending_file_gone_from_the_bucket_sends_the_respondent_back_to_upload_it(
    client, call, s3_bucket, s3_endpoint
):
    upload(client, call, "evidence.pdf", PDF)
    client.post(url(call, "respond_files"), {"action": "continue"})
    client.post(url(call, "respond_publication"), PUBLICATION)
    (pending_key,) = s3.object_keys(s3_endpoint, s3_bucket)
    s3.client(s3_endpoint).delete_object(Bucket=s3_bucket, Key=pending_key)

    response = submit(client, call)

    assert response.status_code == 302 and response.url == url(call, "respond_files")
    assert not Submission.objects.exists()
