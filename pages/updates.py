"""Updates staff send to subscribers: a test to themselves, then one email per confirmed subscriber, never two.

How a send goes (each step is safe to repeat, and a worker that dies at any point loses nothing):

1. Send (the admin's button, update_request_send) marks the update "being queued" and queues one outbox job,
   UPDATE_QUEUE, in the same transaction; a second press finds it no longer a draft and does nothing.
2. A worker runs that job (update_queue_all): the confirmed subscribers in id order, UPDATES_QUEUE_BATCH at a time,
   each batch one transaction of three bulk statements: a delivery row per subscriber (unique per update and
   subscriber), an outbox job per delivery (dedupe_key "update:<update>:<subscriber>") and the update's cursor.
   10,000 subscribers cost about fifty queries, not 10,000. The n-th email is due n // UPDATES_SEND_PER_MINUTE
   minutes after queueing began: however many workers run, no more than that go out in a minute.
3. Workers send each job (update_email_send). The delivery row decides: it is claimed (waiting -> being sent, with
   the worker's name) by one conditional UPDATE that also checks the subscriber is still confirmed; just before the
   mail server can have it (the dot that ends SMTP's DATA, core/mail.py) the claimant marks it "handed over", and
   after the server's answer "sent". A worker that dies before the hand-over has sent nothing: the next try takes
   the delivery over and sends it. One that dies after it may have sent it: the next try marks it "not known" and
   it never goes again; that window is one round trip and one commit long. A slow worker whose claim was taken over
   cannot hand over any more (its UPDATE finds another name), so it drops the connection before the dot. A send the
   mail server refused, or one that never reached it, is put back to waiting and retried by the outbox, with backoff.
"""

import html
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.mail import HandOverRefused, send_with_hand_over, was_refused
from core.markdown import render_markdown
from outbox import registry
from outbox.models import EmailJob
from outbox.services import email_job_enqueue

from . import snippets
from .emails import UPDATE, UPDATE_QUEUE, UPDATE_TEST
from .models import Post, Subscriber, SubscriberUpdate, UpdateDelivery, UpdateTestEmail
from .services import absolute_url, unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)

UPDATES_QUEUE_BATCH = 1000
POST_AUTHOR = "The review team"


# Writes


def update_send_test(*, update: SubscriberUpdate, user) -> UpdateTestEmail:
    """Queue a test of the update to the member of staff's own address (ValueError if their account has none)."""
    if not user.email:
        raise ValueError("Your account has no email address")
    with transaction.atomic():
        test = UpdateTestEmail.objects.create(update=update, to=user.email, requested_by=user)
        email_job_enqueue(kind=UPDATE_TEST, subject_id=test.pk, about=f"Test of update {update.pk}")
    return test


def update_request_send(*, update: SubscriberUpdate, user, publish_post: bool = False) -> bool:
    """Start sending a draft update to every confirmed subscriber; False if it was not a draft any more (a second
    press, another member of staff). With publish_post, it is also published as a news post now."""
    with transaction.atomic():
        update = SubscriberUpdate.objects.select_for_update().get(pk=update.pk)
        if not update.is_draft():
            return False
        now = timezone.now()
        update.status = SubscriberUpdate.Status.QUEUEING
        update.send_requested_at, update.send_requested_by = now, user
        if publish_post:
            update.post = _publish_as_post(update, now)
        update.save()
        email_job_enqueue(
            kind=UPDATE_QUEUE, subject_id=update.pk, about=f"Update {update.pk}", dedupe_key=f"update-queue:{update.pk}"
        )
    return True


def _publish_as_post(update, now):
    base = slugify(update.subject)[:110].strip("-") or "update"
    slug, n = base, 1
    while Post.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    summary = snippets.plain_text(update.body)
    if len(summary) > 300:
        summary = summary[:299].rsplit(" ", 1)[0] + "…"
    return Post.objects.create(
        title=update.subject[:200],
        slug=slug,
        kind=Post.Kind.NEWS,
        summary=summary,
        body=update.body,
        author_name=POST_AUTHOR,
        status=Post.Status.PUBLISHED,
        published_at=now,
    )


def update_queue_batch(*, update_id: int, now=None) -> int:
    """Queue the next UPDATES_QUEUE_BATCH emails of an update being queued; return how many (0: all are queued)."""
    now = now or timezone.now()
    per_minute = settings.UPDATES_SEND_PER_MINUTE
    with transaction.atomic():
        update = SubscriberUpdate.objects.select_for_update().get(pk=update_id)
        if update.status != SubscriberUpdate.Status.QUEUEING:
            return 0
        if update.first_send_at is None:
            update.first_send_at = now
        subscriber_ids = list(
            Subscriber.objects.confirmed()
            .filter(pk__gt=update.queued_through)
            .order_by("pk")
            .values_list("pk", flat=True)[:UPDATES_QUEUE_BATCH]
        )
        if not subscriber_ids:
            update.status, update.queued_at = SubscriberUpdate.Status.QUEUED, now
            update.save(update_fields=["status", "queued_at", "first_send_at", "updated_at"])
            return 0
        UpdateDelivery.objects.bulk_create(
            [UpdateDelivery(update=update, subscriber_id=pk) for pk in subscriber_ids], ignore_conflicts=True
        )
        deliveries = dict(
            UpdateDelivery.objects.filter(update=update, subscriber_id__in=subscriber_ids).values_list(
                "subscriber_id", "pk"
            )
        )
        jobs = []
        for index, subscriber_id in enumerate(subscriber_ids, start=update.recipients):
            due = update.first_send_at + timedelta(minutes=index // per_minute) if per_minute > 0 else now
            jobs.append(
                EmailJob(
                    kind=UPDATE,
                    subject_id=deliveries[subscriber_id],
                    about=f"Update {update.pk} to subscriber {subscriber_id}",
                    dedupe_key=f"update:{update.pk}:{subscriber_id}",
                    created_at=now,
                    run_after=due,
                )
            )
        EmailJob.objects.bulk_create(jobs, ignore_conflicts=True)
        update.queued_through = subscriber_ids[-1]
        update.recipients += len(subscriber_ids)
        update.save(update_fields=["queued_through", "recipients", "first_send_at", "updated_at"])
    return len(subscriber_ids)


def update_queue_all(*, job: EmailJob) -> None:
    """The outbox's sender for UPDATE_QUEUE: every batch of the update's emails (resumes where a dead worker
    stopped: each batch commits with the cursor that says it is done)."""
    registry.sender(UPDATE)  # the kind each job gets must have a sender, or nothing would ever go
    while update_queue_batch(update_id=job.subject_id):
        pass


# Sending


def update_email_send(*, job: EmailJob) -> None:
    """The outbox's sender for one update to one subscriber: once, and only while they are subscribed."""
    deliveries = UpdateDelivery.objects.filter(pk=job.subject_id)
    delivery = deliveries.select_related("update", "subscriber").first()
    if delivery is None:  # the subscriber was erased since: no one to write to
        return
    status, me = UpdateDelivery.Status, job.locked_by
    if delivery.status == status.HANDED_OVER:
        # The worker that handed it over stopped before it heard back: the server may have it, so it does not go again.
        deliveries.filter(status=status.HANDED_OVER, claimed_by=delivery.claimed_by).update(status=status.UNKNOWN)
        logger.warning("Update delivery %s: a worker stopped as it handed it over; not sent again", delivery.pk)
        return
    if delivery.status not in (status.QUEUED, status.SENDING):
        return
    # Waiting, or claimed by a worker that stopped before handing it over (nothing went): this worker takes it.
    mine = deliveries.filter(status=delivery.status, claimed_by=delivery.claimed_by)
    subscribed = Q(subscriber__confirmed_at__isnull=False, subscriber__unsubscribed_at__isnull=True)
    if not mine.filter(subscribed).update(status=status.SENDING, claimed_by=me):
        # Unsubscribed (or unconfirmed) since it was queued: nothing goes, and it says why.
        mine.exclude(subscribed).update(status=status.SKIPPED, claimed_by="")
        return
    message = update_message(update=delivery.update, to=delivery.subscriber.email, subscriber=delivery.subscriber)

    def hand_over():
        if not deliveries.filter(status=status.SENDING, claimed_by=me).update(status=status.HANDED_OVER):
            raise HandOverRefused("another worker took this email over")

    try:
        send_with_hand_over(message, hand_over=hand_over)
    except HandOverRefused:
        logger.warning("Update delivery %s: taken over by another worker before it went", delivery.pk)
        return
    except Exception as exc:
        # Handed over and then no answer (HandOverUnknown) or any other failure but a refusal: it may have gone.
        if not was_refused(exc) and deliveries.filter(status=status.HANDED_OVER, claimed_by=me).update(
            status=status.UNKNOWN
        ):
            logger.warning("Update delivery %s: failed after it was handed over; not sent again", delivery.pk)
            return
        # Never handed over, or refused by the server: nothing went. Waiting again, and the outbox retries it.
        deliveries.filter(claimed_by=me, status__in=[status.SENDING, status.HANDED_OVER]).update(
            status=status.QUEUED, claimed_by=""
        )
        raise
    # "Not known" too: a takeover that found it handed over while this (slow) worker was still waiting for the answer.
    deliveries.filter(claimed_by=me, status__in=[status.HANDED_OVER, status.UNKNOWN]).update(
        status=status.SENT, sent_at=timezone.now()
    )


def update_test_send(*, job: EmailJob) -> None:
    """The outbox's sender for a test: the update as subscribers will get it, to the member of staff."""
    test = UpdateTestEmail.objects.select_related("update").filter(pk=job.subject_id).first()
    if test is not None:
        update_message(update=test.update, to=test.to).send()


PREVIEW_LINK = "(each subscriber's own link)"


def update_message(*, update: SubscriberUpdate, to: str, subscriber: Subscriber | None = None, preview=False):
    """The email: the Markdown as HTML and as plain text, the subscriber's own unsubscribe link and List-Unsubscribe
    headers. Without a subscriber it is a test: "[Test]" in the subject, and no working unsubscribe link; a preview
    (for the admin's screen) shows where that link goes instead."""
    link = unsubscribe_url(subscriber) if subscriber is not None else (PREVIEW_LINK if preview else None)
    body_html = absolute_links(str(render_markdown(update.body)))
    context = {
        "update": update,
        "body_html": body_html,
        "body_text": html_to_text(body_html),
        "unsubscribe_url": link,
        "sign_up_url": absolute_url(reverse("pages:updates")),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    subject = update.subject if subscriber is not None or preview else f"[Test] {update.subject}"
    message = EmailMultiAlternatives(
        subject,
        render_to_string("pages/email/update_body.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers=unsubscribe_headers(link) if subscriber is not None else {},
    )
    message.attach_alternative(render_to_string("pages/email/update_body.html", context), "text/html")
    return message


_RELATIVE_HREF = re.compile(r'href="(/[^"]*)"')
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_BLOCK = re.compile(r"</(p|h[1-6]|blockquote|pre|tr|table|ul|ol)>|<br\s*/?>", re.IGNORECASE)


def absolute_links(body_html):
    """/news/ in an email means nothing: every link to this site gets its address (SITE_URL)."""
    return _RELATIVE_HREF.sub(lambda m: f'href="{html.escape(settings.SITE_URL)}{m.group(1)}"', body_html)


def html_to_text(body_html):
    """The rendered Markdown as plain text: links as "words (address)", list items with a dash, blocks apart."""

    def link(match):
        words, href = re.sub(r"<[^>]+>", "", match.group(2)).strip(), html.unescape(match.group(1))
        return words if words == href or href.startswith("mailto:") else f"{words} ({href})"

    text = _LINK.sub(link, body_html)
    text = re.sub(r"<li>", "- ", text, flags=re.IGNORECASE)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
