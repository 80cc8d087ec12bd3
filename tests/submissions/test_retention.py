import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from outbox.models import EmailJob
from submissions import uploads
from submissions.models import Answer, Attachment, DataRightsEvent, Idea, Submission
from submissions.services.data_rights import REMOVED_ORGANISATION, retention_apply, submission_remove_personal_data
from submissions.services.receipts import receipt_enqueue
from tests.factories import (
    AnswerFactory,
    AttachmentFactory,
    CallFactory,
    IdeaFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db

CLOSED = datetime.datetime(2021, 9, 1, 12, 0, tzinfo=datetime.UTC)


def closed_call(*, retention_days=30, **kwargs):
    return CallFactory(
        opens_at=CLOSED - datetime.timedelta(days=60), closes_at=CLOSED, retention_days=retention_days, **kwargs
    )


def stored_attachment(submission, content=b"%PDF-1.4 my story"):
    attachment = AttachmentFactory(submission=submission)
    uploads.private_storage().save(attachment.stored_name, io.BytesIO(content))
    return attachment


def run(*args):
    out = io.StringIO()
    call_command("apply_retention", *args, "--actor", "ops@review", stdout=out)
    return out.getvalue()


@pytest.fixture
def response_with_everything():
    submission = SubmissionFactory(
        call=closed_call(),
        name="Sam Jones",
        email="sam@example.org",
        respondent_type=Submission.RespondentType.ORGANISATION,
        organisation_name="Sam's Charity",
        submitted_at=CLOSED - datetime.timedelta(days=3),
    )
    # A receipt the mail server refused, quoting the address back.
    receipt_enqueue(submission=submission)
    EmailJob.objects.update(attempts=1, last_error="Recipient sam@example.org refused")
    AnswerFactory(submission=submission, text="Keep siblings together.")
    IdeaFactory(submission=submission, title="Sibling homes", body="Find homes that take brothers and sisters.")
    stored_attachment(submission)
    return submission


def test_dry_run_changes_nothing_but_says_what_would_go(response_with_everything, django_capture_on_commit_callbacks):
    attachment = response_with_everything.attachments.get()
    with time_machine.travel(CLOSED + datetime.timedelta(days=31)), django_capture_on_commit_callbacks(execute=True):
        output = run("--dry-run")

    assert "would remove personal data from 1 responses; would delete 1 attachments" in output
    assert "Dry run: nothing was changed." in output
    response_with_everything.refresh_from_db()
    assert response_with_everything.name == "Sam Jones"
    assert response_with_everything.email == "sam@example.org"
    assert response_with_everything.personal_data_removed_at is None
    assert Attachment.objects.count() == 1
    assert uploads.private_storage().exists(attachment.stored_name)
    event = DataRightsEvent.objects.get()
    assert event.dry_run is True
    assert event.action == DataRightsEvent.Action.RETENTION
    assert event.records_affected == 1


def test_retention_removes_names_contact_details_and_attachments_and_keeps_answers(
    response_with_everything, django_capture_on_commit_callbacks
):
    attachment = response_with_everything.attachments.get()
    with time_machine.travel(CLOSED + datetime.timedelta(days=31)), django_capture_on_commit_callbacks(execute=True):
        output = run()

    assert "removed personal data from 1 responses; deleted 1 attachments (files and records)" in output
    response = Submission.objects.get()
    assert response.name == ""
    assert response.email == ""
    assert response.organisation_name == REMOVED_ORGANISATION
    assert EmailJob.objects.get().last_error == ""
    assert response.personal_data_removed_at == CLOSED + datetime.timedelta(days=31)
    assert Answer.objects.get().text == "Keep siblings together."
    assert Idea.objects.get().body == "Find homes that take brothers and sisters."
    assert not Attachment.objects.exists()
    assert not uploads.private_storage().exists(attachment.stored_name)
    event = DataRightsEvent.objects.get()
    assert (event.action, event.actor, event.records_affected, event.dry_run) == ("retention", "ops@review", 1, False)
    assert event.email_hash == ""


def test_retention_waits_until_the_period_after_closing_has_passed(response_with_everything):
    with time_machine.travel(CLOSED + datetime.timedelta(days=30) - datetime.timedelta(seconds=1)):
        run()
    assert Submission.objects.get().email == "sam@example.org"

    with time_machine.travel(CLOSED + datetime.timedelta(days=30)):
        run()
    assert Submission.objects.get().email == ""


def test_calls_without_a_retention_period_are_kept_until_staff_decide():
    kept = SubmissionFactory(call=closed_call(retention_days=None), email="kept@example.org")

    with time_machine.travel(CLOSED + datetime.timedelta(days=3650)):
        output = run()

    kept.refresh_from_db()
    assert kept.email == "kept@example.org"
    assert kept.personal_data_removed_at is None
    assert "No call is past its retention period." in output


def test_retention_leaves_open_calls_and_other_calls_alone(response_with_everything):
    open_call = CallFactory(retention_days=0)
    still_open = SubmissionFactory(call=open_call, email="open@example.org")
    recent = SubmissionFactory(call=closed_call(retention_days=365), email="recent@example.org")

    with time_machine.travel(CLOSED + datetime.timedelta(days=31)):
        result = retention_apply(now=timezone.now(), dry_run=False, actor="test")

    assert result.responses == 1
    assert Submission.objects.get(pk=still_open.pk).email == "open@example.org"
    assert Submission.objects.get(pk=recent.pk).email == "recent@example.org"


def test_a_second_run_finds_nothing_more_to_remove(response_with_everything):
    now = CLOSED + datetime.timedelta(days=31)
    assert retention_apply(now=now, dry_run=False, actor="test").responses == 1
    assert retention_apply(now=now + datetime.timedelta(days=1), dry_run=False, actor="test").responses == 0
    # The first run's date stays as the record of when the data went.
    assert Submission.objects.get().personal_data_removed_at == now


def test_one_response_can_have_its_personal_data_removed(response_with_everything, django_capture_on_commit_callbacks):
    other = SubmissionFactory(call=response_with_everything.call, name="Alex")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        deleted = submission_remove_personal_data(submission=response_with_everything, now=now)

    assert deleted == 1
    assert response_with_everything.name == ""
    assert response_with_everything.personal_data_removed_at == now
    other.refresh_from_db()
    assert other.name == "Alex"
