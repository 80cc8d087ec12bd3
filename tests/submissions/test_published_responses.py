import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Call
from submissions.models import Answer, Attachment, Idea, Submission
from tests.factories import (
    AnswerFactory,
    AttachmentFactory,
    CallFactory,
    IdeaFactory,
    QuestionFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db

APPROVED = Submission.Status.APPROVED


def responses_url(call):
    return reverse("submissions:published_responses", kwargs={"slug": call.slug})


def approved(call, **kwargs):
    return SubmissionFactory(call=call, status=APPROVED, **kwargs)


@pytest.fixture
def call():
    return CallFactory(slug="call-for-advice")


def test_publishable_needs_approval_no_flag_consent_and_a_call_that_allows_it(call):
    closed_call = CallFactory(responses_may_be_published=False)
    visible = approved(call)
    hidden = [
        SubmissionFactory(call=call),
        SubmissionFactory(call=call, status=Submission.Status.REJECTED, rejection_reason="Off topic"),
        SubmissionFactory(call=call, status=Submission.Status.SPAM),
        approved(call, safeguarding_flag=True),
        approved(call, publication=Submission.Publication.DO_NOT_PUBLISH),
        approved(closed_call),
    ]

    assert list(Submission.objects.publishable()) == [visible]
    assert visible.is_publishable()
    assert not any(submission.is_publishable() for submission in hidden)


def test_only_publishable_responses_are_shown(client, call):
    question = QuestionFactory(call=call, prompt="What would you change?")
    shown = approved(call)
    AnswerFactory(submission=shown, question=question, text="More time with my social worker")
    pending = SubmissionFactory(call=call)
    AnswerFactory(submission=pending, question=question, text="Not moderated yet")
    flagged = approved(call, safeguarding_flag=True)
    AnswerFactory(submission=flagged, question=question, text="A worrying disclosure")
    private = approved(call, publication=Submission.Publication.DO_NOT_PUBLISH)
    AnswerFactory(submission=private, question=question, text="Please keep this private")

    response = client.get(responses_url(call))

    assert response.status_code == 200
    html = response.content.decode()
    assert "More time with my social worker" in html
    for hidden in ("Not moderated yet", "A worrying disclosure", "Please keep this private"):
        assert hidden not in html


def test_names_are_shown_only_as_the_respondent_chose(client, call):
    approved(call, name="Alex Named", publication=Submission.Publication.WITH_NAME)
    approved(call, name="Sam Hidden", publication=Submission.Publication.ANONYMOUS)
    approved(
        call,
        name="Pat Officer",
        respondent_type=Submission.RespondentType.ORGANISATION,
        organisation_name="Care Leavers Together",
        publication=Submission.Publication.WITH_NAME,
    )

    html = client.get(responses_url(call)).content.decode()

    assert "Alex Named" in html
    assert "Care Leavers Together" in html
    assert "Anonymous" in html
    assert "Sam Hidden" not in html
    assert "Pat Officer" not in html


def test_a_name_is_not_shown_once_personal_data_has_been_removed(client, call):
    from django.utils import timezone

    approved(
        call, name="Alex Named", publication=Submission.Publication.WITH_NAME, personal_data_removed_at=timezone.now()
    )

    html = client.get(responses_url(call)).content.decode()

    assert "Alex Named" not in html
    assert "Anonymous" in html


def test_no_email_or_contact_detail_is_ever_on_the_page(client, call):
    submission = approved(
        call, name="Alex Named", email="alex.private@example.org", publication=Submission.Publication.WITH_NAME
    )
    AnswerFactory(submission=submission, text="Something I said")

    html = client.get(responses_url(call)).content.decode()

    assert "alex.private@example.org" not in html
    assert submission.reference not in html
    assert "mailto:" not in html


def test_the_redacted_text_is_shown_and_the_original_is_not(client, call):
    submission = approved(call)
    AnswerFactory(submission=submission, text="My worker Sarah helped", redacted_text="My worker [name removed] helped")

    html = client.get(responses_url(call)).content.decode()

    assert "My worker [name removed] helped" in html
    assert "Sarah" not in html


def test_a_withheld_idea_is_hidden_and_the_others_are_shown(client):
    call = CallFactory(kind=Call.Kind.IDEAS)
    submission = approved(call)
    IdeaFactory(submission=submission, title="Shown idea", body="Let young people choose")
    IdeaFactory(submission=submission, title="Withheld idea", body="Something identifying", withheld=True)
    IdeaFactory(submission=submission, title="Edited idea", body="Ask Mr Jones", redacted_body="Ask [name removed]")

    html = client.get(responses_url(call)).content.decode()

    assert "Shown idea" in html
    assert "Withheld idea" not in html
    assert "Something identifying" not in html
    assert "Ask [name removed]" in html
    assert "Mr Jones" not in html


def test_respondent_text_is_escaped(client, call):
    submission = approved(call)
    AnswerFactory(submission=submission, text='<script>alert("x")</script>')

    html = client.get(responses_url(call)).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_an_unknown_call_is_not_found(client):
    assert client.get("/calls/no-such-call/responses/").status_code == 404


def test_a_call_whose_responses_may_not_be_published_says_so_plainly(client):
    call = CallFactory(responses_may_be_published=False)
    submission = approved(call)
    AnswerFactory(submission=submission, text="Should never appear")

    response = client.get(responses_url(call))

    assert response.status_code == 200
    html = response.content.decode()
    assert "we would not publish the responses" in html
    assert "Should never appear" not in html


def test_responses_are_paginated_twenty_to_a_page(client, call):
    for _ in range(25):
        approved(call)

    first = client.get(responses_url(call))
    second = client.get(responses_url(call), {"page": 2})

    assert len(first.context["responses"]) == 20
    assert len(second.context["responses"]) == 5
    assert "Showing 21 to 25 of 25 responses" in second.content.decode()
    assert client.get(responses_url(call), {"page": 9}).status_code == 404


def test_the_page_has_breadcrumbs_and_a_title(client, call):
    html = client.get(responses_url(call)).content.decode()

    assert 'class="govuk-breadcrumbs"' in html
    assert f"Published responses: {call.title}" in html


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_responses(client, call):
    questions = QuestionFactory.create_batch(3, call=call)
    submission = approved(call)
    for question in questions:
        AnswerFactory(submission=submission, question=question)
    few = _query_count(client, responses_url(call))

    for _ in range(19):
        submission = approved(call)
        for question in questions:
            AnswerFactory(submission=submission, question=question)
        IdeaFactory(submission=submission)

    assert _query_count(client, responses_url(call)) == few


def test_no_database_id_of_a_response_answer_idea_or_attachment_is_on_the_public_page(client):
    """Ids would show how many unpublished responses lie between those shown; positions and slugs show nothing."""
    call = CallFactory(kind=Call.Kind.IDEAS)
    question = QuestionFactory(call=call, pk=4_817_001)
    shown = []
    for n in range(3):
        submission = approved(call, pk=7_301_947 + 1000 * n)
        AnswerFactory(submission=submission, question=question, pk=5_520_113 + n, text=f"Answer {n}")
        IdeaFactory(submission=submission, pk=6_630_227 + n, title=f"Idea {n}")
        AttachmentFactory(submission=submission, pk=8_840_331 + n)
        shown.append(submission)

    html = client.get(responses_url(call)).content.decode()

    assert all(f"Idea {n}" in html for n in range(3))
    for model_ids in (
        [s.pk for s in shown],
        Answer.objects.values_list("pk", flat=True),
        Idea.objects.values_list("pk", flat=True),
        Attachment.objects.values_list("pk", flat=True),
    ):
        for pk in model_ids:
            assert str(pk) not in html, f"database id {pk} is on the public page"
    # Each response is still labelled, by its position in the list.
    assert 'id="response-1-title"' in html and 'id="response-3-title"' in html
