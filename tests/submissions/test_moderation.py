import pytest
from django.core import mail

from outbox.models import EmailJob
from submissions.models import ModerationEvent, Submission
from submissions.services import moderation
from tests.factories import AnswerFactory, IdeaFactory, SubmissionFactory
from tests.worker import send_queued_emails

from .staff import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return staff_user("Moderators", email="moderator@example.org")


def test_approving_records_who_did_it_and_the_change_of_status(moderator):
    submission = SubmissionFactory()

    moderation.submission_approve(submission=submission, actor=moderator, note="Fine to publish")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.version == 2
    event = submission.moderation_events.get()
    assert event.actor == moderator
    assert event.action == ModerationEvent.Action.APPROVED
    assert (event.from_status, event.to_status) == ("pending", "approved")
    assert event.note == "Fine to publish"


def test_rejecting_needs_a_reason_and_keeps_it(moderator):
    submission = SubmissionFactory()

    with pytest.raises(moderation.ModerationError):
        moderation.submission_reject(submission=submission, actor=moderator, reason="  ")
    moderation.submission_reject(submission=submission, actor=moderator, reason="Off topic")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED
    assert submission.rejection_reason == "Off topic"
    event = submission.moderation_events.get()
    assert (event.action, event.note) == ("rejected", "Reason: Off topic")


def test_approving_a_rejected_response_clears_the_reason(moderator):
    submission = SubmissionFactory()
    moderation.submission_reject(submission=submission, actor=moderator, reason="Off topic")

    moderation.submission_approve(submission=submission, actor=moderator)

    submission.refresh_from_db()
    assert submission.rejection_reason == ""
    event = submission.moderation_events.first()
    assert (event.from_status, event.to_status) == ("rejected", "approved")


def test_marking_as_spam_is_recorded(moderator):
    submission = SubmissionFactory()

    moderation.submission_mark_spam(submission=submission, actor=moderator)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.SPAM
    assert submission.moderation_events.get().action == ModerationEvent.Action.SPAM


def test_a_moderator_acting_on_an_old_version_is_refused_and_nothing_changes(moderator):
    submission = SubmissionFactory()
    seen_by_both = submission.version
    other = staff_user("Moderators", username="other-moderator")
    moderation.submission_approve(submission=submission, actor=other, expected_version=seen_by_both)

    with pytest.raises(moderation.StaleModeration, match="Someone else changed this response"):
        moderation.submission_reject(
            submission=Submission.objects.get(pk=submission.pk),
            actor=moderator,
            reason="Off topic",
            expected_version=seen_by_both,
        )

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.moderation_events.count() == 1


def test_flagging_emails_the_safeguarding_leads_a_link_but_not_the_response(
    moderator, settings, django_capture_on_commit_callbacks
):
    settings.SAFEGUARDING_EMAILS = ["duty-lead@example.org"]
    staff_user("Safeguarding leads", username="lead", email="lead@example.org")
    staff_user("Safeguarding leads", username="lead-no-email")
    submission = SubmissionFactory(name="Jamie Respondent", email="jamie@example.org")
    AnswerFactory(submission=submission, text="Something worrying happened at my placement")

    with django_capture_on_commit_callbacks(execute=True):
        moderation.submission_flag_safeguarding(submission=submission, actor=moderator, note="Disclosure of harm")
    assert mail.outbox == []
    send_queued_emails()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["duty-lead@example.org", "lead@example.org"]
    assert f"/admin/submissions/safeguardingqueue/{submission.pk}/change/" in message.body
    assert submission.reference in message.body
    for private in ("Something worrying", "Jamie", "jamie@example.org", "Disclosure of harm"):
        assert private not in message.body
        assert private not in message.subject
    event = submission.moderation_events.get()
    assert (event.from_flag, event.to_flag, event.action) == (False, True, "flagged")


def test_no_email_is_sent_if_the_flag_is_rolled_back(moderator, settings, django_capture_on_commit_callbacks):
    settings.SAFEGUARDING_EMAILS = ["duty-lead@example.org"]
    submission = SubmissionFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(moderation.StaleModeration):
        moderation.submission_flag_safeguarding(
            submission=submission, actor=moderator, note="", expected_version=submission.version + 1
        )

    assert callbacks == []
    assert not EmailJob.objects.exists()
    send_queued_emails()
    assert mail.outbox == []


def test_a_flagged_response_is_never_published_even_when_approved(moderator):
    submission = SubmissionFactory()
    moderation.submission_approve(submission=submission, actor=moderator)
    assert submission.is_publishable()

    moderation.submission_flag_safeguarding(submission=submission, actor=moderator, note="Concern")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert not submission.is_publishable()
    assert not Submission.objects.publishable().filter(pk=submission.pk).exists()


def test_removing_the_flag_is_recorded(moderator):
    submission = SubmissionFactory(safeguarding_flag=True)
    lead = staff_user("Safeguarding leads", username="lead")

    moderation.submission_unflag_safeguarding(submission=submission, actor=lead, note="Followed up with the team")

    submission.refresh_from_db()
    assert not submission.safeguarding_flag
    event = submission.moderation_events.get()
    assert (event.actor, event.action, event.from_flag, event.to_flag) == (lead, "unflagged", True, False)


def test_redaction_sets_the_public_text_and_keeps_the_original(moderator):
    submission = SubmissionFactory()
    answer = AnswerFactory(submission=submission, text="My worker Sarah at Oakfield home helped")
    idea = IdeaFactory(submission=submission, body="Ask Mr Jones at Elm School")

    moderation.submission_redact(
        submission=submission,
        actor=moderator,
        answers={answer.pk: "My worker [name removed] helped"},
        ideas={idea.pk: "Ask [name removed]"},
    )

    answer.refresh_from_db()
    idea.refresh_from_db()
    assert answer.text == "My worker Sarah at Oakfield home helped"
    assert answer.redacted_text == "My worker [name removed] helped"
    assert idea.body == "Ask Mr Jones at Elm School"
    assert idea.redacted_body == "Ask [name removed]"
    event = submission.moderation_events.get()
    assert event.action == ModerationEvent.Action.REDACTED
    assert "Sarah" not in event.note


def test_redaction_that_changes_nothing_records_nothing(moderator):
    submission = SubmissionFactory()
    answer = AnswerFactory(submission=submission, redacted_text="Same")

    moderation.submission_redact(submission=submission, actor=moderator, answers={answer.pk: "Same"})

    assert not submission.moderation_events.exists()
    assert Submission.objects.get(pk=submission.pk).version == 1


def test_withholding_an_idea_is_recorded_and_can_be_undone(moderator):
    idea = IdeaFactory()

    moderation.idea_set_withheld(idea=idea, actor=moderator, withheld=True)
    idea.refresh_from_db()
    assert idea.withheld
    moderation.idea_set_withheld(idea=idea, actor=moderator, withheld=False)

    idea.refresh_from_db()
    assert not idea.withheld
    actions = list(idea.submission.moderation_events.order_by("id").values_list("action", flat=True))
    assert actions == ["idea_withheld", "idea_released"]


def test_the_moderation_panel_changes_everything_in_one_checked_transaction(moderator):
    submission = SubmissionFactory()
    answer = AnswerFactory(submission=submission)
    idea = IdeaFactory(submission=submission)

    moderation.submission_moderate(
        submission=submission,
        actor=moderator,
        expected_version=1,
        status=Submission.Status.APPROVED,
        note="Checked",
        answers={answer.pk: "Redacted"},
        withheld={idea.pk: True},
    )

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.moderation_note == "Checked"
    assert submission.version == 4
    assert sorted(submission.moderation_events.values_list("action", flat=True)) == [
        "approved",
        "idea_withheld",
        "redacted",
    ]


def test_the_moderation_panel_writes_nothing_when_the_version_is_stale(moderator):
    submission = SubmissionFactory(version=3)
    answer = AnswerFactory(submission=submission)

    with pytest.raises(moderation.StaleModeration):
        moderation.submission_moderate(
            submission=submission,
            actor=moderator,
            expected_version=2,
            status=Submission.Status.APPROVED,
            answers={answer.pk: "Redacted"},
        )

    answer.refresh_from_db()
    assert answer.redacted_text == ""
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.PENDING
