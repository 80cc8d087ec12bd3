"""Suggested themes as a background job, through the outbox's job queue and its worker (manage.py run_worker).

The outbox is a queue of jobs of registered kinds with leases, retries and a worker: "email" is only what most of its
kinds do. Its sender signature fits any job: `send(job=job)` returns when done and raises to be tried again. Two
things differ from an email, and are handled here:
- A run can take longer than a send; each step of progress renews the job's lease, so no other worker takes it over
  while this one is still clustering (a worker that dies stops renewing, and the job is taken over as usual).
- A run that fails will fail again the same way on the same data: it is marked failed, with the error for staff,
  and not retried.
"""

import datetime
import logging
import time

from django.conf import settings
from django.utils import timezone

from outbox.models import EmailJob

from .models import SuggestionRun
from .services.suggestions import SUGGEST_THEMES, suggestion_run_execute, suggestion_run_fail

logger = logging.getLogger(__name__)

__all__ = ["SUGGEST_THEMES", "suggestion_run_send"]

# At most one lease renewal every this many seconds: a progress report is cheap, a write per report is not.
RENEW_EVERY = 10


def suggestion_run_send(*, job: EmailJob) -> None:
    run = SuggestionRun.objects.select_related("call").filter(pk=job.subject_id).first()
    if run is None or run.finished:
        return  # deleted, or finished by a worker that died before recording its job as done
    last = [0.0]

    def heartbeat():
        if time.monotonic() - last[0] < RENEW_EVERY:
            return
        last[0] = time.monotonic()
        until = timezone.now() + datetime.timedelta(seconds=settings.EMAIL_JOB_LEASE_SECONDS)
        EmailJob.objects.filter(pk=job.pk, status=EmailJob.Status.RUNNING, locked_by=job.locked_by).update(
            locked_until=until
        )

    try:
        suggestion_run_execute(run=run, heartbeat=heartbeat)
    except Exception as exc:  # noqa: BLE001 - recorded for staff; the same data would fail the same way again
        logger.exception("Suggested themes for %s failed", run.call)
        suggestion_run_fail(run=run, error=f"{type(exc).__name__}: {exc}")
