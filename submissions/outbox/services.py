"""Queue, claim and send the emails in the outbox. The web servers only queue; workers (run_worker) send."""

import datetime
import logging
import os
import socket
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import EmailJob

logger = logging.getLogger(__name__)

# Backoff never waits longer than this between two tries.
MAX_BACKOFF = datetime.timedelta(hours=6)


def worker_name(prefix="worker"):
    """Unique per worker: which machine and process claimed a job, in the admin and the logs."""
    return f"{prefix}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:100]


def lease():
    return datetime.timedelta(seconds=settings.EMAIL_JOB_LEASE_SECONDS)


def backoff(attempts):
    """How long to wait after the n-th failed try: EMAIL_RETRY_BACKOFF_SECONDS, doubled each time, 6 hours at most."""
    seconds = settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return min(datetime.timedelta(seconds=seconds), MAX_BACKOFF)


def email_job_enqueue(*, kind, submission_id, now=None):
    """Queue an email; call it inside the transaction that makes the email necessary, so both commit or neither.

    A response has one receipt job: queueing it again wakes a job that was given up on and leaves a sent one alone.
    """
    now = now or timezone.now()
    if kind != EmailJob.Kind.RECEIPT:
        return EmailJob.objects.create(kind=kind, submission_id=submission_id, created_at=now, run_after=now)
    job, created = EmailJob.objects.get_or_create(
        kind=kind, submission_id=submission_id, defaults={"created_at": now, "run_after": now}
    )
    if not created and job.status == EmailJob.Status.FAILED:
        EmailJob.objects.filter(pk=job.pk, status=EmailJob.Status.FAILED).update(
            status=EmailJob.Status.READY, run_after=now
        )
        job.refresh_from_db()
    return job


def email_job_claim(*, worker, now=None, pk=None):
    """Claim the next job due (or job `pk`, ignoring its backoff) for `worker`, or None if there is none.

    Rows another worker is claiming at this moment are skipped, not waited for (SKIP LOCKED), and the claim is
    committed before anything is sent, so no lock is held during the send: the lease protects the job instead.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if pk is None:
            jobs = EmailJob.objects.due(now).order_by("run_after", "id")
        else:
            jobs = EmailJob.objects.filter(pk=pk).filter(status__in=[EmailJob.Status.READY, EmailJob.Status.RUNNING])
        job = jobs.select_for_update(skip_locked=True).first()
        if job is None or (pk is not None and job.status == EmailJob.Status.RUNNING and not job.is_due(now)):
            return None
        if job.status == EmailJob.Status.RUNNING:
            logger.warning("Email job %s: the lease of %s ran out; trying again", job.pk, job.locked_by)
        job.status = EmailJob.Status.RUNNING
        job.attempts += 1
        job.locked_by = worker
        job.locked_until = now + lease()
        job.save(update_fields=["status", "attempts", "locked_by", "locked_until"])
    return job


def _send(job):
    """Send the job's email; (done, error). A receipt already sent (or no longer wanted) counts as done."""
    from submissions.models import Submission
    from submissions.services import receipts, safeguarding

    if job.kind == EmailJob.Kind.SAFEGUARDING_ALERT:
        safeguarding.safeguarding_alert_send(submission_id=job.submission_id)
        return True, "", job.attempts
    submission = Submission.objects.filter(pk=job.submission_id).first()
    if submission is None or not submission.is_receipt_pending():
        return True, "", job.attempts
    if receipts.receipt_send(submission_id=submission.pk):
        return True, "", job.attempts
    submission.refresh_from_db(fields=["receipt_last_error", "receipt_attempts"])
    # Tries made before the outbox existed (or by send_receipts) count towards giving up too.
    return False, submission.receipt_last_error, max(job.attempts, submission.receipt_attempts)


def email_job_run(*, job, worker, now=None):
    """Send a claimed job and record the outcome; True when the email went (or was no longer needed)."""
    try:
        done, error, attempts = _send(job)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried later
        done, error, attempts = False, f"{type(exc).__name__}: {exc}"[:1000], job.attempts
    now = now or timezone.now()
    if done:
        changes = {"status": EmailJob.Status.DONE, "finished_at": now, "last_error": ""}
    elif attempts >= settings.RECEIPT_MAX_ATTEMPTS:
        changes = {"status": EmailJob.Status.FAILED, "finished_at": now, "last_error": error}
        logger.error(
            "Giving up on the %s for %s after %s attempts: %s",
            job.kind.replace("_", " "),
            _reference(job),
            attempts,
            error,
        )
    else:
        changes = {"status": EmailJob.Status.READY, "run_after": now + backoff(attempts), "last_error": error}
        logger.warning("Email job %s failed (attempt %s), will try again: %s", job.pk, attempts, error)
    # Only the worker still holding the claim records it: one whose lease ran out has been replaced.
    updated = EmailJob.objects.filter(pk=job.pk, status=EmailJob.Status.RUNNING, locked_by=worker).update(
        locked_until=None, **changes
    )
    if not updated:
        logger.warning("Email job %s: %s lost its claim before finishing", job.pk, worker)
    for field, value in changes.items():
        setattr(job, field, value)
    return done


def _reference(job):
    from submissions.models import Submission

    return Submission.objects.filter(pk=job.submission_id).values_list("reference", flat=True).first()


def email_jobs_run(*, worker, now=None, limit=None):
    """Claim and send due jobs one at a time until none is due (or `limit` were tried); return how many were tried."""
    tried = 0
    while limit is None or tried < limit:
        job = email_job_claim(worker=worker, now=now)
        if job is None:
            break
        email_job_run(job=job, worker=worker, now=now)
        tried += 1
    return tried


def email_job_retry_now(*, job, now=None):
    """Staff's "try again now": a waiting or given-up job becomes due at once."""
    now = now or timezone.now()
    return EmailJob.objects.filter(pk=job.pk, status__in=[EmailJob.Status.READY, EmailJob.Status.FAILED]).update(
        status=EmailJob.Status.READY, run_after=now
    )
