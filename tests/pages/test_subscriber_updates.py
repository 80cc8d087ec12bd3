"""Updates to subscribers: one email per confirmed subscriber through the outbox, at a set rate, never twice."""

import datetime
import re
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outbox import services as outbox
from outbox.models import EmailJob
from outbox.worker import Worker
from pages import updates
from pages.emails import UPDATE, UPDATE_QUEUE
from pages.models import Post, Subscriber, SubscriberUpdate, UpdateDelivery
from pages.selectors import update_progress
from tests.factories import PublicationFactory, SubscriberFactory
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2022, 5, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen(settings):
    settings.UPDATES_SEND_PER_MINUTE = 600
    settings.SITE_URL = "https://review.example.org"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def editor():
    return staff_user("Content editors", email="editor@review.example.org")


def make_update(**fields):
    return SubscriberUpdate.objects.create(
        subject=fields.pop("subject", "The final report is out"),
        body=fields.pop("body", "Read **the report** on [our website](/publications/)."),
        **fields,
    )


def send(update, user, **kwargs):
    return updates.update_request_send(update=update, user=user, **kwargs)


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


# Who gets it


def test_every_confirmed_subscriber_gets_one_email_and_no_one_else_gets_any(editor):
    confirmed = SubscriberFactory.create_batch(3, confirmed=True)
    SubscriberFactory(email="never-confirmed@example.com")
    SubscriberFactory(email="left@example.com", confirmed_at=NOW, unsubscribed_at=NOW)
    update = make_update()

    assert send(update, editor)
    assert mail.outbox == []  # the request only queued one job
    Worker().drain()

    assert recipients() == sorted(s.email for s in confirmed)
    update.refresh_from_db()
    assert update.status == SubscriberUpdate.Status.QUEUED and update.recipients == 3
    assert update_progress(update).sent == 3 and update_progress(update).done


def test_each_email_has_the_subscribers_own_unsubscribe_link_and_one_click_headers(client, editor):
    subscriber = SubscriberFactory(confirmed=True)
    send(make_update(), editor)
    Worker().drain()

    (message,) = mail.outbox
    link = re.search(r"https://review\.example\.org(/updates/unsubscribe/[^/\s]+/)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<https://review.example.org{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.alternatives[0][0]
    assert client.post(link).status_code == 302  # what a mail program's one click does
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_the_email_is_the_markdown_as_html_and_as_plain_text_with_links_that_work_from_an_inbox(editor):
    PublicationFactory(slug="final-report", title="Final report")
    SubscriberFactory(confirmed=True)
    update = make_update(body="## Out today\n\nRead [[publication:final-report]] or [the news](/news/).")
    send(update, editor)
    Worker().drain()

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject == "The final report is out"
    assert '<a href="https://review.example.org/publications/final-report/"' in html
    assert "<h2>Out today</h2>" in html
    assert "Read Final report (https://review.example.org/publications/final-report/)" in message.body
    assert "[[" not in message.body and "##" not in message.body


# Never twice


def test_pressing_send_twice_sends_once(editor):
    SubscriberFactory.create_batch(2, confirmed=True)
    update = make_update()

    assert send(update, editor) is True
    assert send(update, editor) is False
    Worker().drain()

    assert len(mail.outbox) == 2
    assert EmailJob.objects.filter(kind=UPDATE_QUEUE).count() == 1


def test_queueing_again_after_a_worker_died_half_way_queues_nothing_twice(editor, monkeypatch):
    monkeypatch.setattr(updates, "UPDATES_QUEUE_BATCH", 2)
    SubscriberFactory.create_batch(5, confirmed=True)
    update = make_update()
    send(update, editor)
    job = outbox.email_job_claim(worker="worker-that-died")
    assert job.kind == UPDATE_QUEUE
    updates.update_queue_batch(update_id=update.pk)  # one batch committed, then the worker was killed

    # Its lease runs out and another worker runs the queueing job again, from the start.
    later = timezone.now() + datetime.timedelta(seconds=301)
    Worker(name="survivor").drain(now=later)

    assert UpdateDelivery.objects.filter(update=update).count() == 5
    assert EmailJob.objects.filter(kind=UPDATE).count() == 5
    assert len(mail.outbox) == 5 and len(set(recipients())) == 5


def queued_not_sent(editor):
    """An update to one subscriber, its email queued (as a worker would) and not sent yet."""
    subscriber = SubscriberFactory(confirmed=True)
    update = make_update()
    send(update, editor)
    updates.update_queue_all(job=EmailJob(subject_id=update.pk))
    EmailJob.objects.filter(kind=UPDATE_QUEUE).update(status=EmailJob.Status.DONE)
    return update, subscriber


def claimed_by_a_worker_that_died(editor, state):
    """An update to one subscriber whose one email a worker claimed, took to `state`, and died with."""
    update, subscriber = queued_not_sent(editor)
    job = outbox.email_job_claim(worker="worker-that-died")
    assert job.kind == UPDATE
    UpdateDelivery.objects.filter(pk=job.subject_id).update(status=state, claimed_by="worker-that-died")
    return update, subscriber, job


AFTER_THE_LEASE = datetime.timedelta(seconds=301)


def test_an_email_whose_worker_died_before_handing_it_over_is_sent_by_another_once(editor):
    update, subscriber, job = claimed_by_a_worker_that_died(editor, UpdateDelivery.Status.SENDING)

    Worker(name="survivor").drain(now=timezone.now() + AFTER_THE_LEASE)

    assert recipients() == [subscriber.email]
    delivery = UpdateDelivery.objects.get(subscriber=subscriber)
    assert (delivery.status, delivery.claimed_by) == (UpdateDelivery.Status.SENT, "survivor")
    assert update_progress(update).sent == 1


def test_an_email_whose_worker_died_after_handing_it_over_is_never_sent_again_and_says_so(editor):
    update, subscriber, job = claimed_by_a_worker_that_died(editor, UpdateDelivery.Status.HANDED_OVER)

    Worker(name="survivor").drain(now=timezone.now() + AFTER_THE_LEASE)

    assert mail.outbox == []
    assert UpdateDelivery.objects.get(subscriber=subscriber).status == UpdateDelivery.Status.UNKNOWN
    assert update_progress(update).unknown == 1
    assert EmailJob.objects.get(pk=job.pk).status == EmailJob.Status.DONE


def test_a_slow_worker_whose_email_was_taken_over_does_not_send_it_too(editor, monkeypatch):
    update, subscriber = queued_not_sent(editor)
    job = outbox.email_job_claim(worker="slow")
    really_send = updates.send_with_hand_over

    def slow_send(message, *, hand_over):
        # While it was slow its lease ran out, and another worker took the email over and sent it.
        monkeypatch.setattr(updates, "send_with_hand_over", really_send)
        Worker(name="survivor").drain(now=timezone.now() + AFTER_THE_LEASE)
        really_send(message, hand_over=hand_over)

    monkeypatch.setattr(updates, "send_with_hand_over", slow_send)
    outbox.email_job_run(job=job, worker="slow")

    assert recipients() == [subscriber.email]
    assert UpdateDelivery.objects.get().claimed_by == "survivor"


def test_someone_who_unsubscribes_after_sending_starts_gets_nothing(editor):
    stays, leaves = SubscriberFactory.create_batch(2, confirmed=True)
    update = make_update()
    send(update, editor)
    updates.update_queue_all(job=EmailJob(subject_id=update.pk))
    Subscriber.objects.filter(pk=leaves.pk).update(unsubscribed_at=timezone.now())

    Worker().drain()

    assert recipients() == [stays.email]
    assert UpdateDelivery.objects.get(subscriber=leaves).status == UpdateDelivery.Status.SKIPPED
    assert update_progress(update).skipped == 1


def test_someone_who_signs_up_after_sending_starts_is_not_sent_this_update(editor):
    SubscriberFactory(confirmed=True)
    update = make_update()
    send(update, editor)
    Worker().drain()
    SubscriberFactory(confirmed=True)
    Worker().drain()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "step, failure",
    [
        ("open", ConnectionRefusedError("the relay is down")),  # before anything was handed over
        ("send_messages", smtplib.SMTPDataError(554, b"Message refused")),  # handed over, and refused
    ],
    ids=["unreachable", "refused"],
)
def test_an_email_that_did_not_go_is_retried_later_and_goes_once(editor, settings, step, failure):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 60
    SubscriberFactory(confirmed=True)
    update = make_update()
    send(update, editor)

    with mock.patch.object(EmailBackend, step, side_effect=failure):
        Worker().drain()
    assert mail.outbox == []
    assert UpdateDelivery.objects.get().status == UpdateDelivery.Status.QUEUED
    assert update_progress(update).waiting == 1

    Worker().drain(now=timezone.now() + datetime.timedelta(seconds=61))
    assert len(mail.outbox) == 1 and update_progress(update).sent == 1


def test_an_email_that_failed_after_it_was_handed_over_is_not_sent_again(editor):
    SubscriberFactory(confirmed=True)
    update = make_update()
    send(update, editor)

    with mock.patch.object(EmailBackend, "send_messages", side_effect=TimeoutError("no answer")):
        Worker().drain()
    Worker().drain(now=timezone.now() + datetime.timedelta(hours=7))

    assert mail.outbox == []
    assert update_progress(update).unknown == 1


def test_failed_emails_are_counted_once_the_outbox_gives_up(editor, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    SubscriberFactory(confirmed=True)
    update = make_update()
    send(update, editor)
    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPRecipientsRefused({})):
        Worker().drain()
    progress = update_progress(update)
    assert (progress.failed, progress.waiting, progress.sent) == (1, 0, 0)


# The rate


def test_emails_are_due_at_most_updates_send_per_minute_a_minute(editor, settings):
    settings.UPDATES_SEND_PER_MINUTE = 2
    SubscriberFactory.create_batch(5, confirmed=True)
    send(make_update(), editor)

    assert Worker().drain() == 1 + 2  # the queueing job, then the first minute's two
    due = sorted(EmailJob.objects.filter(kind=UPDATE).values_list("run_after", flat=True))
    assert [(d - NOW).total_seconds() for d in due] == [0, 0, 60, 60, 120]
    assert Worker().drain(now=NOW + datetime.timedelta(seconds=59)) == 0
    assert Worker().drain(now=NOW + datetime.timedelta(seconds=60)) == 2
    assert Worker().drain(now=NOW + datetime.timedelta(seconds=120)) == 1
    assert len(mail.outbox) == 5


def test_queueing_10000_emails_takes_a_few_queries_a_thousand_and_the_send_request_the_same_as_for_ten(client, editor):
    def add_subscribers(start, count):
        rows = [Subscriber(email=f"reader{n}@example.com", confirmed_at=NOW) for n in range(start, start + count)]
        Subscriber.objects.bulk_create(rows, batch_size=2000)

    def press_send(update):
        with CaptureQueriesContext(connection) as queries:
            assert client.post(f"/admin/pages/subscriberupdate/{update.pk}/send/").status_code == 302
        return len(queries)

    client.force_login(editor)
    add_subscribers(0, 10)
    for_ten = press_send(make_update())
    add_subscribers(10, 9_990)
    update = make_update()
    for_ten_thousand = press_send(update)
    with CaptureQueriesContext(connection) as queue_queries:
        updates.update_queue_all(job=EmailJob(subject_id=update.pk))

    assert for_ten_thousand == for_ten
    # A few statements for each batch of 1,000 (PostgreSQL: 8; SQLite splits each insert at its 999 parameters).
    assert len(queue_queries) <= 10 * 30
    assert EmailJob.objects.filter(kind=UPDATE).count() == 10_000
    assert UpdateDelivery.objects.filter(update=update).values("subscriber").distinct().count() == 10_000


# Publishing it as a news post


def test_an_update_can_be_published_as_a_news_post_at_the_same_time(editor):
    update = make_update(subject="The final report is out", body="It is out today. " * 40)
    send(update, editor, publish_post=True)

    post = Post.objects.get()
    assert post.is_published() and post.title == "The final report is out" and post.body == update.body
    assert len(post.summary) <= 300 and post.summary.startswith("It is out today.")
    update.refresh_from_db()
    assert update.post == post
