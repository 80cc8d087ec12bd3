"""The outbox job becomes the one record of a receipt's tries, so the response's own counters can go (0009).

Every job gets its subject and a label (the reference); a receipt job gets the dedupe key that keeps it one per
response, and the response's count of tries if that is higher (the worker used to give up on the larger of the
two). An unsent receipt tried before the outbox existed, with no job, gets one holding its tries and last error:
given up on if it had reached RECEIPT_MAX_ATTEMPTS, else waiting. Receipts never tried and never queued are left
to `manage.py send_receipts`.
"""

from django.conf import settings
from django.db import migrations
from django.db.models import F
from django.utils import timezone

KINDS = ["receipt", "safeguarding_alert"]


def forward(apps, schema_editor):
    EmailJob = apps.get_model("outbox", "EmailJob")
    Submission = apps.get_model("submissions", "Submission")
    for job in EmailJob.objects.select_related("submission").iterator():
        submission = job.submission
        job.subject_id = job.submission_id
        job.about = submission.reference
        if job.kind == "receipt":
            job.dedupe_key = f"receipt:{submission.pk}"
            job.attempts = max(job.attempts, submission.receipt_attempts)
            if submission.receipt_sent_at is None and not job.last_error:
                job.last_error = submission.receipt_last_error
        job.save(update_fields=["subject_id", "about", "dedupe_key", "attempts", "last_error"])

    now = timezone.now()
    queued = EmailJob.objects.filter(kind="receipt").values("submission_id")
    tried = (
        Submission.objects.filter(receipt_sent_at__isnull=True, receipt_attempts__gt=0)
        .exclude(email="")
        .exclude(pk__in=queued)
    )
    for submission in tried.iterator():
        given_up = submission.receipt_attempts >= getattr(settings, "EMAIL_MAX_ATTEMPTS", 10)
        EmailJob.objects.create(
            kind="receipt",
            submission_id=submission.pk,
            subject_id=submission.pk,
            about=submission.reference,
            dedupe_key=f"receipt:{submission.pk}",
            status="failed" if given_up else "ready",
            created_at=submission.submitted_at,
            run_after=now,
            finished_at=(submission.receipt_last_attempt_at or now) if given_up else None,
            attempts=submission.receipt_attempts,
            last_error=submission.receipt_last_error,
        )


def backward(apps, schema_editor):
    """Point the jobs at their responses again; jobs about anything else (sign-up emails) cannot be kept."""
    EmailJob = apps.get_model("outbox", "EmailJob")
    Submission = apps.get_model("submissions", "Submission")
    EmailJob.objects.exclude(kind__in=KINDS).delete()
    EmailJob.objects.exclude(subject_id__in=Submission.objects.values("pk")).delete()
    for job in EmailJob.objects.filter(kind="receipt").exclude(last_error="").iterator():
        Submission.objects.filter(pk=job.subject_id, receipt_sent_at__isnull=True).update(
            receipt_attempts=job.attempts, receipt_last_error=job.last_error
        )
    EmailJob.objects.update(submission_id=F("subject_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0007_response_verbose_name"),
        ("outbox", "0004_emailjob_submission_optional"),
    ]
    run_before = [("outbox", "0005_emailjob_without_submission")]

    operations = [migrations.RunPython(forward, backward)]
