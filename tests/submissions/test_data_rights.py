import hashlib
import io
import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from outbox.models import EmailJob
from pages.models import Subscriber
from pages.services import subscriber_request
from submissions import uploads
from submissions.models import Answer, Attachment, DataRightsEvent, Idea, Submission
from submissions.services.data_rights import email_hash, respondent_erase
from submissions.services.receipts import receipt_enqueue
from tests.factories import AnswerFactory, AttachmentFactory, IdeaFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

ADDRESS = "Robin.Smith@Example.org"
ADDRESS_HASH = hashlib.sha256(b"robin.smith@example.org").hexdigest()


def command(name, *args):
    out = io.StringIO()
    err = io.StringIO()
    call_command(name, *args, "--actor", "dpo", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def robin():
    """Two responses from Robin (the address in different cases), an attachment and an email subscription."""
    first = SubmissionFactory(name="Robin Smith", email="robin.smith@example.org")
    AnswerFactory(submission=first, text="My foster carer listened.")
    IdeaFactory(submission=first, title="Listen first", body="Ask children before deciding.")
    attachment = AttachmentFactory(submission=first, original_name="my-story.pdf")
    uploads.private_storage().save(attachment.stored_name, io.BytesIO(b"%PDF-1.4 Robin's story"))
    second = SubmissionFactory(name="R. Smith", email="ROBIN.SMITH@example.org")
    Subscriber.objects.create(email="robin.smith@example.org", confirmed_at=timezone.now())
    return first, second


@pytest.fixture
def someone_else():
    other = SubmissionFactory(name="Kim Lee", email="kim@example.org")
    Subscriber.objects.create(email="kim@example.org")
    return other


def test_email_hash_ignores_case_and_surrounding_spaces():
    assert email_hash(" Robin.Smith@EXAMPLE.org ") == ADDRESS_HASH


def test_erasure_removes_the_persons_details_everywhere_and_keeps_their_answers(
    robin, someone_else, django_capture_on_commit_callbacks
):
    stored_name = Attachment.objects.get().stored_name
    with django_capture_on_commit_callbacks(execute=True):
        output = command("erase_respondent", "--email", ADDRESS)

    assert "Erased personal data from 2 responses; deleted 1 attachments" in output
    for response in Submission.objects.filter(pk__in=[r.pk for r in robin]):
        assert (response.name, response.email) == ("", "")
        assert response.personal_data_removed_at is not None
    assert Answer.objects.get().text == "My foster carer listened."
    assert Idea.objects.get().title == "Listen first"
    assert not Attachment.objects.exists()
    assert not uploads.private_storage().exists(stored_name)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kim@example.org"]
    someone_else.refresh_from_db()
    assert (someone_else.name, someone_else.email) == ("Kim Lee", "kim@example.org")


def test_erasure_is_recorded_with_a_hash_of_the_address_never_the_address(robin):
    command("erase_respondent", "--email", ADDRESS)

    event = DataRightsEvent.objects.get()
    assert event.action == DataRightsEvent.Action.ERASURE
    assert event.email_hash == ADDRESS_HASH
    assert event.actor == "dpo"
    assert event.records_affected == 2
    assert event.dry_run is False
    stored = " ".join(str(value) for value in DataRightsEvent.objects.values().get().values()).lower()
    assert "robin" not in stored


def test_erasure_dry_run_changes_nothing(robin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = command("erase_respondent", "--email", ADDRESS, "--dry-run")

    assert "Would erase personal data from 2 responses" in output
    assert "Dry run: nothing was changed." in output
    assert Submission.objects.filter(email__iexact=ADDRESS).count() == 2
    assert Attachment.objects.count() == 1
    assert uploads.private_storage().exists(Attachment.objects.get().stored_name)
    assert Subscriber.objects.count() == 1
    event = DataRightsEvent.objects.get()
    assert (event.dry_run, event.records_affected, event.email_hash) == (True, 2, ADDRESS_HASH)


def test_erasure_can_delete_the_responses_themselves(robin, someone_else):
    output = command("erase_respondent", "--email", ADDRESS, "--delete-responses")

    assert "Deleted 2 responses" in output
    assert list(Submission.objects.all()) == [someone_else]
    assert not Answer.objects.exists()
    assert DataRightsEvent.objects.get().records_affected == 2


@pytest.mark.parametrize("delete_responses", [False, True])
def test_erasure_blanks_the_errors_of_the_persons_queued_emails_which_can_quote_the_address(
    robin, someone_else, delete_responses
):
    for submission in (*robin, someone_else):
        receipt_enqueue(submission=submission)
    for subscriber in Subscriber.objects.all():
        with transaction.atomic():
            subscriber_request(email=subscriber.email)
    EmailJob.objects.update(attempts=1, last_error="550 Mailbox robin.smith@example.org unavailable")

    respondent_erase(email=ADDRESS, actor="dpo", dry_run=False, delete_responses=delete_responses)

    kept = EmailJob.objects.exclude(last_error="")
    assert {(job.kind, job.subject_id) for job in kept} == {
        ("receipt", someone_else.pk),
        ("updates_sign_up", Subscriber.objects.get().pk),
    }
    assert EmailJob.objects.filter(last_error="").count() == 3  # Robin's two receipts and sign-up email


def test_erasure_refuses_something_that_is_not_an_email_address(robin):
    with pytest.raises(CommandError, match="is not an email address"):
        command("erase_respondent", "--email", "robin")
    assert not DataRightsEvent.objects.exists()
    assert Submission.objects.filter(email__iexact=ADDRESS).count() == 2


def test_access_export_writes_everything_held_about_the_address(robin, someone_else, tmp_path):
    output_file = tmp_path / "sar.json"

    output = command("export_respondent", "--email", ADDRESS, "--output", str(output_file))

    assert "Wrote 2 responses and an email subscription" in output
    assert stat.S_IMODE(output_file.stat().st_mode) == 0o600
    data = json.loads(output_file.read_text())
    assert [r["reference"] for r in data["responses"]] == sorted(r.reference for r in robin)
    first = next(r for r in data["responses"] if r["reference"] == robin[0].reference)
    assert first["name"] == "Robin Smith"
    assert first["email"] == "robin.smith@example.org"
    assert first["answers"][0]["answer"] == "My foster carer listened."
    assert first["ideas"] == [{"title": "Listen first", "idea": "Ask children before deciding.", "withheld": False}]
    assert first["attachments"][0]["name"] == "my-story.pdf"
    assert data["subscriber"]["email"] == "robin.smith@example.org"
    assert data["subscriber"]["confirmed_at"]
    assert "kim@example.org" not in output_file.read_text()


def test_access_export_over_an_existing_file_leaves_it_readable_by_its_owner_only(robin, tmp_path):
    (tmp_path / "exports").mkdir()
    output_file = tmp_path / "exports" / "sar.json"
    output_file.write_text("an older export")
    output_file.chmod(0o644)

    command("export_respondent", "--email", ADDRESS, "--output", str(output_file))

    assert stat.S_IMODE(output_file.stat().st_mode) == 0o600
    assert json.loads(output_file.read_text())["email"] == ADDRESS
    assert [path.name for path in output_file.parent.iterdir()] == ["sar.json"]  # no temporary file left behind


def test_access_export_to_a_folder_that_does_not_exist_fails_plainly(robin, tmp_path):
    with pytest.raises(CommandError, match="Could not write"):
        command("export_respondent", "--email", ADDRESS, "--output", str(tmp_path / "missing" / "sar.json"))


def test_access_export_is_recorded_with_a_hashed_address(robin):
    output = command("export_respondent", "--email", ADDRESS)

    assert json.loads(output)["email"] == ADDRESS
    event = DataRightsEvent.objects.get()
    assert event.action == DataRightsEvent.Action.ACCESS_EXPORT
    assert event.email_hash == ADDRESS_HASH
    assert event.records_affected == 3  # two responses and a subscription
    assert "robin" not in event.detail.lower()


def test_access_export_for_an_unknown_address_holds_nothing():
    data = json.loads(command("export_respondent", "--email", "nobody@example.org"))
    assert data["responses"] == []
    assert data["subscriber"] is None
    assert DataRightsEvent.objects.get().records_affected == 0
