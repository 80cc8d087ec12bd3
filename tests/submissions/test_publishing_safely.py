"""Publishing safely: personal data is pointed out before a moderator misses it, removed in one click, and never
published or exported by mistake."""

import csv
import io

import pytest
from django.urls import reverse

from consultations.models import Call
from submissions.models import ExportRecord, ModerationEvent, PersonalDataKept, Submission
from submissions.privacy import fingerprint
from submissions.services import moderation
from tests.factories import AnswerFactory, CallFactory, IdeaFactory, SubmissionFactory

from .staff import staff_user
from .test_admin_console import form_data, moderate_url

pytestmark = pytest.mark.django_db

RING_JANET = "Ring Mrs Janet Smith at 07700 900123 about the meeting."


@pytest.fixture
def moderator():
    return staff_user("Moderators")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def public_field(answer):
    return f"public-answer-{answer.pk}"


def test_the_public_version_starts_with_every_finding_replaced_by_its_placeholder(moderator_client):
    answer = AnswerFactory(text=RING_JANET)

    form = moderator_client.get(moderate_url(answer.submission)).context["form"]

    assert form[public_field(answer)].value() == "Ring [name removed] at [phone number removed] about the meeting."


def test_each_finding_is_highlighted_in_place_with_its_kind_and_everything_else_escaped(moderator_client):
    answer = AnswerFactory(text="<script>alert(1)</script> My social worker Sarah said <b>no</b>.")

    html = moderator_client.get(moderate_url(answer.submission)).content.decode()

    assert '<mark class="pd" id="answer-' in html
    assert 'Sarah<span class="pd-kind"> (name)</span></mark>' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_odd_unicode_is_highlighted_at_the_right_place(moderator_client):
    answer = AnswerFactory(text="\u200f\u200dEmoji 🙂🙂 then call 07700 900123\u200e ok")

    html = moderator_client.get(moderate_url(answer.submission)).content.decode()

    assert '07700 900123<span class="pd-kind"> (phone number)</span></mark>' in html


def test_a_response_cannot_be_approved_while_a_finding_is_neither_removed_nor_kept(moderator_client):
    answer = AnswerFactory(text=RING_JANET)
    submission = answer.submission
    data = form_data(moderator_client.get(moderate_url(submission)))
    data.update(decision="approved", **{public_field(answer): RING_JANET})

    response = moderator_client.post(moderate_url(submission), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "was not approved: 2 possible personal details" in html
    assert RING_JANET in html, "the moderator's own edit is shown back, not lost"
    submission.refresh_from_db()
    answer.refresh_from_db()
    assert submission.status == Submission.Status.PENDING
    assert answer.redacted_text == "", "nothing of a refused save is kept"


def test_with_the_placeholders_kept_the_response_is_approved_and_the_public_page_shows_them(client, moderator):
    answer = AnswerFactory(text=RING_JANET)
    submission = answer.submission
    client.force_login(moderator)
    data = form_data(client.get(moderate_url(submission)))
    data.update(decision="approved")

    assert client.post(moderate_url(submission), data).status_code == 302

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    client.logout()
    page = client.get(reverse("submissions:published_responses", args=[submission.call.slug])).content.decode()
    assert "Ring [name removed] at [phone number removed] about the meeting." in page
    assert "Janet" not in page and "07700" not in page


def test_keeping_a_finding_as_written_lets_it_be_published_and_records_who_decided(moderator_client, moderator):
    answer = AnswerFactory(text="The Children's Commissioner Anne Longfield visited our home.")
    submission = answer.submission
    page = moderator_client.get(moderate_url(submission))
    findings = page.context["form"].blocks[0].findings
    assert [f.text for f in findings] == ["Anne Longfield"]
    data = form_data(page)
    data.update(decision="approved", **{f"keep-answer-{answer.pk}-0": "on", public_field(answer): answer.text})

    assert moderator_client.post(moderate_url(submission), data).status_code == 302

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    kept = PersonalDataKept.objects.get()
    assert (kept.actor, kept.kind, kept.text_hash) == (moderator, "person_name", fingerprint("Anne Longfield"))
    event = submission.moderation_events.get(action=ModerationEvent.Action.KEPT)
    assert event.actor == moderator
    assert "Anne Longfield" not in event.note, "the audit names the decision, not the detail"


def test_without_javascript_the_public_versions_are_rebuilt_from_the_keep_boxes_and_nothing_is_saved(moderator_client):
    answer = AnswerFactory(text=RING_JANET)
    data = form_data(moderator_client.get(moderate_url(answer.submission)))
    data.update(action="update", **{f"keep-answer-{answer.pk}-0": "on"})

    response = moderator_client.post(moderate_url(answer.submission), data)

    assert response.status_code == 200
    assert response.context["form"][public_field(answer)].value() == (
        "Ring Mrs Janet Smith at [phone number removed] about the meeting."
    )
    assert not PersonalDataKept.objects.exists()


def test_idea_titles_get_a_public_version_and_the_public_page_uses_it(moderator_client, client):
    submission = SubmissionFactory(call=CallFactory(kind=Call.Kind.IDEAS))
    idea = IdeaFactory(submission=submission, title="Listen to Kayleigh", body="Let young people choose.")
    data = form_data(moderator_client.get(moderate_url(submission)))
    assert data[f"public-idea-title-{idea.pk}"] == "Listen to [name removed]"
    data.update(decision="approved")

    assert moderator_client.post(moderate_url(submission), data).status_code == 302

    idea.refresh_from_db()
    assert (idea.title, idea.redacted_title) == ("Listen to Kayleigh", "Listen to [name removed]")
    page = client.get(reverse("submissions:published_responses", args=[submission.call.slug])).content.decode()
    assert "Listen to [name removed]" in page and "Kayleigh" not in page


def test_a_response_the_respondent_asked_not_to_publish_is_approved_without_the_check(moderator):
    answer = AnswerFactory(text=RING_JANET, submission__publication=Submission.Publication.DO_NOT_PUBLISH)

    moderation.submission_approve(submission=answer.submission, actor=moderator)

    assert Submission.objects.get(pk=answer.submission.pk).status == Submission.Status.APPROVED


def test_a_withheld_idea_does_not_hold_up_approval(moderator):
    submission = SubmissionFactory(call=CallFactory(kind=Call.Kind.IDEAS))
    IdeaFactory(submission=submission, body=RING_JANET, withheld=True)

    moderation.submission_approve(submission=submission, actor=moderator)

    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.APPROVED


def test_bulk_approval_skips_a_response_with_details_to_check_and_says_which(moderator_client):
    clean = AnswerFactory(text="More time with the same worker.").submission
    risky = AnswerFactory(text=RING_JANET).submission

    response = moderator_client.post(
        "/admin/submissions/submission/",
        {"action": "approve_selected", "_selected_action": [clean.pk, risky.pk]},
        follow=True,
    )

    assert Submission.objects.get(pk=clean.pk).status == Submission.Status.APPROVED
    assert Submission.objects.get(pk=risky.pk).status == Submission.Status.PENDING
    assert f"{risky.reference} was not approved" in response.content.decode()


def test_next_pending_walks_the_chosen_call_oldest_first(moderator_client):
    call, other = CallFactory(), CallFactory()
    first = SubmissionFactory(call=call, submitted_at="2021-03-01T10:00:00Z")
    second = SubmissionFactory(call=call, submitted_at="2021-03-02T10:00:00Z")
    SubmissionFactory(call=other, submitted_at="2021-02-01T10:00:00Z")

    start = moderator_client.get(reverse("admin:submissions_submission_next_pending"), {"call": call.pk})
    assert start["Location"] == moderate_url(first) + f"?call={call.pk}"

    data = form_data(moderator_client.get(start["Location"]))
    data.update(decision="spam", action="save_next")
    after = moderator_client.post(start["Location"], data)
    assert after["Location"] == moderate_url(second) + f"?call={call.pk}"

    data = form_data(moderator_client.get(after["Location"]))
    data.update(decision="spam", action="save_next")
    done = moderator_client.post(after["Location"], data, follow=True)
    assert "No responses are waiting for moderation in this call." in done.content.decode()


def test_the_list_offers_next_pending_for_the_filtered_call(moderator_client):
    call = CallFactory()
    html = moderator_client.get("/admin/submissions/submission/", {"call__id__exact": call.pk}).content.decode()
    assert f"/admin/submissions/submission/next-pending/?call={call.pk}" in html


# Exports ---------------------------------------------------------------------------------------------------------


def export(client, personal):
    response = client.get("/admin/submissions/submission/export/", {"format": "csv", "personal": personal})
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_export_without_personal_data_holds_none_of_the_redacted_strings_nor_a_withheld_idea(
    moderator_client, moderator
):
    submission = SubmissionFactory(call=CallFactory(kind=Call.Kind.IDEAS), name="Janet Respondent")
    AnswerFactory(submission=submission, text=RING_JANET, redacted_text="Ring [name removed] about the meeting.")
    IdeaFactory(submission=submission, position=1, title="Keep siblings together", body="Visits every week.")
    IdeaFactory(submission=submission, position=2, title="Secret", body="Names my brother Jake", withheld=True)
    # A detail nobody redacted: the check replaces it in the file and counts it.
    IdeaFactory(submission=submission, position=3, title="Call me", body="Text me on 07700 900456 please")

    rows = export(moderator_client, "0")
    text = "\n".join(",".join(row) for row in rows)

    for secret in ("Janet", "07700 900123", "Secret", "Jake", "07700 900456", submission.email):
        assert secret not in text
    assert "Ring [name removed] about the meeting." in text
    assert "Text me on [phone number removed] please" in text
    assert rows[-1] == ["Possible personal details found by the check and replaced in this file: 1"]
    record = ExportRecord.objects.get()
    assert (record.actor, record.personal, record.rows, record.details_replaced) == (moderator, False, 1, 1)


def test_every_export_with_personal_data_is_recorded_and_listed_for_administrators(moderator_client, moderator, client):
    SubmissionFactory.create_batch(3, call=CallFactory(slug="advice"))
    call_id = Submission.objects.first().call_id

    moderator_client.get(
        "/admin/submissions/submission/export/", {"format": "csv", "personal": "1", "call__id__exact": call_id}
    ).getvalue()

    record = ExportRecord.objects.get()
    assert (record.actor, record.personal, record.file_format, record.rows) == (moderator, True, "csv", 3)
    assert f"call__id__exact={call_id}" in record.filters
    client.force_login(staff_user(superuser=True, username="boss"))
    listing = client.get(reverse("admin:submissions_exportrecord_changelist")).content.decode()
    assert moderator.username in listing


# Safeguarding cannot go silent ---------------------------------------------------------------------------------


def test_safeguarding_alerts_go_to_active_leads_with_an_email_and_the_settings_list(settings):
    from submissions.services.safeguarding import safeguarding_recipients

    settings.SAFEGUARDING_EMAILS = ["duty@example.org"]
    staff_user("Safeguarding leads", username="lead", email="Lead@Example.org")
    staff_user("Safeguarding leads", username="no-email")
    gone = staff_user("Safeguarding leads", username="gone", email="gone@example.org")
    gone.is_active = False
    gone.save()

    assert safeguarding_recipients() == ["duty@example.org", "Lead@example.org"]


def test_with_no_safeguarding_lead_the_deploy_check_warns(settings):
    from submissions.checks import safeguarding_leads_are_set_up

    settings.SAFEGUARDING_EMAILS = []
    assert [w.id for w in safeguarding_leads_are_set_up()] == ["submissions.W001"]
    staff_user("Safeguarding leads", username="lead", email="lead@example.org")
    assert safeguarding_leads_are_set_up() == []


def test_with_no_safeguarding_lead_every_staff_page_shows_a_red_banner(moderator_client, settings):
    settings.SAFEGUARDING_EMAILS = []
    assert "No safeguarding lead is set up." in moderator_client.get("/admin/").content.decode()
    staff_user("Safeguarding leads", username="lead", email="lead@example.org")
    assert "No safeguarding lead is set up." not in moderator_client.get("/admin/").content.decode()


def test_flagging_with_no_lead_says_on_screen_that_nobody_was_told_and_the_alert_keeps_trying(
    moderator_client, settings, django_capture_on_commit_callbacks
):
    from outbox.models import EmailJob
    from tests.worker import send_queued_emails

    settings.SAFEGUARDING_EMAILS = []
    submission = SubmissionFactory()
    data = form_data(moderator_client.get(moderate_url(submission)))
    data.update(flag="on")

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(moderate_url(submission), data, follow=True)

    assert "nobody was told" in response.content.decode()
    send_queued_emails()
    job = EmailJob.objects.get(kind="safeguarding_alert")
    assert job.status == EmailJob.Status.READY and job.attempts == 1
    assert "nobody was told" in job.last_error


@pytest.mark.parametrize(
    "text",
    [
        "x" * 20_000,
        ("My social worker Sarah moved on. " * 600)[:20_000],
        "**Sarah** said [call me](tel:07700900123) <i>now</i> # heading\n> quote",
        "\u202eSarah\u202c \u200d\u200d 07700\u00a0900123 \U0001f600" * 50,
    ],
    ids=["20k-plain", "20k-names", "markdown-html", "bidi-zwj-emoji"],
)
def test_odd_and_huge_answers_are_highlighted_without_failing_and_stay_escaped(moderator_client, text):
    answer = AnswerFactory(text=text)

    response = moderator_client.get(moderate_url(answer.submission))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<i>now</i>" not in html
    block = response.context["form"].blocks[0]
    assert all(text[f.start : f.end] == f.text for f in block.findings)


def test_administrators_read_the_export_audit_and_nobody_can_change_it(client):
    admin_user = staff_user("Administrators", username="administrator")
    client.force_login(admin_user)

    assert client.get(reverse("admin:submissions_exportrecord_changelist")).status_code == 200
    assert admin_user.has_perm("submissions.view_exportrecord")
    assert client.get(reverse("admin:submissions_exportrecord_add")).status_code == 403
