"""Run the email worker in the test's own process, as `manage.py run_worker --once` would."""

from outbox.worker import Worker


def send_queued_emails(now=None):
    """Send every queued email due now (receipts, safeguarding alerts, sign-up emails); return how many were tried."""
    return Worker(name="test-worker", poll_seconds=0).drain(now=now)
