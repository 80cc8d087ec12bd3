import pytest

from consultations.models import Call, Question
from tests.factories import CallFactory, PostFactory, QuestionFactory
from tests.scale.processes import Gunicorn, Site


@pytest.fixture
def site(db, settings):
    settings.RESPONSE_RATE_LIMIT = "10000/h"
    advice = CallFactory(slug="advice", title="Call for Advice", kind=Call.Kind.ADVICE)
    questions = {
        "long": QuestionFactory(call=advice, prompt="What would you change?", word_limit=20),
        "short": QuestionFactory(call=advice, prompt="Your area", answer_type=Question.AnswerType.SHORT_TEXT),
        "one": QuestionFactory(
            call=advice,
            prompt="How old are you?",
            answer_type=Question.AnswerType.ONE_CHOICE,
            choices="Under 18\n18 to 25\nOver 25",
        ),
        "many": QuestionFactory(
            call=advice,
            prompt="Which parts?",
            answer_type=Question.AnswerType.MANY_CHOICES,
            choices="Early help\nCare",
            required=False,
        ),
    }
    evidence = CallFactory(slug="evidence", kind=Call.Kind.EVIDENCE, accepts_attachments=True)
    QuestionFactory(call=evidence, prompt="What evidence should we see?")
    ideas = CallFactory(slug="ideas", kind=Call.Kind.IDEAS, idea_word_limit=20, max_ideas=3)
    closed = CallFactory(
        slug="closed",
        opens_at=advice.opens_at.replace(year=2021),
        closes_at=advice.opens_at.replace(year=2021) + (advice.closes_at - advice.opens_at),
    )
    QuestionFactory(call=closed)
    upcoming = CallFactory(
        slug="upcoming", opens_at=advice.closes_at, closes_at=advice.closes_at + (advice.closes_at - advice.opens_at)
    )
    PostFactory(slug="news-one")
    return {
        "advice": advice,
        "questions": questions,
        "evidence": evidence,
        "ideas": ideas,
        "closed": closed,
        "upcoming": upcoming,
    }


@pytest.fixture(scope="module")
def gunicorn_site(tmp_path_factory):
    """A migrated, empty site on its own SQLite file, for gunicorn started for real (tests/scale's harness)."""
    site = Site(tmp_path_factory.mktemp("gunicorn"), DJANGO_SETTINGS_MODULE="review_site.settings.test")
    site.manage("migrate", "--noinput", "-v0")
    site.manage("createcachetable")
    yield site
    site.stop()


@pytest.fixture(scope="module")
def gunicorn_url(gunicorn_site):
    """gunicorn with the project's gunicorn.conf.py (its request limits), one worker."""
    server = Gunicorn(gunicorn_site.env, gunicorn_site.folder / "web.log", workers=1)
    gunicorn_site.servers.append(server)
    return server.start()
