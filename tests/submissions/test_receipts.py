"""Receipts: only the reference and what happens next, queued with the response, sent by the worker, retried."""

import datetime
import io
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outbox.models import EmailJob
from submissions.emails import RECEIPT
from submissions.models import Submission
from submissions.services.data_rights import respondent_erase
from submissions.services.receipts import receipt_enqueue, receipts_backfill
from tests.factories import AttachmentFactory, SubmissionFactory
from tests.worker import send_queued_emails

from .journey_helpers import (
    ABOUT,
    PUBLICATION,
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    answers_for,
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


def test_receipt_has_the_reference_the_call_and_what_happens_next(client, django_capture_on_commit_callbacks):
    call = make_advice_call(title="Call for Advice")
    submission = respond(client, call, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == f"Your response to the Call for Advice: {submission.reference}"
    assert "Thank you for responding to the Call for Advice." in message.body
    assert f"Your reference number is {submission.reference}" in message.body
    assert "What happens next: the review team reads every response." in message.body
    assert "0800 1111" in message.body
    submission.refresh_from_db()
    assert submission.receipt_sent_at is not None
    assert (receipt_job().status, receipt_job().attempts) == (EmailJob.Status.DONE, 1)


CHOSEN = "Claim your prize at https://prize.example.net/claim?id=42 today"


def chosen(field):
    return f"{field}: {CHOSEN}"


@pytest.mark.parametrize("kind", ["advice", "ideas"])
def test_a_receipt_carries_none_of_the_respondents_words_or_links(client, django_capture_on_commit_callbacks, kind):
    # The receipt goes to whatever address was typed: were the respondent's text in it, anyone could send their own
    # words and links from the review's address to any inbox.
    about = {
        "respondent_type": "organisation",
        "organisation_name": chosen("organisation"),
        "name": chosen("name"),
        "email": "someone.else@example.org",
    }
    if kind == "advice":
        call = make_advice_call(title="Call for Advice")
        answers = answers_for(call)
        for question in call.questions.filter(answer_type__in=["short_text", "long_text"]):
            answers[f"q_{question.pk}"] = chosen(question.prompt)
    else:
        call = make_ideas_call(title="Call for Ideas")
        answers = {"idea_title_1": "Prize https://prize.example.net", "idea_body_1": chosen("idea")}
    walk_to_check(client, call, about=about, answers=answers)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, call)
    submission = Submission.objects.get()
    stored = [submission.name, submission.organisation_name, *submission.answers.values_list("text", flat=True)]
    stored += [f"{idea.title} {idea.body}" for idea in submission.ideas.all()]
    assert sum("prize" in text.lower() for text in stored) >= 3  # what was typed was kept, so it could have leaked
    AttachmentFactory(submission=submission, original_name="prize.example.net-claim.pdf")

    send_queued_emails()

    (message,) = mail.outbox
    assert message.to == ["someone.else@example.org"]
    for text in (message.subject, message.body):
        assert submission.reference in text
        assert "prize" not in text.lower()
        assert "example.net" not in text
        assert "organisation:" not in text and "name:" not in text


def test_receipt_is_sent_only_after_the_transaction_commits(client):
    call = make_advice_call()
    walk_to_check(client, call)
    # The test's own transaction never commits, so nothing may have been sent yet.
    submit(client, call)
    assert Submission.objects.count() == 1
    assert mail.outbox == []


def receipt_job():
    return EmailJob.objects.get(kind=RECEIPT)


def test_a_failed_receipt_keeps_the_response_and_records_the_error_on_its_job(
    client, django_capture_on_commit_callbacks, failing_mail
):
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    submission.refresh_from_db()
    assert submission.receipt_sent_at is None
    job = receipt_job()
    assert (job.status, job.attempts) == (EmailJob.Status.READY, 1)
    assert "SMTPServerDisconnected" in job.last_error
    assert list(Submission.objects.receipt_pending()) == [submission]
    # The respondent still sees the confirmation: the response is safe.
    assert submission.reference in client.get(url(call, "respond_confirmation")).content.decode()


def test_the_worker_retries_a_failed_receipt_after_its_backoff_until_it_goes(
    client, django_capture_on_commit_callbacks, failing_mail, settings
):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 60
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)
    failing_mail.failing = False
    first_try = receipt_job().run_after - datetime.timedelta(seconds=60)
    assert send_queued_emails(now=first_try + datetime.timedelta(seconds=59)) == 0  # still waiting
    assert send_queued_emails(now=first_try + datetime.timedelta(seconds=61)) == 1

    (message,) = mail.outbox
    assert submission.reference in message.subject
    job = receipt_job()
    assert (job.status, job.attempts, job.last_error) == (EmailJob.Status.DONE, 2, "")
    submission.refresh_from_db()
    assert submission.receipt_sent_at is not None
    assert not Submission.objects.receipt_pending().exists()


def test_a_receipt_is_given_up_after_receipt_max_attempts_and_logged(
    client, django_capture_on_commit_callbacks, failing_mail, caplog, settings
):
    settings.EMAIL_MAX_ATTEMPTS = 10
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)
    EmailJob.objects.update(attempts=9)
    later = timezone.now() + datetime.timedelta(days=1)
    assert send_queued_emails(now=later) == 1

    job = receipt_job()
    assert (job.status, job.attempts) == (EmailJob.Status.FAILED, 10)
    assert f"Giving up on the receipt for {submission.reference} after 10 attempts" in caplog.text
    failing_mail.failing = False
    assert send_queued_emails(now=later + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []
    # Still listed for staff: it was never sent.
    assert list(Submission.objects.receipt_pending()) == [submission]


def test_a_receipt_already_sent_is_not_sent_again_by_a_job_tried_again(client, django_capture_on_commit_callbacks):
    # A worker sent it and died before recording the job as done; the lease ran out and another tries again.
    call = make_advice_call()
    walk_to_check(client, call)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, call)
    Submission.objects.update(receipt_sent_at=timezone.now())

    assert send_queued_emails() == 1
    assert mail.outbox == []
    assert receipt_job().status == EmailJob.Status.DONE


def test_a_receipt_queued_for_a_response_erased_before_it_went_is_not_sent(client, django_capture_on_commit_callbacks):
    call = make_advice_call()
    walk_to_check(client, call)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, call)
    respondent_erase(email=ABOUT["email"], actor="dpo", dry_run=False, delete_responses=True)

    assert send_queued_emails() == 1
    assert mail.outbox == []
    assert receipt_job().status == EmailJob.Status.DONE


def test_send_receipts_queues_a_receipt_for_a_response_with_none_and_sends_nothing_itself():
    # A response stored before the outbox existed, never sent.
    submission = SubmissionFactory()
    out = io.StringIO()
    call_command("send_receipts", stdout=out)

    assert "Receipts queued: 1." in out.getvalue()
    assert mail.outbox == []
    job = receipt_job()
    assert (job.subject_id, job.about, job.status) == (submission.pk, submission.reference, EmailJob.Status.READY)
    assert send_queued_emails() == 1
    (message,) = mail.outbox
    assert message.to == [submission.email]
    call_command("send_receipts", stdout=io.StringIO())
    assert EmailJob.objects.count() == 1


def test_send_receipts_leaves_alone_receipts_queued_sent_or_given_up():
    waiting, given_up = SubmissionFactory.create_batch(2)
    SubmissionFactory(receipt_sent_at=timezone.now())
    for submission in (waiting, given_up):
        receipt_enqueue(submission=submission)
    EmailJob.objects.filter(subject_id=given_up.pk).update(status=EmailJob.Status.FAILED, attempts=10)

    assert receipts_backfill() == 0
    assert EmailJob.objects.count() == 2
    assert EmailJob.objects.get(subject_id=given_up.pk).status == EmailJob.Status.FAILED


def test_no_receipt_is_pending_without_an_email_address(client, django_capture_on_commit_callbacks):
    call = make_advice_call()
    walk_to_check(client, call, about={"respondent_type": "carer"}, publication=PUBLICATION)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, call)
    assert not Submission.objects.receipt_pending().exists()
    assert not EmailJob.objects.exists()
    assert receipts_backfill() == 0
    assert mail.outbox == []


def test_staff_see_why_a_receipt_has_not_gone_on_the_response(
    client, django_capture_on_commit_callbacks, failing_mail, admin_client
):
    call = make_advice_call()
    submission = respond(client, call, django_capture_on_commit_callbacks)

    page = admin_client.get(reverse("admin:submissions_submission_moderate", args=[submission.pk])).content.decode()
    assert "Not sent after 1 attempts: SMTPServerDisconnected" in page
