"""No respondent's address or words in any log line: a whole response journey with an attachment, its receipt (one
failed try, then sent), and a sign-up to email updates with its confirmation, every logger at DEBUG.

Each record is read three ways: its own message before any redaction (so the code itself logs nothing personal,
not just the formatter hiding it), and the JSON and readable lines it becomes.
"""

import datetime
import logging
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend

from submissions.models import Submission
from tests.core.logcapture import captured_logs
from tests.submissions.journey_helpers import (
    answers_for,
    docx_bytes,
    make_advice_call,
    submit,
    url,
    walk_to_check,
)
from tests.worker import send_queued_emails

pytestmark = pytest.mark.django_db

ADDRESS = "sam.respondent@example.org"
SIGN_UP_ADDRESS = "reader.person@example.net"
NAME = "Samira Quentin-Respondent"
ANSWER = "Keeping the same social worker for more than a year mattered most to me."
ORGANISATION = "Brightwater Foster Carers Association"
FILE_NAME = "my-story-samira.docx"
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def send_once_failing():
    """The first send fails as an SMTP server refusing the recipient would, quoting the address back."""
    original, calls = EmailBackend.send_messages, []

    def send_messages(backend, messages):
        calls.append(messages)
        if len(calls) == 1:
            recipient = messages[0].to[0]
            refusal = f"5.1.1 <{recipient}>: mailbox unavailable".encode()
            raise smtplib.SMTPRecipientsRefused({recipient: (550, refusal)})
        return original(backend, messages)

    return mock.patch.object(EmailBackend, "send_messages", send_messages)


def test_a_whole_response_and_a_sign_up_log_no_address_name_or_answer(client, django_capture_on_commit_callbacks):
    cache.clear()
    with time_machine.travel(NOW, tick=False) as clock, captured_logs(logging.DEBUG) as logs, send_once_failing():
        call = make_advice_call(title="Call for Advice", accepts_attachments=True)
        answers = answers_for(call)
        answers[f"q_{call.questions.get(position=2).pk}"] = ANSWER
        about = {"respondent_type": "organisation", "organisation_name": ORGANISATION, "name": NAME, "email": ADDRESS}

        client.post(url(call, "respond_about"), about)
        client.post(url(call, "respond_answers"), answers)
        upload = SimpleUploadedFile(FILE_NAME, docx_bytes(), content_type="application/octet-stream")
        client.post(url(call, "respond_files"), {"action": "upload", "file": upload})
        walk_to_check(client, call, about=about, answers=answers)
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client, call)
        assert response.status_code == 302, response.content.decode()[:2000]
        send_queued_emails()  # the receipt: refused once
        clock.shift(datetime.timedelta(hours=1))
        send_queued_emails()  # and sent on its retry

        client.post("/updates/", {"email": SIGN_UP_ADDRESS})
        send_queued_emails()

    submission = Submission.objects.get()
    assert submission.attachments.count() == 1, "the file was kept, so its name could have been logged"
    assert submission.receipt_sent_at is not None
    assert {tuple(message.to) for message in mail.outbox} == {(ADDRESS,), (SIGN_UP_ADDRESS,)}
    assert any(r.name == "outbox.services" and "failed" in r.getMessage() for r in logs.records), (
        "the failed send was logged, so what it logged was checked"
    )
    personal = [ADDRESS, SIGN_UP_ADDRESS, NAME, ANSWER, ORGANISATION, FILE_NAME, "samira", "Samira"]
    leaks = [(word, text) for text in logs.everything() for word in personal if word in text]
    assert not leaks, leaks
