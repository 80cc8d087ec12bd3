"""Receipts: queued with the response, sent by the email worker (submissions.outbox)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from submissions.outbox.models import EmailJob
from submissions.outbox.services import email_job_claim, email_job_enqueue, email_job_run, worker_name

from ..models import Submission

logger = logging.getLogger(__name__)


def receipt_enqueue(*, submission: Submission, now: datetime.datetime | None = None) -> EmailJob:
    """Queue the receipt; call it in the transaction that stores the response, so both commit or neither."""
    return email_job_enqueue(kind=EmailJob.Kind.RECEIPT, submission_id=submission.pk, now=now)


def receipt_render(submission):
    """(subject, body) of the receipt: the reference and a copy of the answers."""
    context = {
        "submission": submission,
        "call": submission.call,
        "answers": submission.answers.select_related("question"),
        "ideas": submission.ideas.all(),
        "attachments": submission.attachments.all(),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
    subject = f"Your response to the {submission.call.title}: {submission.reference}"
    body = render_to_string("submissions/email/receipt.txt", context)
    return subject, body


def receipt_send(*, submission_id, now=None):
    """Send the receipt once; record a failure for staff and for send_receipts. True when sent."""
    submission = Submission.objects.select_related("call").filter(pk=submission_id).first()
    if submission is None or not submission.is_receipt_pending():
        return False
    now = now or timezone.now()
    try:
        subject, body = receipt_render(submission)
        send_mail(subject, body, None, [submission.email])
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried; the response is kept
        error = f"{type(exc).__name__}: {exc}"[:1000]
        Submission.objects.filter(pk=submission.pk).update(
            receipt_attempts=F("receipt_attempts") + 1, receipt_last_error=error, receipt_last_attempt_at=now
        )
        logger.warning("Receipt for %s not sent: %s", submission.reference, error)
        return False
    Submission.objects.filter(pk=submission.pk).update(
        receipt_sent_at=now,
        receipt_attempts=F("receipt_attempts") + 1,
        receipt_last_error="",
        receipt_last_attempt_at=now,
    )
    return True


def receipts_due(now=None):
    """Unsent receipts worth trying now: fewer than RECEIPT_MAX_ATTEMPTS tries, none in the last few minutes."""
    now = now or timezone.now()
    wait = datetime.timedelta(minutes=settings.RECEIPT_RETRY_AFTER_MINUTES)
    return (
        Submission.objects.receipt_pending()
        .filter(receipt_attempts__lt=settings.RECEIPT_MAX_ATTEMPTS)
        .filter(Q(receipt_last_attempt_at__isnull=True) | Q(receipt_last_attempt_at__lte=now - wait))
        .order_by("submitted_at", "pk")
    )


def receipts_retry(*, now=None):
    """Try every receipt due now, through the outbox; return (sent, failed, given_up).

    The retry and backfill behind `send_receipts`: it queues a receipt that has no job (a response stored before
    the outbox, or one given up on whose address staff corrected) and claims each job as a worker would, so it
    never sends a receipt a worker is sending.
    """
    now = now or timezone.now()
    worker = worker_name("send_receipts")
    sent = failed = given_up = 0
    for pk in receipts_due(now).values_list("pk", flat=True):
        with transaction.atomic():
            job = email_job_enqueue(kind=EmailJob.Kind.RECEIPT, submission_id=pk, now=now)
        job = email_job_claim(worker=worker, now=now, pk=job.pk)
        if job is None:  # a worker holds it right now
            continue
        if email_job_run(job=job, worker=worker, now=now):
            sent += 1
            continue
        failed += 1
        if job.status == EmailJob.Status.FAILED:
            given_up += 1
    return sent, failed, given_up
