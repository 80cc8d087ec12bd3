"""The worker loop: claim a due email job, send it, repeat; sleep a little when there is nothing to do."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from . import services

logger = logging.getLogger(__name__)


class Worker:
    """One worker. Run as many as you like, on any machines that share the database: none sends a job twice."""

    def __init__(self, *, name=None, poll_seconds=None):
        self.name = name or services.worker_name()
        self.poll_seconds = settings.EMAIL_WORKER_POLL_SECONDS if poll_seconds is None else poll_seconds
        self.stopping = threading.Event()

    def run_once(self, now=None):
        """Claim and send one due job; return it, or None when nothing was due."""
        job = services.email_job_claim(worker=self.name, now=now)
        if job is not None:
            services.email_job_run(job=job, worker=self.name, now=now)
        return job

    def drain(self, now=None):
        """Send every job due now; return how many were tried."""
        return services.email_jobs_run(worker=self.name, now=now)

    def run_forever(self):
        logger.info("Email worker %s started", self.name)
        while not self.stopping.is_set():
            # A long-running process: drop connections the database closed, as a request would.
            close_old_connections()
            try:
                job = self.run_once()
            except Exception:  # noqa: BLE001 - a database blip must not end the worker; the job's lease covers it
                logger.exception("Email worker %s could not claim a job", self.name)
                job = None
            if job is None:
                self.stopping.wait(self.poll_seconds)
        close_old_connections()
        logger.info("Email worker %s stopped", self.name)

    def stop(self, *args):
        """Finish the job in hand, then stop (SIGTERM, SIGINT)."""
        self.stopping.set()
