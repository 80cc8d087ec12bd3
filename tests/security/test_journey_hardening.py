"""Hostile input against the response journey's state: what the session keeps, who is shown a confirmation, how much
one client may upload, and how many tokens a form holds. Each rule was broken by a hostile tester on the production
set-up (gunicorn, PostgreSQL, Redis); the session store here is the same cached_db engine.
"""

import datetime
import re
import uuid
from contextlib import nullcontext
from importlib import import_module

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from submissions.journey import SESSION_KEY
from submissions.models import Submission
from tests.security.hostile import ABOUT_OK, answers_ok, snapshot, step_url

pytestmark = pytest.mark.django_db

BIG = 2_300_000  # what the hostile tester sent: just under Django's 2.5 MB body limit
PUBLISH_OK = {"publication": "anonymous", "consent": "on"}
IDEA_OK = {"idea_title_1": "Same worker", "idea_body_1": "Keep one social worker for years."}
VICTIM = {**ABOUT_OK, "name": "Victim Person", "email": "victim.private@example.org"}
COOKIE = django_settings.SESSION_COOKIE_NAME


def good_steps(site, slug):
    evidence = site["evidence"].questions.get()
    return {
        "advice": [("about-you", ABOUT_OK), ("your-answers", answers_ok(site)), ("publishing", PUBLISH_OK)],
        "ideas": [("about-you", ABOUT_OK), ("your-answers", IDEA_OK), ("publishing", PUBLISH_OK)],
        "evidence": [
            ("about-you", ABOUT_OK),
            ("your-answers", {f"q_{evidence.pk}": "Our report on leaving care."}),
            ("files", {"action": "continue"}),
            ("publishing", PUBLISH_OK),
        ],
    }[slug]


def complete(client, site, slug, through=None, about=None):
    """Post good answers to each step of the call, up to and including `through`; return that step's data."""
    for step, data in good_steps(site, slug):
        data = about if (about and step == "about-you") else data
        assert client.post(step_url(site[slug], step), data).status_code == 302, step
        if step == through:
            return data
    return None


def field(site, key):
    return f"q_{site['questions'][key].pk}" if key in site["questions"] else key


def stored(client):
    """(the session row's data, the cached copy): all the server keeps for this visitor between requests."""
    key = client.cookies[COOKIE].value
    row = Session.objects.get(session_key=key).get_decoded()
    cache_key = import_module(django_settings.SESSION_ENGINE).SessionStore(key).cache_key
    return row, caches[django_settings.SESSION_CACHE_ALIAS].get(cache_key)


def texts(value):
    """Every key and string anywhere in a stored session."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)


def assert_no_session(response):
    assert COOKIE not in response.cookies or not response.cookies[COOKIE].value
    assert Session.objects.count() == 0


def followed(client, response, hops=5):
    """The response and the pages its redirects lead to."""
    pages = [response]
    while pages[-1].status_code == 302 and len(pages) <= hops:
        pages.append(client.get(pages[-1].url))
    return pages


def token_on_check_page(client, call):
    check = client.get(step_url(call, "check-your-answers")).content.decode()
    return re.search(r'name="journey_token" value="([^"]+)"', check).group(1)


# Fault 3: the session keeps each step's declared fields, within their limits, once the step is valid ----------------

OVERSIZED = {
    "name-201": ("advice", "about-you", {"name": "n" * 201}, "Your name must be 200 characters or fewer"),
    "name-2.3MB": ("advice", "about-you", {"name": "n" * BIG}, "Your name must be 200 characters or fewer"),
    "email-262": ("advice", "about-you", {"email": "e" * 250 + "@example.org"}, "254 characters or fewer"),
    "organisation-201": (
        "advice",
        "about-you",
        {"respondent_type": "organisation", "organisation_name": "o" * 201},
        "The name of the organisation must be 200 characters or fewer",
    ),
    "long-20001": ("advice", "your-answers", {"long": "x" * 20_001}, "must be 20,000 characters or fewer"),
    "long-2.3MB": ("advice", "your-answers", {"long": "x" * BIG}, "must be 20,000 characters or fewer"),
    "long-21-words": ("advice", "your-answers", {"long": "word " * 21}, "must be 20 words or fewer"),
    "short-501": ("advice", "your-answers", {"short": "y" * 501}, "must be 500 characters or fewer"),
    "choice-2.3MB": ("advice", "your-answers", {"one": "z" * BIG}, "Select one of the answers given for question 3"),
    "publication-2.3MB": ("advice", "publishing", {"publication": "p" * BIG}, "Select whether we can publish"),
    "idea-title-151": ("ideas", "your-answers", {"idea_title_1": "t" * 151}, "150 characters or fewer"),
    "idea-body-20001": ("ideas", "your-answers", {"idea_body_1": "b" * 20_001}, "20,000 characters or fewer"),
}
NOT_SHOWN_BACK = {"one", "publication"}  # radios show the choices offered, never the value sent


@pytest.mark.parametrize(("slug", "step", "change", "message"), OVERSIZED.values(), ids=OVERSIZED.keys())
def test_a_refused_answer_is_shown_back_and_never_kept_in_the_session(client, site, slug, step, change, message):
    good = complete(client, site, slug, through=step)
    before = stored(client)
    response = client.post(step_url(site[slug], step), {**good, **{field(site, k): v for k, v in change.items()}})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html and message in html
    for key, value in change.items():
        if key not in NOT_SHOWN_BACK:
            assert escape(value) in html, f"{key} is not shown back"
    # Neither the session row nor its cached copy changed: the last valid answers are still what Back shows.
    assert stored(client) == before


UNDECLARED = {
    "is-staff": {"is_staff": "on", "is_superuser": "HOSTILE"},
    "status": {"status": "approved", "safeguarding_flag": "HOSTILE"},
    "reference": {"reference": "HOSTILE-AAAA-BBBB"},
    "tokens": {"token": "HOSTILE", "journey_token": str(uuid.uuid4())},
    "journey-keys": {"steps": "HOSTILE", "files": "HOSTILE", "honeypot": "HOSTILE", "idea_slots": "99"},
    "other-question": {"q_999999": "HOSTILE answer to a question of no call"},
    "idea-beyond-slots": {"idea_title_9": "HOSTILE", "idea_body_9": "HOSTILE"},
    "900-fields": {f"field_{n}": "HOSTILE" for n in range(900)},
    "odd-names": {"名前\u202e": "HOSTILE", "q_1\u200b": "HOSTILE", "__proto__": "HOSTILE"},
}
STEPS = {
    "about": ("advice", "about-you", {"respondent_type", "organisation_name", "name", "email"}),
    "answers": ("advice", "your-answers", None),  # the call's question fields
    "publishing": ("advice", "publishing", {"publication", "consent"}),
    "ideas": ("ideas", "your-answers", {"idea_title_1", "idea_body_1"}),
    "files": ("evidence", "files", set()),
}
STEP_KEYS = {"about-you": "about", "your-answers": "answers", "files": "files", "publishing": "publication"}


@pytest.mark.parametrize("extra", UNDECLARED.values(), ids=UNDECLARED.keys())
@pytest.mark.parametrize(("slug", "step", "declared"), STEPS.values(), ids=STEPS.keys())
def test_fields_a_step_does_not_declare_are_never_stored(client, site, slug, step, declared, extra):
    good = complete(client, site, slug, through=step)
    assert client.post(step_url(site[slug], step), {**good, **extra}).status_code == 302
    declared = {field(site, key) for key in site["questions"]} if declared is None else declared
    for session in stored(client):
        journey = session[SESSION_KEY][str(site[slug].pk)]
        assert set(journey["steps"][STEP_KEYS[step]]) <= declared
        assert journey["idea_slots"] == 1 and journey["honeypot"] is False
        assert not [text for text in texts(session) if "HOSTILE" in text]


PADDED = {
    "name-and-2.3MB-of-spaces": ("about-you", "name", "Jo" + " " * BIG, ["Jo"]),
    "answer-in-2.3MB-of-newlines": ("your-answers", "long", "\n" * (BIG // 2) + "Yes." + "\r\n" * 1000, ["Yes."]),
    "a-choice-sent-900-times": ("your-answers", "many", ["Care"] * 900, ["Care"]),
}


@pytest.mark.parametrize(("step", "key", "value", "kept"), PADDED.values(), ids=PADDED.keys())
def test_a_valid_answer_is_kept_as_the_form_cleaned_it_not_as_sent(client, site, step, key, value, kept):
    good = complete(client, site, "advice", through=step)
    assert client.post(step_url(site["advice"], step), {**good, field(site, key): value}).status_code == 302
    for session in stored(client):
        assert session[SESSION_KEY][str(site["advice"].pk)]["steps"][STEP_KEYS[step]][field(site, key)] == kept
        assert max(len(text) for text in texts(session)) < 1000


def test_a_filled_honeypot_is_kept_as_a_mark_not_as_text(client, site):
    call = site["advice"]
    assert client.post(step_url(call, "about-you"), {**ABOUT_OK, "website": "HOSTILE " * 10_000}).status_code == 302
    assert not [text for session in stored(client) for text in texts(session) if "HOSTILE" in text]
    complete(client, site, "advice")
    response = client.post(step_url(call, "submit"), {"journey_token": token_on_check_page(client, call)})
    assert response.status_code == 400 and Submission.objects.count() == 0


NOTHING_TO_STORE_GETS = {
    "start": ("advice", "respond/"),
    "about-you": ("advice", "respond/about-you/"),
    "your-answers": ("advice", "respond/your-answers/"),
    "publishing": ("advice", "respond/publishing/"),
    "check": ("advice", "respond/check-your-answers/"),
    "submit": ("advice", "respond/submit/"),
    "files": ("evidence", "respond/files/"),
    "ideas": ("ideas", "respond/your-answers/"),
    "ideas-change": ("ideas", "respond/about-you/?change=1"),
}


@pytest.mark.parametrize(("slug", "path"), NOTHING_TO_STORE_GETS.values(), ids=NOTHING_TO_STORE_GETS.keys())
def test_a_visit_with_nothing_to_store_creates_no_session(client, site, slug, path):
    response = client.get(f"/calls/{slug}/{path}")
    assert response.status_code in {200, 302}
    assert_no_session(response)


NOTHING_TO_STORE_POSTS = {
    "about-empty": ("about-you", {}),
    "about-refused": ("about-you", {"respondent_type": "astronaut", "is_staff": "on"}),
    "about-2.3MB": ("about-you", {**ABOUT_OK, "name": "n" * BIG}),
    "answers-skipped-ahead": ("your-answers", {"action": "continue", "q_1": "x"}),
    "token-empty": ("submit", {"journey_token": ""}),
    "token-not-a-uuid": ("submit", {"journey_token": "not-a-uuid"}),
    "token-random": ("submit", {"journey_token": str(uuid.uuid4())}),
    "token-braced": ("submit", {"journey_token": "{" + str(uuid.uuid4()) + "}"}),
    "token-10k": ("submit", {"journey_token": "f" * 10_000}),
    "token-twice": ("submit", {"journey_token": [str(uuid.uuid4()), str(uuid.uuid4())]}),
    "token-odd-unicode": ("submit", {"journey_token": "\u202e" + str(uuid.uuid4())}),
}


@pytest.mark.parametrize(("step", "data"), NOTHING_TO_STORE_POSTS.values(), ids=NOTHING_TO_STORE_POSTS.keys())
def test_a_post_with_nothing_to_store_creates_no_session_and_stores_nothing(client, site, settings, step, data):
    before = snapshot(settings)
    response = client.post(step_url(site["advice"], step), data)
    assert response.status_code in {200, 302}
    assert response.status_code == 200 or "confirmation" not in response.url
    assert_no_session(response)
    assert snapshot(settings) == before


def test_add_another_idea_with_an_unfinished_idea_shows_it_back_with_one_idea_more(client, site):
    complete(client, site, "ideas", through="your-answers")
    before = stored(client)[0][SESSION_KEY][str(site["ideas"].pk)]["steps"]
    data = {"idea_title_1": "A new title", "idea_body_1": "", "action": "add_idea"}
    response = client.post(step_url(site["ideas"], "your-answers"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Describe idea 1" in html and 'value="A new title"' in html and 'name="idea_title_2"' in html
    for session in stored(client):
        assert session[SESSION_KEY][str(site["ideas"].pk)]["steps"] == before


ODD = ["\u202e", "\u200b", "\u0301", "\U0001f9f8", "\ufeff", "\u3164", "\U000e0041"]


@pytest.mark.parametrize("char", ODD, ids=[f"U+{ord(c):04X}" for c in ODD])
def test_odd_characters_count_one_each_at_the_limit_and_one_over_is_not_kept(client, site, char):
    good = complete(client, site, "advice", through="your-answers")
    url, short = step_url(site["advice"], "your-answers"), field(site, "short")
    before = stored(client)
    refused = client.post(url, {**good, short: char * 501})
    assert refused.status_code == 200 and "500 characters or fewer" in refused.content.decode()
    assert stored(client) == before
    assert client.post(url, {**good, short: char * 500}).status_code == 302
    assert stored(client)[0][SESSION_KEY][str(site["advice"].pk)]["steps"]["answers"][short] == [char * 500]


# Fault 4: a confirmation is shown only to the session that sent the response ----------------------------------------

OTHER_SESSIONS = ["new", "part-way", "at-check", "sent-its-own", "after-the-call-closed"]


@pytest.mark.parametrize("other_state", OTHER_SESSIONS)
def test_someone_elses_token_never_shows_their_confirmation(site, other_state):
    call = site["advice"]
    victim = Client()
    complete(victim, site, "advice", about=VICTIM)
    token = token_on_check_page(victim, call)
    assert victim.post(step_url(call, "submit"), {"journey_token": token}).url.endswith("/confirmation/")
    secret = Submission.objects.get()
    other = Client()
    if other_state == "part-way":
        complete(other, site, "advice", through="about-you")
    elif other_state in {"at-check", "sent-its-own"}:
        complete(other, site, "advice")
    if other_state == "sent-its-own":
        other.post(step_url(call, "submit"), {"journey_token": token_on_check_page(other, call)})
    closed = other_state == "after-the-call-closed"
    with time_machine.travel(call.closes_at + datetime.timedelta(minutes=1)) if closed else nullcontext():
        pages = followed(other, other.post(step_url(call, "submit"), {"journey_token": token}))
        pages += followed(other, other.get(step_url(call, "confirmation")))
    for page in pages:
        html = page.content.decode()
        assert secret.reference not in html and secret.email not in html and "Victim Person" not in html
    assert Submission.objects.filter(journey_token=token).count() == 1


# Every form on every journey step holds one CSRF token (crispy added a second one beside the template's) -----------


@pytest.mark.parametrize(
    ("slug", "step"),
    [
        ("advice", "about-you"),
        ("advice", "your-answers"),
        ("ideas", "your-answers"),
        ("evidence", "files"),
        ("advice", "publishing"),
    ],
)
def test_every_form_on_every_journey_step_holds_one_csrf_token(client, site, slug, step):
    steps = [name for name, _ in good_steps(site, slug)]
    if step != "about-you":
        complete(client, site, slug, through=steps[steps.index(step) - 1])
    if step == "files":  # a file added, so the page also has its Remove form
        upload = SimpleUploadedFile("notes.txt", b"Some notes.")
        assert client.post(step_url(site[slug], step), {"file": upload, "action": "upload"}).status_code == 302
    html = client.get(step_url(site[slug], step)).content.decode()
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    posted = [form for form in forms if 'method="post"' in form]
    assert len(posted) >= (2 if step == "files" else 1)
    for form in forms:
        assert form.count('name="csrfmiddlewaretoken"') == (1 if form in posted else 0), form[:200]
