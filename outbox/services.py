"""Queue, claim and send the emails in the outbox. The web servers only queue; workers (run_worker) send.

What each kind of email says, and to whom, is its registered sender's business (registry.py), not the outbox's.
"""

import datetime
import logging
import os
import socket
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import registry
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


def email_job_enqueue(
    *,
    kind: str,
    subject_id: int,
    about: str = "",
    dedupe_key: str | None = None,
    now: datetime.datetime | None = None,
) -> EmailJob:
    """Queue an email; call it inside the transaction that makes the email necessary, so both commit or neither.

    Jobs with the same dedupe_key are one job: queueing it again wakes one that was given up on and leaves a sent
    one alone.
    """
    registry.sender(kind)  # a kind nobody sends would wait for ever: refuse it while the caller can still see why
    now = now or timezone.now()
    fields = {"kind": kind, "subject_id": subject_id, "about": about[:100], "created_at": now, "run_after": now}
    if dedupe_key is None:
        return EmailJob.objects.create(**fields)
    job, created = EmailJob.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    if not created and job.status == EmailJob.Status.FAILED:
        EmailJob.objects.filter(pk=job.pk, status=EmailJob.Status.FAILED).update(
            status=EmailJob.Status.READY, run_after=now
        )
        job.refresh_from_db()
    return job


def email_job_claim(*, worker: str, now: datetime.datetime | None = None) -> EmailJob | None:
    """Claim the next job due for `worker`, or None if there is none.

    Rows another worker is claiming at this moment are skipped, not waited for (SKIP LOCKED), and the claim is
    committed before anything is sent, so no lock is held during the send: the lease protects the job instead.
    """
    now = now or timezone.now()
    with transaction.atomic():
        jobs = EmailJob.objects.due(now).order_by("run_after", "id")
        job = jobs.select_for_update(skip_locked=True).first()
        if job is None:
            return None
        if job.status == EmailJob.Status.RUNNING:
            logger.warning("Email job %s: the lease of %s ran out; trying again", job.pk, job.locked_by)
        job.status = EmailJob.Status.RUNNING
        job.attempts += 1
        job.locked_by = worker
        job.locked_until = now + lease()
        job.save(update_fields=["status", "attempts", "locked_by", "locked_until"])
    return job


def email_job_run(*, job: EmailJob, worker: str, now: datetime.datetime | None = None) -> bool:
    """Send a claimed job through its kind's sender and record the outcome; True when it went (or was not needed)."""
    try:
        registry.sender(job.kind).send(job=job)
        done, error = True, ""
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried later
        done, error = False, f"{type(exc).__name__}: {exc}"[:1000]
        # The log gets the kind of failure only: a refusal can quote the recipient's address back, and log lines
        # must carry no personal data. The whole message is kept on the job, for staff (and erased with the person).
        error_kind = type(exc).__name__
    now = now or timezone.now()
    if done:
        changes = {"status": EmailJob.Status.DONE, "finished_at": now, "last_error": ""}
    elif job.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        changes = {"status": EmailJob.Status.FAILED, "finished_at": now, "last_error": error}
        logger.error(
            "Giving up on the %s for %s after %s attempts: %s",
            job.kind.replace("_", " "),
            job.about or f"#{job.subject_id}",
            job.attempts,
            error_kind,
        )
    else:
        changes = {"status": EmailJob.Status.READY, "run_after": now + backoff(job.attempts), "last_error": error}
        logger.warning("Email job %s failed (attempt %s), will try again: %s", job.pk, job.attempts, error_kind)
    # Only the worker still holding the claim records it: one whose lease ran out has been replaced.
    updated = EmailJob.objects.filter(pk=job.pk, status=EmailJob.Status.RUNNING, locked_by=worker).update(
        locked_until=None, **changes
    )
    if not updated:
        logger.warning("Email job %s: %s lost its claim before finishing", job.pk, worker)
    for field, value in changes.items():
        setattr(job, field, value)
    return done


def email_jobs_run(*, worker: str, now: datetime.datetime | None = None, limit: int | None = None) -> int:
    """Claim and send due jobs one at a time until none is due (or `limit` were tried); return how many were tried."""
    tried = 0
    while limit is None or tried < limit:
        job = email_job_claim(worker=worker, now=now)
        if job is None:
            break
        email_job_run(job=job, worker=worker, now=now)
        tried += 1
    return tried


def email_job_retry_now(*, job: EmailJob, now: datetime.datetime | None = None) -> int:
    """Staff's "try again now": a waiting or given-up job becomes due at once."""
    now = now or timezone.now()
    return EmailJob.objects.filter(pk=job.pk, status__in=[EmailJob.Status.READY, EmailJob.Status.FAILED]).update(
        status=EmailJob.Status.READY, run_after=now
    )


def email_jobs_forget_errors(*, kind: str, subject_ids) -> int:
    """Blank the last error of the jobs about these rows: a failed send can quote the address back (erasure)."""
    return EmailJob.objects.about(kind=kind, subject_ids=subject_ids).exclude(last_error="").update(last_error="")
