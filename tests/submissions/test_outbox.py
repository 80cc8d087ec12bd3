"""The outbox: senders registered by kind, jobs that name their subject without a foreign key, one retry state."""

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from outbox import registry
from outbox.models import EmailJob
from outbox.services import email_job_enqueue
from submissions.services.receipts import receipt_enqueue
from tests.factories import SubmissionFactory
from tests.worker import send_queued_emails

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)


def imported_modules(path):
    """Every module a Python file imports, relative imports resolved against its package."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = f"{base}.{node.module}" if node.level else node.module
            if node.level and not node.module:
                yield from (f"{base}.{alias.name}" for alias in node.names)
            else:
                yield module


def test_the_outbox_imports_none_of_the_apps_that_send_through_it():
    outbox = ROOT / "submissions" / "outbox"
    for path in outbox.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module in imported_modules(path):
            first_party = module.split(".")[0] in {"submissions", "pages", "consultations", "core"}
            assert not first_party or module.startswith("outbox"), f"{path.name} imports {module}"


def test_the_service_modules_import_each_other_without_a_cycle():
    services = ROOT / "submissions" / "services"
    graph = {
        path.stem: {
            module.rsplit(".", 1)[-1]
            for module in imported_modules(path)
            if module.startswith("submissions.services.") and module.count(".") == 2
        }
        for path in services.glob("*.py")
    }
    assert graph["moderation"] == {"safeguarding"} and graph["responses"] == {"receipts"}  # the graph was read

    def visit(name, path):
        assert name not in path, " -> ".join([*path, name])
        for other in graph.get(name, ()):
            visit(other, [*path, name])

    for name in graph:
        visit(name, [])


def test_every_kind_of_email_the_site_sends_has_a_sender():
    assert {"receipt", "safeguarding_alert", "updates_sign_up"} <= set(registry.kinds())
    assert registry.label("receipt") == "Receipt to a respondent"


def test_a_second_sender_for_the_same_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="receipt"):
        registry.register("receipt", lambda *, job: None, label="Another receipt")


def test_queueing_a_kind_nobody_sends_is_refused():
    with pytest.raises(registry.UnknownKind):
        email_job_enqueue(kind="postcard", subject_id=1)
    assert not EmailJob.objects.exists()


def test_a_job_whose_sender_is_no_longer_registered_fails_and_waits_to_be_retried(caplog):
    job = EmailJob.objects.create(kind="newsletter", subject_id=7, about="old kind")

    assert send_queued_emails() == 1

    job.refresh_from_db()
    assert (job.status, job.attempts) == (EmailJob.Status.READY, 1)
    assert "UnknownKind" in job.last_error
    assert job.run_after > timezone.now()


def test_jobs_queued_with_the_same_key_are_one_job_in_the_database():
    submission = SubmissionFactory()
    first = email_job_enqueue(kind="receipt", subject_id=submission.pk, dedupe_key="receipt:1")
    again = email_job_enqueue(kind="receipt", subject_id=submission.pk, dedupe_key="receipt:1")

    assert again.pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailJob.objects.create(kind="receipt", subject_id=submission.pk, dedupe_key="receipt:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailJob.objects.create(kind="receipt", subject_id=submission.pk, dedupe_key="")


def test_jobs_without_a_key_are_each_sent(settings):
    settings.SAFEGUARDING_EMAILS = ["lead@example.org"]
    submission = SubmissionFactory()
    for _ in range(2):
        email_job_enqueue(kind="safeguarding_alert", subject_id=submission.pk)

    assert send_queued_emails(now=timezone.now() + datetime.timedelta(seconds=1)) == 2
    assert EmailJob.objects.filter(status=EmailJob.Status.DONE).count() == 2


def test_staff_see_each_job_by_its_kind_and_what_it_is_about(admin_client):
    submission = SubmissionFactory()
    receipt_enqueue(submission=submission)

    page = admin_client.get(reverse("admin:outbox_emailjob_changelist")).content.decode()
    assert "Receipt to a respondent" in page and submission.reference in page
    found = admin_client.get(reverse("admin:outbox_emailjob_changelist"), {"q": submission.reference})
    assert submission.reference in found.content.decode()
    assert submission.email not in page
