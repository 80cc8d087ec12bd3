"""Migrating to one retry state: the jobs queued before keep working, and no receipt's tries are forgotten."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from outbox.models import EmailJob
from submissions.models import Submission
from tests.worker import send_queued_emails

BEFORE = [("submissions", "0007_response_verbose_name"), ("outbox", "0002_administrators_see_email_jobs")]
AFTER = [("submissions", "0009_remove_receipt_retry_fields"), ("outbox", "0005_emailjob_without_submission")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = migrate(BEFORE)
    yield apps
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_jobs_and_receipt_tries_from_before_carry_over_to_the_outbox(old_apps, settings):
    settings.EMAIL_MAX_ATTEMPTS = 10
    settings.SAFEGUARDING_EMAILS = ["lead@example.org"]
    Call = old_apps.get_model("consultations", "Call")
    OldSubmission = old_apps.get_model("submissions", "Submission")
    OldJob = old_apps.get_model("outbox", "EmailJob")
    now = timezone.now()
    call = Call.objects.create(
        kind="advice",
        title="Call for Advice",
        slug="advice",
        summary="",
        body="",
        audience="",
        phase="discovery",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )

    def response(reference, **fields):
        return OldSubmission.objects.create(
            call=call,
            reference=reference,
            respondent_type="carer",
            email=f"{reference.lower()}@example.org",
            publication="anonymous",
            consented_at=now,
            submitted_at=now,
            **fields,
        )

    queued = response("ADVICE-AAAA-AAAA", receipt_attempts=3, receipt_last_error="451 try later")
    OldJob.objects.create(kind="receipt", submission=queued, attempts=1, run_after=now)
    flagged = response("ADVICE-BBBB-BBBB", receipt_sent_at=now)
    OldJob.objects.create(kind="safeguarding_alert", submission=flagged, run_after=now)
    tried = response("ADVICE-CCCC-CCCC", receipt_attempts=2, receipt_last_error="Connection refused")
    response("ADVICE-DDDD-DDDD", receipt_attempts=10, receipt_last_error="Mailbox full")
    response("ADVICE-EEEE-EEEE")  # never tried, never queued: left for send_receipts

    migrate(AFTER)
    call_command("migrate", verbosity=0)

    jobs = {job.about: job for job in EmailJob.objects.all()}
    assert set(jobs) == {"ADVICE-AAAA-AAAA", "ADVICE-BBBB-BBBB", "ADVICE-CCCC-CCCC", "ADVICE-DDDD-DDDD"}
    receipt = jobs["ADVICE-AAAA-AAAA"]
    assert (receipt.kind, receipt.subject_id, receipt.dedupe_key) == ("receipt", queued.pk, f"receipt:{queued.pk}")
    assert (receipt.attempts, receipt.last_error) == (3, "451 try later")
    alert = jobs["ADVICE-BBBB-BBBB"]
    assert (alert.kind, alert.subject_id, alert.dedupe_key) == ("safeguarding_alert", flagged.pk, None)
    waiting = jobs["ADVICE-CCCC-CCCC"]
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("ready", 2, "Connection refused")
    assert (waiting.subject_id, waiting.dedupe_key) == (tried.pk, f"receipt:{tried.pk}")
    assert (jobs["ADVICE-DDDD-DDDD"].status, jobs["ADVICE-DDDD-DDDD"].attempts) == ("failed", 10)

    # The jobs queued before the migration are sent by today's worker.
    assert send_queued_emails() == 3
    assert EmailJob.objects.filter(status="done").count() == 3
    assert Submission.objects.get(pk=queued.pk).receipt_sent_at is not None
