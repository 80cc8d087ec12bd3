"""Receipts: the reference and a copy of the answers, sent by the worker; failures kept visible and retried."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from submissions.models import Submission
from submissions.services import receipts
from tests.worker import send_queued_emails

from .journey_helpers import (
    PUBLICATION,
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    make_advice_call,
    make_ideas_call,
    submit,
    url,
    walk_to_check,
)

pytestmark = pytest.mark.django_db


class FlakyBackend:
    """Patched over the locmem backend's send_messages: fails while `failing` is True."""

    failing = True

    def __call__(self, original):
        def send_messages(backend, messages):
            if FlakyBackend.failing:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            return original(backend, messages)

        return send_messages


@pytest.fixture
def failing_mail():
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    FlakyBackend.failing = True
    with mock.patch.object(EmailBackend, "send_messages", FlakyBackend()(original)):
        yield FlakyBackend
    FlakyBackend.failing = True


def respond(client, call, django_capture_on_commit_callbacks, **kwargs):
    walk_to_check(client, call, **kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, call)
    # The web request only queued the receipt; the worker sends it.
    assert mail.outbox == []
    send_queued_emails()
    return Submission.objects.get()


def test_receipt_has_the_reference_and_a_copy_of_the_answers(client, django_capture_on_commit_callbacks):
    call = make_advice_call(title="Call for Advice")
    submission = respond(client, call, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    assert submission.reference in message.subject
    assert submission.reference in message.body
    assert "What would make the biggest difference?" in message.body
    assert "Keeping the same social worker for more than a year." in message.body
    assert "- 5 to 11" in message.body
    assert "- A social worker" in message.body and "- A teacher" in message.body
    assert "0800 1111" in message.body
    submission.refresh_from_db()
    assert submission.receipt_sent_at is not None
    assert submission.receipt_attempts == 1


def test_receipt_copies_every_idea(client, django_capture_on_commit_callbacks):
    call = make_ideas_call()
    answers = {"idea_title_1": "Sibling visits", "idea_body_1": "Pay for brothers and sisters to visit each other."}
    respond(client, call, django_capture_on_commit_callbacks, answers=answers)
    (message,) = mail.outbox
    assert "Idea 1: Sibling visits" in message.body
    assert "Pay for brothers and sisters to visit each other." in message.body


def test_receipt_is_sent_only_after_the_transaction_commits(client):
    call = make_advice_call()
    walk_to_check(client, call)
    # The test's own transaction never commits, so nothing may have been sent yet.
    submit(client, call)
    assert Submission.objects.count() == 1
    assert mail.outbox == []


def test_a_failed_receipt_keeps_the_response_and_records_the_error(
    client, django_capture_on_commit_callbacks, failing_mail
):
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    submission.refresh_from_db()
    assert submission.receipt_sent_at is None
    assert submission.receipt_attempts == 1
    assert "SMTPServerDisconnected" in submission.receipt_last_error
    assert list(Submission.objects.receipt_pending()) == [submission]
    # The respondent still sees the confirmation: the response is safe.
    assert submission.reference in client.get(url(call, "respond_confirmation")).content.decode()


def test_send_receipts_retries_a_failed_receipt_until_it_goes(client, django_capture_on_commit_callbacks, failing_mail):
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("send_receipts")
    submission.refresh_from_db()
    assert submission.receipt_attempts == 2 and submission.receipt_sent_at is None

    failing_mail.failing = False
    with mock.patch("django.utils.timezone.now", return_value=later + datetime.timedelta(hours=1)):
        call_command("send_receipts")
    submission.refresh_from_db()
    assert submission.receipt_sent_at is not None
    assert submission.receipt_last_error == ""
    assert submission.receipt_attempts == 3
    (message,) = mail.outbox
    assert submission.reference in message.body
    assert not Submission.objects.receipt_pending().exists()


def test_send_receipts_skips_receipts_tried_in_the_last_few_minutes(
    client, django_capture_on_commit_callbacks, failing_mail, settings
):
    settings.RECEIPT_RETRY_AFTER_MINUTES = 15
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)
    failing_mail.failing = False
    soon = timezone.now() + datetime.timedelta(minutes=5)
    assert receipts.receipts_retry(now=soon) == (0, 0, 0)
    submission.refresh_from_db()
    assert submission.receipt_attempts == 1
    assert receipts.receipts_retry(now=soon + datetime.timedelta(minutes=15)) == (1, 0, 0)


def test_send_receipts_gives_up_after_ten_attempts_and_logs(
    client, django_capture_on_commit_callbacks, failing_mail, caplog
):
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)
    Submission.objects.filter(pk=submission.pk).update(receipt_attempts=9)
    later = timezone.now() + datetime.timedelta(hours=1)
    assert receipts.receipts_retry(now=later) == (0, 1, 1)
    assert "Giving up on the receipt for " + submission.reference in caplog.text
    submission.refresh_from_db()
    assert submission.receipt_attempts == 10
    failing_mail.failing = False
    assert receipts.receipts_retry(now=later + datetime.timedelta(days=1)) == (0, 0, 0)
    # Still listed for staff: it was never sent.
    assert list(Submission.objects.receipt_pending()) == [submission]


def test_no_receipt_is_pending_without_an_email_address(client, django_capture_on_commit_callbacks):
    call = make_advice_call()
    walk_to_check(client, call, about={"respondent_type": "carer"}, publication=PUBLICATION)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, call)
    assert not Submission.objects.receipt_pending().exists()
    assert receipts.receipts_retry() == (0, 0, 0)
    assert mail.outbox == []
