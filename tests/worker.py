"""Run the email worker in the test's own process, as `manage.py run_worker --once` would."""

from submissions.outbox.worker import Worker


def send_queued_emails(now=None):
    """Send every receipt and safeguarding alert due now; return how many jobs were tried."""
    return Worker(name="test-worker", poll_seconds=0).drain(now=now)
