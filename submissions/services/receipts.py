"""Receipts: queued in the transaction that stores the response, sent by the email worker (outbox).

The outbox job holds the only retry state (attempts, last error, next try); Submission.receipt_sent_at records
that the receipt went, so a job tried again after a worker died mid-send does not send it twice.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.models import EmailJob
from outbox.services import email_job_enqueue

from .. import selectors
from ..emails import RECEIPT
from ..models import Submission


def receipt_enqueue(*, submission: Submission, now: datetime.datetime | None = None) -> EmailJob:
    """Queue the receipt; call it in the transaction that stores the response, so both commit or neither.

    A response has one receipt job however often it is queued: queueing again wakes one given up on.
    """
    return email_job_enqueue(
        kind=RECEIPT,
        subject_id=submission.pk,
        about=submission.reference,
        dedupe_key=f"{RECEIPT}:{submission.pk}",
        now=now,
    )


def receipt_render(*, submission: Submission) -> tuple[str, str]:
    """(subject, body) of the receipt: the call's title, the reference and what happens next, nothing else.

    Nothing the respondent typed goes in, not even their name: the receipt goes to any address typed into the form,
    so their words in it would make the review's address a relay for anyone's text and links.
    """
    context = {
        "call_title": submission.call.title,
        "reference": submission.reference,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
    subject = f"Your response to the {submission.call.title}: {submission.reference}"
    body = render_to_string("submissions/email/receipt.txt", context)
    return subject, body


def receipt_send(*, job: EmailJob) -> None:
    """The outbox's sender for receipts. Raises if the mail server refuses it; the job is then retried."""
    submission = Submission.objects.select_related("call").filter(pk=job.subject_id).first()
    if submission is None or not submission.is_receipt_pending():
        # Deleted, its address erased, or already sent by a worker that died before recording the job as done.
        return
    subject, body = receipt_render(submission=submission)
    send_mail(subject, body, None, [submission.email])
    Submission.objects.filter(pk=submission.pk).update(receipt_sent_at=timezone.now())


def receipts_backfill(*, now: datetime.datetime | None = None) -> int:
    """Queue a receipt for each response with an address that has none queued (e.g. stored before the outbox)."""
    queued = 0
    for submission in selectors.receipts_never_queued().only("pk", "reference").iterator():
        with transaction.atomic():
            receipt_enqueue(submission=submission, now=now)
        queued += 1
    return queued
