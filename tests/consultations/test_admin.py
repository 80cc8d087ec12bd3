"""Staff manage calls in the admin: status from the clock, questions in order, dates that make sense."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations.models import Call, Question
from tests.factories import AnswerFactory, CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a long enough password 1")
    client.force_login(user)
    return client


def call_form_data(**overrides):
    """A complete, valid add-call form with no questions."""
    data = {
        "kind": "advice",
        "title": "Call for Advice",
        "slug": "call-for-advice",
        "phase": "diagnosis",
        "summary": "Tell us what to look at first.",
        "audience": "Everyone.",
        "body": "Some words.",
        "opens_at_0": "15/01/2021",
        "opens_at_1": "09:00:00",
        "closes_at_0": "12/02/2021",
        "closes_at_1": "17:00:00",
        "max_ideas": "10",
        "idea_word_limit": "250",
        "responses_may_be_published": "on",
        "retention_days": "",
        "outcome": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_call_list_shows_each_calls_status_from_the_clock(staff_client):
    now = timezone.now()
    CallFactory(title="Running now", opens_at=now - DAY, closes_at=now + DAY)
    CallFactory(title="Not yet", opens_at=now + DAY, closes_at=now + 2 * DAY)
    CallFactory(title="All done", opens_at=now - 2 * DAY, closes_at=now - DAY)

    html = staff_client.get("/admin/consultations/call/").content.decode()

    assert '<td class="field-status">Open</td>' in html
    assert '<td class="field-status">Upcoming</td>' in html
    assert '<td class="field-status">Closed</td>' in html


def test_call_list_gives_opening_and_closing_times_in_uk_style(staff_client):
    CallFactory(
        opens_at=datetime.datetime(2021, 11, 4, 9, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2021, 12, 15, 17, tzinfo=datetime.UTC),
    )

    html = staff_client.get("/admin/consultations/call/").content.decode()

    assert "9am on 4 November 2021" in html
    assert "5pm on 15 December 2021" in html


def test_call_list_filters_by_status_kind_and_phase_and_searches_titles(staff_client):
    now = timezone.now()
    CallFactory(title="Running ideas", kind="ideas", phase="development", opens_at=now - DAY, closes_at=now + DAY)
    CallFactory(title="Finished advice", kind="advice", opens_at=now - 2 * DAY, closes_at=now - DAY)

    def titles(query):
        response = staff_client.get(f"/admin/consultations/call/?{query}")
        return [call.title for call in response.context["cl"].result_list]

    assert titles("status=open") == ["Running ideas"]
    assert titles("status=closed") == ["Finished advice"]
    assert titles("status=upcoming") == []
    assert titles("kind__exact=advice") == ["Finished advice"]
    assert titles("phase__exact=development") == ["Running ideas"]
    assert titles("q=finished") == ["Finished advice"]


def test_call_form_explains_a_closing_time_before_the_opening_time(staff_client):
    response = staff_client.post(
        "/admin/consultations/call/add/", call_form_data(closes_at_0="14/01/2021", closes_at_1="17:00:00")
    )

    assert response.status_code == 200
    assert "The closing time must be after the opening time" in response.content.decode()
    assert not Call.objects.exists()


def test_staff_can_add_a_call_with_questions_in_the_order_they_choose(staff_client):
    data = call_form_data(
        **{
            "questions-TOTAL_FORMS": "2",
            "questions-0-position": "2",
            "questions-0-prompt": "Asked second",
            "questions-0-answer_type": "long_text",
            "questions-0-required": "on",
            "questions-1-position": "1",
            "questions-1-prompt": "Asked first",
            "questions-1-answer_type": "short_text",
        }
    )
    response = staff_client.post("/admin/consultations/call/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    call = Call.objects.get(slug="call-for-advice")
    assert [q.prompt for q in call.questions.all()] == ["Asked first", "Asked second"]
    assert timezone.localtime(call.opens_at).hour == 9


def test_change_page_lists_questions_by_position_with_position_editable(staff_client):
    call = CallFactory()
    QuestionFactory(call=call, position=2, prompt="Second question")
    QuestionFactory(call=call, position=1, prompt="First question")

    html = staff_client.get(f"/admin/consultations/call/{call.pk}/change/").content.decode()

    assert html.index("First question") < html.index("Second question")
    assert 'name="questions-0-position"' in html
    assert 'id="id_slug"' in html and "prepopulated" in html


def test_staff_cannot_delete_a_question_someone_has_answered(staff_client):
    answer = AnswerFactory()
    call, question = answer.submission.call, answer.question
    data = call_form_data(
        title=call.title,
        slug=call.slug,
        opens_at_0=timezone.localtime(call.opens_at).strftime("%d/%m/%Y"),
        opens_at_1=timezone.localtime(call.opens_at).strftime("%H:%M:%S"),
        closes_at_0=timezone.localtime(call.closes_at).strftime("%d/%m/%Y"),
        closes_at_1=timezone.localtime(call.closes_at).strftime("%H:%M:%S"),
        **{
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-0-id": str(question.pk),
            "questions-0-call": str(call.pk),
            "questions-0-position": str(question.position),
            "questions-0-prompt": question.prompt,
            "questions-0-answer_type": question.answer_type,
            "questions-0-required": "on",
            "questions-0-DELETE": "on",
        },
    )

    response = staff_client.post(f"/admin/consultations/call/{call.pk}/change/", data)

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_questions_are_added_on_their_call_s_page_not_on_a_page_of_their_own(admin_client):
    assert admin_client.get("/admin/consultations/question/add/").status_code == 403
