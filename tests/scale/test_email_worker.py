"""Receipts and safeguarding alerts: queued with the response, sent by separate workers, each exactly once."""

import datetime
import smtplib
import threading
import time
from unittest import mock

import pytest
from django.contrib import admin
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from outbox import services as outbox
from outbox.models import EmailJob
from outbox.worker import Worker
from submissions.emails import RECEIPT, SAFEGUARDING_ALERT
from submissions.models import Submission
from submissions.services import moderation, receipts, responses
from tests.factories import SubmissionFactory
from tests.submissions.journey_helpers import (
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    make_advice_call,
    submit,
    walk_to_check,
)
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db


class MailServer:
    """Stands in front of the locmem backend: counts every send, and can be down or slow."""

    def __init__(self):
        self.down = False
        self.delay = 0.0
        self.calls = 0
        self.sends = {}  # thread name -> [(began, ended)]
        self.lock = threading.Lock()

    def patch(self):
        original = EmailBackend.send_messages
        server = self

        def send_messages(backend, messages):
            with server.lock:
                server.calls += 1
            if server.down:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            began = time.monotonic()
            if server.delay:
                time.sleep(server.delay)
            sent = original(backend, messages)
            with server.lock:
                server.sends.setdefault(threading.current_thread().name, []).append((began, time.monotonic()))
            return sent

        return mock.patch.object(EmailBackend, "send_messages", send_messages)


@pytest.fixture
def mail_server():
    server = MailServer()
    with server.patch():
        yield server


def receipt_jobs():
    return EmailJob.objects.filter(kind=RECEIPT)


# (a) The web request only queues ---------------------------------------------------------------------------


def test_submitting_queues_the_receipt_with_the_response_and_the_request_sends_no_email(
    client, mail_server, django_capture_on_commit_callbacks
):
    mail_server.down = True  # were the request to send, the respondent would wait for (or see) this
    call = make_advice_call()
    walk_to_check(client, call)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = submit(client, call)

    assert response.status_code == 302
    assert mail_server.calls == 0 and mail.outbox == []
    submission = Submission.objects.get()
    (job,) = EmailJob.objects.all()
    assert (job.kind, job.subject_id, job.status) == (RECEIPT, submission.pk, EmailJob.Status.READY)
    # Written in the response's own transaction, not by a callback after it.
    assert callbacks == []


def test_a_response_that_is_rolled_back_leaves_no_receipt_queued(client, mail_server, monkeypatch):
    call = make_advice_call()
    walk_to_check(client, call)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away half way")

    monkeypatch.setattr(responses, "_insert_parts", broken)
    client.raise_request_exception = False
    assert submit(client, call).status_code == 500

    assert not Submission.objects.exists()
    assert not EmailJob.objects.exists()


def test_flagging_queues_the_alert_and_the_worker_sends_it(mail_server, settings):
    settings.SAFEGUARDING_EMAILS = ["duty-lead@example.org"]
    submission = SubmissionFactory()
    moderator = staff_user("Moderators")

    moderation.submission_flag_safeguarding(submission=submission, actor=moderator, note="Disclosure")

    assert mail_server.calls == 0
    assert Worker().drain() == 1
    (message,) = mail.outbox
    assert message.to == ["duty-lead@example.org"]
    assert EmailJob.objects.get(kind=SAFEGUARDING_ALERT).status == EmailJob.Status.DONE


# (b) Several workers never send the same email twice --------------------------------------------------------


def make_queued_receipts(count):
    submissions = SubmissionFactory.create_batch(count)
    for submission in submissions:
        receipts.receipt_enqueue(submission=submission)
    return submissions


@pytest.mark.skipif(
    not connection.features.has_select_for_update_skip_locked,
    reason="SQLite has no row locks: two worker processes at once on SQLite are in test_two_servers.py",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_send_each_receipt_exactly_once(mail_server):
    submissions = make_queued_receipts(30)
    # Time per send, so each worker claims while the other is sending.
    mail_server.delay = 0.05
    workers = [Worker(name="worker-a"), Worker(name="worker-b")]
    tried, errors = {}, []
    start = threading.Barrier(len(workers))

    def run(worker):
        try:
            start.wait(timeout=10)  # both threads are running before either claims
            tried[worker.name] = worker.drain()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(worker,), name=worker.name) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == [] and not any(thread.is_alive() for thread in threads)
    assert sum(tried.values()) == 30  # no job was claimed twice
    assert len(mail.outbox) == 30 and mail_server.calls == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in submissions)
    assert set(receipt_jobs().values_list("status", "attempts")) == {(EmailJob.Status.DONE, 1)}
    # Both really worked, at the same time: rows one was claiming were skipped by the other, not waited for.
    assert set(receipt_jobs().values_list("locked_by", flat=True)) == {"worker-a", "worker-b"}
    first, second = mail_server.sends["worker-a"], mail_server.sends["worker-b"]
    assert any(a0 < b1 and b0 < a1 for a0, a1 in first for b0, b1 in second)


def test_a_second_pass_of_the_worker_sends_nothing_more(mail_server):
    make_queued_receipts(3)
    assert Worker().drain() == 3
    assert Worker().drain() == 0
    call_command("run_worker", "--once")
    assert len(mail.outbox) == 3


# (c) A worker that died: its job goes to another once the lease runs out -------------------------------------


def test_a_job_claimed_by_a_worker_that_died_is_sent_once_by_another_after_its_lease(mail_server, settings):
    settings.EMAIL_JOB_LEASE_SECONDS = 300
    (submission,) = make_queued_receipts(1)
    now = timezone.now()
    crashed = outbox.email_job_claim(worker="worker-that-died", now=now)
    assert crashed is not None  # claimed, then the process was killed before sending

    survivor = Worker(name="survivor")
    assert survivor.drain(now=now + datetime.timedelta(seconds=299)) == 0
    assert mail.outbox == []

    assert survivor.drain(now=now + datetime.timedelta(seconds=301)) == 1
    (message,) = mail.outbox
    assert message.to == [submission.email]
    job = receipt_jobs().get()
    assert (job.status, job.locked_by, job.attempts) == (EmailJob.Status.DONE, "survivor", 2)

    # Were the first worker only frozen, not dead, and woke up now: it sends nothing more and changes nothing.
    outbox.email_job_run(job=crashed, worker="worker-that-died", now=now + datetime.timedelta(seconds=400))
    assert len(mail.outbox) == 1
    assert receipt_jobs().get().locked_by == "survivor"


# (d) Failures: retried with backoff, visible to staff, given up on in the end ------------------------------


def test_a_failed_receipt_is_retried_with_backoff_until_it_goes(mail_server, settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 60
    (submission,) = make_queued_receipts(1)
    mail_server.down = True
    now = timezone.now()
    worker = Worker()

    assert worker.drain(now=now) == 1
    job = receipt_jobs().get()
    assert job.status == EmailJob.Status.READY
    assert job.run_after == now + datetime.timedelta(seconds=60)
    assert "SMTPServerDisconnected" in job.last_error
    assert worker.drain(now=now + datetime.timedelta(seconds=59)) == 0  # waits out the backoff

    later = now + datetime.timedelta(seconds=60)
    assert worker.drain(now=later) == 1
    assert receipt_jobs().get().run_after == later + datetime.timedelta(seconds=120)  # doubled

    mail_server.down = False
    assert worker.drain(now=later + datetime.timedelta(seconds=120)) == 1
    submission.refresh_from_db()
    job = receipt_jobs().get()
    assert submission.receipt_sent_at is not None
    assert (job.status, job.attempts, job.last_error) == (EmailJob.Status.DONE, 3, "")
    assert len(mail.outbox) == 1


def test_staff_see_a_failed_receipt_and_its_error(mail_server, admin_client):
    (submission,) = make_queued_receipts(1)
    mail_server.down = True
    Worker().drain()

    submission.refresh_from_db()
    job = receipt_jobs().get()
    assert job.attempts == 1 and "SMTPServerDisconnected" in job.last_error
    assert submission.receipt_sent_at is None
    page = admin_client.get(reverse("admin:submissions_submission_moderate", args=[submission.pk])).content.decode()
    assert "Not sent after 1 attempts: SMTPServerDisconnected" in page
    jobs = admin_client.get(reverse("admin:outbox_emailjob_changelist")).content.decode()
    assert submission.reference in jobs and "SMTPServerDisconnected" in jobs


def test_a_receipt_is_given_up_after_the_last_attempt_and_staff_can_try_it_again(mail_server, settings, caplog):
    settings.EMAIL_MAX_ATTEMPTS = 3
    (submission,) = make_queued_receipts(1)
    mail_server.down = True
    worker = Worker()
    now = timezone.now()
    for hours in range(3):
        assert worker.drain(now=now + datetime.timedelta(hours=hours * 7)) == 1
    job = receipt_jobs().get()
    assert job.status == EmailJob.Status.FAILED
    assert f"Giving up on the receipt for {submission.reference} after 3 attempts" in caplog.text
    assert worker.drain(now=now + datetime.timedelta(days=2)) == 0

    mail_server.down = False
    model_admin = admin.site._registry[EmailJob]
    request = RequestFactory().post("/")
    request.user = staff_user(superuser=True)
    with mock.patch.object(model_admin, "message_user"):
        model_admin.retry_now(request, EmailJob.objects.filter(pk=job.pk))
    assert worker.drain() == 1
    assert len(mail.outbox) == 1


def test_send_receipts_backfills_a_receipt_with_no_job(mail_server):
    # A response stored before the outbox existed, never sent.
    submission = SubmissionFactory()
    call_command("send_receipts")
    assert mail.outbox == []  # the command only queues; the worker sends
    assert Worker().drain() == 1
    (message,) = mail.outbox
    assert message.to == [submission.email]
    assert receipt_jobs().get().status == EmailJob.Status.DONE


def test_send_receipts_leaves_alone_a_receipt_a_worker_is_sending(mail_server):
    make_queued_receipts(1)
    claimed = outbox.email_job_claim(worker="busy-worker")
    call_command("send_receipts")
    assert mail.outbox == []
    job = receipt_jobs().get()
    assert (job.pk, job.status, job.locked_by) == (claimed.pk, EmailJob.Status.RUNNING, "busy-worker")


def test_administrators_see_the_email_jobs_and_can_try_one_again(client, mail_server):
    (submission,) = make_queued_receipts(1)
    mail_server.down = True
    Worker().drain()
    client.force_login(staff_user("Administrators"))

    page = client.get(reverse("admin:outbox_emailjob_changelist"))
    assert page.status_code == 200 and submission.reference in page.content.decode()
    job = receipt_jobs().get()
    response = client.post(
        reverse("admin:outbox_emailjob_changelist"), {"action": "retry_now", "_selected_action": [job.pk]}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == EmailJob.Status.READY and job.run_after <= timezone.now()
