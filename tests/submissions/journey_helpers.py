"""Shared set-up for the response journey tests: calls with every kind of question, and a walk through the steps."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse

from consultations.models import Call, Question
from submissions.journey import SESSION_KEY
from tests.factories import CallFactory, QuestionFactory

ABOUT = {"respondent_type": "care_experienced_adult", "name": "Sam Example", "email": "sam@example.org"}
PUBLICATION = {"publication": "anonymous", "consent": "on"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def url(call, name):
    return reverse(f"submissions:{name}", kwargs={"slug": call.slug})


def make_advice_call(**kwargs):
    """An open call with one question of each kind: short, long (50-word limit), one choice, several choices."""
    call = CallFactory(**kwargs)
    QuestionFactory(
        call=call, position=1, prompt="What is your first name?", answer_type=Question.AnswerType.SHORT_TEXT
    )
    QuestionFactory(
        call=call,
        position=2,
        prompt="What would make the biggest difference?",
        answer_type=Question.AnswerType.LONG_TEXT,
        word_limit=50,
    )
    QuestionFactory(
        call=call,
        position=3,
        prompt="How old were you when you first went into care?",
        answer_type=Question.AnswerType.ONE_CHOICE,
        choices="Under 5\n5 to 11\n12 or older",
    )
    QuestionFactory(
        call=call,
        position=4,
        prompt="Who helped you most?",
        answer_type=Question.AnswerType.MANY_CHOICES,
        choices="A social worker\nA foster carer\nA teacher",
        required=False,
    )
    return call


def make_ideas_call(**kwargs):
    kwargs.setdefault("kind", Call.Kind.IDEAS)
    kwargs.setdefault("idea_word_limit", 20)
    kwargs.setdefault("max_ideas", 3)
    return CallFactory(**kwargs)


def answers_for(call):
    """Valid answers to make_advice_call's questions."""
    q = {question.position: f"q_{question.pk}" for question in call.questions.all()}
    return {
        q[1]: "Sam",
        q[2]: "Keeping the same social worker for more than a year.",
        q[3]: "5 to 11",
        q[4]: ["A social worker", "A teacher"],
    }


def walk_to_check(client, call, *, about=None, answers=None, publication=None):
    """Post every step with valid data (or the given data) and return the check answers page."""
    response = client.post(url(call, "respond_about"), about or ABOUT)
    assert response.status_code == 302, response.content.decode()[:2000]
    if call.is_ideas or call.questions.exists():
        if answers is None:
            answers = (
                {"idea_title_1": "Keep brothers and sisters together", "idea_body_1": "Place siblings together."}
                if call.is_ideas
                else answers_for(call)
            )
        response = client.post(url(call, "respond_answers"), answers)
        assert response.status_code == 302, response.content.decode()[:3000]
    if call.accepts_attachments:
        response = client.post(url(call, "respond_files"), {"action": "continue"})
        assert response.status_code == 302
    response = client.post(url(call, "respond_publication"), publication or PUBLICATION)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == url(call, "respond_check")
    return client.get(url(call, "respond_check"))


def journey_token(client, call):
    return client.session[SESSION_KEY][str(call.pk)]["token"]


def submit(client, call, token=None, **extra):
    return client.post(url(call, "respond_submit"), {"journey_token": token or journey_token(client, call), **extra})


def docx_bytes(folder="word/"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes(mimetype="application/vnd.oasis.opendocument.text"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()
