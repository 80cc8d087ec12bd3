"""Reads about responses that views, the admin, commands and services share. Writes are in services/."""

from django.db.models import Exists, OuterRef, QuerySet

from submissions.outbox.models import EmailJob

from .emails import RECEIPT
from .models import Submission


def receipts_never_queued() -> QuerySet[Submission]:
    """Responses with an address and no receipt sent or queued: stored before the outbox, or by hand."""
    jobs = EmailJob.objects.filter(kind=RECEIPT, subject_id=OuterRef("pk"))
    return Submission.objects.receipt_pending().filter(~Exists(jobs)).order_by("submitted_at", "pk")


def receipt_job(*, submission: Submission) -> EmailJob | None:
    """The receipt's job in the outbox, with its attempts and last error; None if it was never queued."""
    return EmailJob.objects.filter(kind=RECEIPT, subject_id=submission.pk).first()
