import pytest
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Call
from submissions.models import ModerationEvent, SafeguardingQueue, Submission
from submissions.services import moderation
from tests.factories import AnswerFactory, AttachmentFactory, CallFactory, IdeaFactory, SubmissionFactory
from tests.worker import send_queued_emails

from .staff import staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:submissions_submission_changelist"


def moderate_url(submission, model="submission"):
    name = "moderate" if model == "submission" else "review"
    return reverse(f"admin:submissions_{model}_{name}", args=[submission.pk])


def form_data(response):
    """What the browser would send back from the moderation screen, unchanged."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


@pytest.fixture
def moderator():
    return staff_user("Moderators")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_the_change_page_shows_what_the_respondent_wrote_read_only(moderator_client):
    submission = SubmissionFactory(name="Jamie Respondent", email="jamie@example.org")
    answer = AnswerFactory(submission=submission, text="More time with the same worker")

    response = moderator_client.get(moderate_url(submission))

    assert response.status_code == 200
    html = response.content.decode()
    assert "More time with the same worker" in html
    assert "jamie@example.org" in html
    # No input carries the respondent's details: they are shown, not editable. Only the public version is.
    assert 'name="email"' not in html
    assert 'name="name"' not in html
    assert f'name="public-answer-{answer.pk}"' in html
    assert 'name="seen_version"' in html


def test_the_old_change_address_opens_the_moderation_screen(moderator_client):
    submission = SubmissionFactory()

    response = moderator_client.get(reverse("admin:submissions_submission_change", args=[submission.pk]))

    assert response.status_code == 302
    assert response["Location"] == moderate_url(submission)


def test_saving_the_moderation_panel_goes_through_the_services(moderator_client, moderator):
    submission = SubmissionFactory()
    answer = AnswerFactory(submission=submission, text="My worker Sarah helped")
    page = moderator_client.get(moderate_url(submission))
    data = form_data(page)
    data.update(decision="approved", note="Checked and fine", **{f"public-answer-{answer.pk}": "My worker helped"})

    response = moderator_client.post(moderate_url(submission), data)

    assert response.status_code == 302
    submission.refresh_from_db()
    answer.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert answer.text == "My worker Sarah helped"
    assert answer.redacted_text == "My worker helped"
    events = submission.moderation_events.all()
    assert {event.action for event in events} == {"approved", "redacted"}
    assert {event.actor for event in events} == {moderator}


def test_rejecting_without_a_reason_shows_a_friendly_error(moderator_client):
    submission = SubmissionFactory()
    data = form_data(moderator_client.get(moderate_url(submission)))
    data.update(decision="rejected", reason="")

    response = moderator_client.post(moderate_url(submission), data)

    assert response.status_code == 200
    assert "Enter the reason for rejecting this response" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.PENDING


def test_a_moderator_who_saw_an_old_version_is_told_someone_else_changed_it(moderator_client):
    submission = SubmissionFactory()
    data = form_data(moderator_client.get(moderate_url(submission)))
    moderation.submission_reject(submission=submission, actor=staff_user("Moderators", username="b"), reason="Spammy")
    data.update(decision="approved")

    response = moderator_client.post(moderate_url(submission), data)

    assert response.status_code == 200
    assert "Someone else changed this response while you were looking at it" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED


def test_withholding_an_idea_from_the_moderation_screen(moderator_client):
    submission = SubmissionFactory(call=CallFactory(kind=Call.Kind.IDEAS))
    idea = IdeaFactory(submission=submission, body="Names a child")
    data = form_data(moderator_client.get(moderate_url(submission)))
    data[f"withheld-{idea.pk}"] = "on"

    assert moderator_client.post(moderate_url(submission), data).status_code == 302

    idea.refresh_from_db()
    assert idea.withheld
    assert idea.body == "Names a child"
    assert submission.moderation_events.get().action == ModerationEvent.Action.IDEA_WITHHELD


def test_flagging_from_the_moderation_screen_emails_the_leads(
    moderator_client, settings, django_capture_on_commit_callbacks
):
    settings.SAFEGUARDING_EMAILS = ["lead@example.org"]
    submission = SubmissionFactory()
    data = form_data(moderator_client.get(moderate_url(submission)))
    data.update(flag="on", note="Possible disclosure")

    with django_capture_on_commit_callbacks(execute=True):
        assert moderator_client.post(moderate_url(submission), data).status_code == 302

    assert Submission.objects.get(pk=submission.pk).safeguarding_flag
    send_queued_emails()
    assert len(mail.outbox) == 1


def test_a_moderator_cannot_remove_a_safeguarding_flag(moderator_client):
    submission = SubmissionFactory(safeguarding_flag=True)
    data = form_data(moderator_client.get(moderate_url(submission)))
    data.pop("flag", None)

    moderator_client.post(moderate_url(submission), data)

    assert Submission.objects.get(pk=submission.pk).safeguarding_flag


def test_the_moderation_history_is_shown(moderator_client, moderator):
    submission = SubmissionFactory()
    moderation.submission_approve(submission=submission, actor=moderator, note="Looked fine to me")

    html = moderator_client.get(moderate_url(submission)).content.decode()

    assert "Looked fine to me" in html
    assert moderator.username in html


def test_bulk_approve_and_spam_go_through_the_services(moderator_client, moderator):
    first, second = SubmissionFactory.create_batch(2)

    moderator_client.post(
        reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": [first.pk, second.pk]}
    )

    assert set(Submission.objects.values_list("status", flat=True)) == {"approved"}
    assert ModerationEvent.objects.filter(action="approved", actor=moderator).count() == 2

    moderator_client.post(reverse(CHANGELIST), {"action": "mark_spam_selected", "_selected_action": [first.pk]})

    assert Submission.objects.get(pk=first.pk).status == Submission.Status.SPAM


def test_bulk_reject_asks_for_the_reason_first(moderator_client):
    first, second = SubmissionFactory.create_batch(2)
    selected = {"action": "reject_selected", "_selected_action": [first.pk, second.pk]}

    asking = moderator_client.post(reverse(CHANGELIST), selected)
    assert asking.status_code == 200
    assert "Why are these responses being rejected?" in asking.content.decode()
    assert set(Submission.objects.values_list("status", flat=True)) == {"pending"}

    empty = moderator_client.post(reverse(CHANGELIST), {**selected, "confirm": "yes", "reason": ""})
    assert "Enter the reason for rejecting these responses" in empty.content.decode()

    done = moderator_client.post(reverse(CHANGELIST), {**selected, "confirm": "yes", "reason": "Not about this call"})
    assert done.status_code == 302
    assert set(Submission.objects.values_list("rejection_reason", flat=True)) == {"Not about this call"}
    assert ModerationEvent.objects.filter(action="rejected").count() == 2


def test_nobody_can_add_a_response_in_the_console(client):
    client.force_login(staff_user(superuser=True))

    assert client.get(reverse("admin:submissions_submission_add")).status_code == 403


def test_the_list_shows_the_columns_moderators_need(moderator_client):
    submission = SubmissionFactory(reference="ADVICE-ABC123")
    AttachmentFactory.create_batch(2, submission=submission)

    response = moderator_client.get(reverse(CHANGELIST))

    html = response.content.decode()
    assert "ADVICE-ABC123" in html
    assert "moderation-status--pending" in html
    assert response.context["cl"].result_list[0].attachment_count == 2


def test_the_list_can_be_filtered_by_attachments_and_searched_by_answer_text(moderator_client):
    with_file = SubmissionFactory()
    AttachmentFactory(submission=with_file)
    without = SubmissionFactory()
    AnswerFactory(submission=without, text="kinship carers need support")
    AnswerFactory(submission=without, text="more kinship money")

    filtered = moderator_client.get(reverse(CHANGELIST), {"has_attachments": "yes"})
    searched = moderator_client.get(reverse(CHANGELIST), {"q": "kinship"})
    by_email = moderator_client.get(reverse(CHANGELIST), {"q": without.email})

    assert list(filtered.context["cl"].result_list) == [with_file]
    assert list(searched.context["cl"].result_list) == [without]
    assert list(by_email.context["cl"].result_list) == [without]


def _changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_5_or_50_responses(moderator_client):
    calls = CallFactory.create_batch(2)
    for index in range(5):
        submission = SubmissionFactory(call=calls[index % 2])
        AttachmentFactory(submission=submission)
    five = _changelist_queries(moderator_client)

    for index in range(45):
        submission = SubmissionFactory(call=calls[index % 2])
        AttachmentFactory(submission=submission)
        AnswerFactory(submission=submission)

    assert _changelist_queries(moderator_client) == five


def test_the_safeguarding_queue_lists_flagged_responses_only(client):
    lead = staff_user("Safeguarding leads")
    client.force_login(lead)
    flagged = SubmissionFactory(safeguarding_flag=True)
    SubmissionFactory()

    response = client.get(reverse("admin:submissions_safeguardingqueue_changelist"))

    assert response.status_code == 200
    assert [item.pk for item in response.context["cl"].result_list] == [flagged.pk]


def test_a_safeguarding_lead_can_remove_the_flag_and_it_is_recorded(client):
    lead = staff_user("Safeguarding leads")
    client.force_login(lead)
    submission = SubmissionFactory(safeguarding_flag=True)
    url = moderate_url(submission, "safeguardingqueue")
    data = form_data(client.get(url))
    data.pop("flag", None)
    data["note"] = "Spoke to the young person's social worker"

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse(admin_urlname(SafeguardingQueue._meta, "changelist"))
    submission.refresh_from_db()
    assert not submission.safeguarding_flag
    assert submission.status == Submission.Status.PENDING
    event = submission.moderation_events.get()
    assert (event.actor, event.action) == (lead, "unflagged")


def test_a_whole_reference_finds_that_response_in_any_case(moderator_client):
    wanted = SubmissionFactory(reference="IDEAS-7K3Q-9XPD")
    SubmissionFactory(reference="IDEAS-7K3Q-9XPE")

    response = moderator_client.get(reverse(CHANGELIST), {"q": " ideas-7k3q-9xpd "})

    assert list(response.context["cl"].result_list) == [wanted]


def test_a_word_that_looks_like_a_reference_still_searches_the_answers(moderator_client):
    submission = SubmissionFactory()
    AnswerFactory(submission=submission, text="Support for kinship-care families")

    response = moderator_client.get(reverse(CHANGELIST), {"q": "kinship-care"})

    assert list(response.context["cl"].result_list) == [submission]
