"""Hostile and broken input on every public form and address: always a 4xx or a page with an error summary,
never a 5xx, and nothing stored.

Journey steps keep their progress in the session only; the database is written once, by Submit. So "nothing
stored" is checked by counting every table a visitor can write to, and the files in private storage, before
and after each case.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from consultations.models import Call
from submissions.models import Answer, Attachment, Submission
from tests.factories import SubmissionFactory
from tests.security.hostile import (
    ABOUT_OK,
    ESCAPED,
    SCRIPT,
    answers_ok,
    private_files,
    snapshot,
    step_url,
    walk,
)


def assert_refused(response, *, summary=None):
    """A 4xx, or a 200 page that explains the problem in a GOV.UK error summary; never a 5xx."""
    status = response.status_code
    assert status < 500, f"answered {status}"
    if status < 400:
        html = response.content.decode(errors="replace")
        assert 'class="govuk-error-summary"' in html, f"answered {status} with no error summary"
        assert "<title>Error: " in html
        if summary:
            assert summary in html, f"the error summary does not say {summary!r}"


# 1. Addresses and query strings -------------------------------------------------------------------------------

BAD_GETS = [
    ("/search/?q=%00", {400}),
    ("/search/?q=care%00leavers", {400}),
    ("/search/?q=%FF%FE%FD", {200}),
    ("/search/?q=%C0%AF..%C0%AF", {200}),
    ("/search/?q=" + "a" * 20_000, {200}),
    ("/search/?q=" + "word+" * 500, {200}),
    ("/search/?q=a&q=b&q=%00", {400}),
    ("/search/?q=%27%3B+DROP+TABLE+pages_post%3B--", {200}),
    ("/search/?q=%5C%22%27%25_%2A", {200}),
    ("/news/?page=abc", {404}),
    ("/news/?page=-1", {404}),
    ("/news/?page=999999999999999999999", {404}),
    ("/news/?page=%00", {400}),
    ("/news/%FF%FE/", {404}),
    ("/news/%00/", {404}),
    ("/news/..%2F..%2Fetc%2Fpasswd/", {404}),
    ("/calls/%FF/", {404}),
    ("/calls/no-such-call/", {404}),
    ("/calls/no-such-call/respond/", {404}),
    ("/calls/no-such-call/responses/", {404}),
    ("/calls/advice/responses/?page=zzz", {404}),
    ("/%E2%80%AE%FF/", {404}),
    ("/static/..%2F..%2Freview_site%2Fsettings%2Fbase.py", {404}),
    ("/updates/confirm/not-a-token/", {400}),
    ("/updates/confirm/%00%FF/", {400, 404}),
    ("/updates/unsubscribe/" + "A" * 5000 + "/", {400}),
    ("/sitemap.xml?p=abc", {404}),
    ("/sitemap.xml?p=%00", {400}),
    ("/news/feed/?%00=%FF", {400}),
    ("/admin-files/attachments/1/", {302, 403, 404}),
    ("/admin-files/attachments/99999999999999999999/", {302, 403, 404}),
]


@pytest.mark.parametrize(("path", "allowed"), BAD_GETS, ids=[p[:60] for p, _ in BAD_GETS])
def test_hostile_addresses_are_answered_without_a_server_error(client, site, settings, path, allowed):
    before = snapshot(settings)
    response = client.get(path)
    assert response.status_code in allowed, f"{path[:80]} answered {response.status_code}"
    assert snapshot(settings) == before


def test_search_shows_a_hostile_query_escaped(client, site):
    response = client.get("/search/", {"q": SCRIPT})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert ESCAPED in html


def test_a_bad_host_header_is_refused(client, site):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_huge_header_values_do_not_break_the_site(client, site):
    big = "x" * 200_000
    for path in ["/", "/search/?q=x", "/calls/advice/"]:
        response = client.get(path, HTTP_X_HUGE=big, HTTP_USER_AGENT=big, HTTP_REFERER="http://" + big)
        assert response.status_code == 200, path


def test_unsupported_methods_are_refused(client, site, settings):
    before = snapshot(settings)
    for method, path in [("put", "/updates/"), ("delete", "/search/"), ("patch", "/calls/advice/respond/about-you/")]:
        response = getattr(client, method)(
            path, data="email=jo%40example.org", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in {400, 403, 405}, (method, path, response.status_code)
    assert snapshot(settings) == before


# 2. The email updates form -----------------------------------------------------------------------------------

BAD_EMAILS = [
    ("", "Enter your email address"),
    ("not-an-email", "Enter an email address in the correct format"),
    (SCRIPT + "@example.org", "Enter an email address in the correct format"),
    ("jo\x00@example.org", "Enter an email address in the correct format"),
    ("a" * 100_000 + "@example.org", None),
    ("jo@example.org\r\nBcc: everyone@example.org", "Enter an email address in the correct format"),
]


@pytest.mark.parametrize(("email", "message"), BAD_EMAILS, ids=["empty", "no-at", "script", "nul", "100k", "crlf"])
def test_the_updates_form_refuses_bad_addresses_and_stores_nothing(client, site, settings, email, message):
    before = snapshot(settings)
    response = client.post("/updates/", {"email": email})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    if message:
        assert message in html
    assert "<script>alert" not in html
    assert snapshot(settings) == before


def test_a_post_without_a_csrf_token_is_refused(site, settings):
    before = snapshot(settings)
    client = Client(enforce_csrf_checks=True)
    for path, data in [("/updates/", {"email": "jo@example.org"}), (step_url(site["advice"], "about-you"), ABOUT_OK)]:
        response = client.post(path, data)
        assert response.status_code == 403, path
    assert snapshot(settings) == before


def test_a_csrf_token_replayed_from_another_visitor_is_refused(site, settings):
    before = snapshot(settings)
    other = Client(enforce_csrf_checks=True)
    page = other.get("/updates/").content.decode()
    stolen = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    attacker = Client(enforce_csrf_checks=True)
    attacker.get("/updates/")  # the attacker's own cookie, which the stolen token does not match
    response = attacker.post("/updates/", {"email": "jo@example.org", "csrfmiddlewaretoken": stolen})
    assert response.status_code == 403
    forged = attacker.post("/updates/", {"email": "jo@example.org", "csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403
    assert snapshot(settings) == before


# 3. The response journey -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select which of these best describes you"),
        ({"respondent_type": "alien"}, "Select which of these best describes you"),
        ({"respondent_type": "organisation"}, "Enter the name of the organisation"),
        ({**ABOUT_OK, "email": "jo-at-example"}, "Enter an email address in the correct format"),
        ({**ABOUT_OK, "email": "jo@example.org\nBcc: x@example.org"}, "Enter an email address in the correct format"),
        ({**ABOUT_OK, "name": "x" * 100_000}, "Your name must be 200 characters or fewer"),
        ({**ABOUT_OK, "name": "Jo\x00Bloggs"}, "must not contain hidden control characters"),
        ({**ABOUT_OK, "respondent_type": ["care_experienced_adult", "other"], "email": SCRIPT}, None),
    ],
    ids=[
        "empty",
        "unknown-choice",
        "organisation-unnamed",
        "bad-email",
        "email-header-injection",
        "100k-name",
        "nul",
        "script-email",
    ],
)
def test_about_you_refuses_bad_answers(client, site, settings, data, message):
    before = snapshot(settings)
    response = client.post(step_url(site["advice"], "about-you"), data)
    assert_refused(response, summary=message)
    assert SCRIPT not in response.content.decode()
    assert snapshot(settings) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"long": ""}, "Enter your answer to question 1"),
        ({"long": "   \n\t  "}, "Enter your answer to question 1"),
        ({"long": "word " * 21}, "must be 20 words or fewer"),
        ({"long": "x" * 100_000}, "must be 20,000 characters or fewer"),
        ({"long": "Fine\x00answer"}, "must not contain hidden control characters"),
        ({"short": "y" * 501}, "must be 500 characters or fewer"),
        ({"one": "Over 90"}, "Select one of the answers given for question 3"),
        ({"one": ""}, "Select an answer to question 3"),
        ({"many": "Not a choice"}, "Select only the answers given for question 4"),
    ],
    ids=[
        "empty",
        "blank",
        "too-many-words",
        "100k",
        "nul",
        "short-too-long",
        "unknown-choice",
        "no-choice",
        "unknown-many",
    ],
)
def test_your_answers_refuses_bad_answers(client, site, settings, change, message):
    walk(client, site, until="your-answers")
    data = answers_ok(site)
    for key, value in change.items():
        data[f"q_{site['questions'][key].pk}"] = value
    before = snapshot(settings)
    response = client.post(step_url(site["advice"], "your-answers"), data)
    assert_refused(response, summary=message)
    assert snapshot(settings) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "continue"}, "Enter a title for idea 1"),
        ({"action": "continue", "idea_title_1": "T", "idea_body_1": "word " * 21}, "Idea 1 must be 20 words or fewer"),
        ({"action": "continue", "idea_title_1": "t" * 151, "idea_body_1": "ok"}, "150 characters or fewer"),
        ({"action": "remove_idea_-5", "idea_title_1": "T"}, None),
        ({"action": "remove_idea_%00", "idea_title_1": "T"}, None),
        ({"action": "add_idea" * 1000}, None),
    ],
    ids=["empty-idea", "idea-too-many-words", "idea-title-too-long", "remove-negative", "remove-nul", "odd-action"],
)
def test_ideas_refuse_bad_input(client, site, settings, data, message):
    call = site["ideas"]
    assert client.post(step_url(call, "about-you"), ABOUT_OK).status_code == 302
    before = snapshot(settings)
    response = client.post(step_url(call, "your-answers"), data)
    if message:
        assert_refused(response, summary=message)
    else:
        assert response.status_code in {200, 302}
        assert client.get(step_url(call, "your-answers")).status_code == 200
    assert snapshot(settings) == before


def test_adding_ideas_stops_at_the_limit(client, site):
    call = site["ideas"]
    client.post(step_url(call, "about-you"), ABOUT_OK)
    for _ in range(20):
        client.post(step_url(call, "your-answers"), {"action": "add_idea"})
    html = client.get(step_url(call, "your-answers")).content.decode()
    assert 'name="idea_title_3"' in html and 'name="idea_title_4"' not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"consent": "on"}, "Select whether we can publish your response"),
        ({"publication": "to-everyone", "consent": "on"}, "Select whether we can publish your response"),
        ({"publication": "anonymous"}, "Confirm that you have read the privacy notice"),
    ],
    ids=["no-choice", "unknown-choice", "no-consent"],
)
def test_publishing_refuses_bad_answers(client, site, settings, data, message):
    walk(client, site, until="publishing")
    before = snapshot(settings)
    assert_refused(client.post(step_url(site["advice"], "publishing"), data), summary=message)
    assert snapshot(settings) == before


def evidence_at_files(client, site):
    call = site["evidence"]
    question = call.questions.get()
    assert client.post(step_url(call, "about-you"), ABOUT_OK).status_code == 302
    assert (
        client.post(step_url(call, "your-answers"), {"action": "continue", f"q_{question.pk}": "See files"}).status_code
        == 302
    )
    return step_url(call, "files")


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500, "application/pdf", "is not a real PDF file"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 500, "application/octet-stream", "must be a PDF"),
        ("notes.txt", b"MZ\x90\x00\x00\x00binary", "text/plain", "is not a real TXT file"),
        ("page.html", b"<html><script>alert(1)</script></html>", "text/plain", "must be a PDF"),
        ("report.docx", b"PK\x03\x04 not really a zip", "application/pdf", "is not a real DOCX file"),
        ("empty.txt", b"", "text/plain", "is empty"),
        ("report.pdf.exe", b"%PDF-1.4 fake", "application/pdf", "must be a PDF"),
        ("big.txt", b"x" * 2048, "text/plain", "must be smaller than"),
    ],
    ids=["renamed-exe", "exe", "binary-as-txt", "html", "fake-docx", "empty", "double-extension", "too-big"],
)
def test_the_files_step_refuses_bad_files_and_keeps_none(client, site, settings, name, content, content_type, message):
    settings.RESPONSE_MAX_ATTACHMENT_BYTES = 1024
    url = evidence_at_files(client, site)
    before = snapshot(settings)
    upload = SimpleUploadedFile(name, content, content_type)
    response = client.post(url, {"action": "upload", "file": upload})
    assert_refused(response, summary=message)
    assert snapshot(settings) == before


def test_a_path_traversal_file_name_is_kept_inside_private_storage_under_a_plain_name(client, site, settings):
    url = evidence_at_files(client, site)
    upload = SimpleUploadedFile("../../../../etc/cron.d/evil.txt", b"Plain words.\n", "text/plain")
    response = client.post(url, {"action": "upload", "file": upload})
    assert response.status_code == 302
    [stored] = private_files()
    assert ".." not in stored and "evil" not in stored and "cron" not in stored, stored
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    assert not (root.parent / "etc").exists() and not Path("/etc/cron.d/evil.txt").exists()
    html = client.get(url).content.decode()
    assert "evil.txt" in html and "../" not in html and "cron.d" not in html


def test_101_files_in_one_upload_are_refused(client, site, settings):
    url = evidence_at_files(client, site)
    before = snapshot(settings)
    files = [SimpleUploadedFile(f"f{i}.txt", b"words\n", "text/plain") for i in range(101)]
    response = client.post(url, {"action": "upload", "file": files})
    assert response.status_code == 400
    assert snapshot(settings) == before


def test_a_forged_request_content_type_is_not_taken_as_a_form(client, site, settings):
    url = evidence_at_files(client, site)
    before = snapshot(settings)
    for content_type, body in [
        ("application/json", '{"action": "upload", "file": "x"}'),
        ("multipart/form-data; boundary=nope", '--wrong\r\nContent-Disposition: form-data; name="file"\r\n\r\nx'),
        ("multipart/form-data", "no boundary at all"),
        ("text/plain", "action=continue"),
    ]:
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code < 500, content_type
        if response.status_code < 400:
            assert response.status_code == 302 or 'class="govuk-error-summary"' in response.content.decode()
    assert Attachment.objects.count() == before["Attachment"] and snapshot(settings)["files"] == before["files"]


def test_skipped_steps_send_the_respondent_back_and_store_nothing(client, site, settings):
    call = site["advice"]
    before = snapshot(settings)
    for step in ["your-answers", "publishing", "check-your-answers"]:
        response = client.get(step_url(call, step))
        assert response.status_code == 302 and response["Location"].endswith("/about-you/"), step
    response = client.post(step_url(call, "publishing"), {"publication": "anonymous", "consent": "on"})
    assert response.status_code == 302 and response["Location"].endswith("/about-you/")
    response = client.post(step_url(call, "submit"), {"journey_token": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 302
    assert snapshot(settings) == before


def test_submit_with_a_forged_or_missing_token_stores_nothing(client, site, settings):
    walk(client, site, until=None)
    before = snapshot(settings)
    for data in [{}, {"journey_token": "not-a-uuid"}, {"journey_token": "12345678-1234-5678-1234-567812345678"}]:
        response = client.post(step_url(site["advice"], "submit"), data)
        assert response.status_code == 302 and response["Location"].endswith("/check-your-answers/"), data
    assert snapshot(settings) == before


def test_a_filled_honeypot_stores_nothing(client, site, settings):
    walk(client, site, until=None)
    check = client.get(step_url(site["advice"], "check-your-answers")).content.decode()
    token = re.search(r'name="journey_token" value="([^"]+)"', check).group(1)
    before = snapshot(settings)
    response = client.post(step_url(site["advice"], "submit"), {"journey_token": token, "website": "http://spam"})
    assert response.status_code == 400
    assert snapshot(settings) == before


def test_posting_to_a_closed_an_upcoming_or_an_unknown_call_stores_nothing(client, site, settings):
    before = snapshot(settings)
    for slug, status in [("closed", 410), ("upcoming", 403), ("no-such-call", 404)]:
        for step in ["about-you", "your-answers", "publishing", "submit"]:
            response = client.post(f"/calls/{slug}/respond/{step}/", {**ABOUT_OK, "journey_token": "x"})
            assert response.status_code == status, (slug, step, response.status_code)
    assert snapshot(settings) == before


def test_a_journey_started_before_the_call_closed_is_refused_at_submit(client, site, settings):
    walk(client, site, until=None)
    check = client.get(step_url(site["advice"], "check-your-answers")).content.decode()
    token = re.search(r'name="journey_token" value="([^"]+)"', check).group(1)
    Call.objects.filter(pk=site["advice"].pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    before = snapshot(settings)
    response = client.post(step_url(site["advice"], "submit"), {"journey_token": token})
    assert response.status_code == 410
    assert "Your response was not sent" in response.content.decode()
    assert snapshot(settings) == before


def test_html_and_script_in_every_field_come_back_escaped(client, site, settings):
    """Everything a respondent types is shown back as text: on the check page, in errors, and once published."""
    call = site["advice"]
    q = site["questions"]
    about = {"respondent_type": "organisation", "organisation_name": SCRIPT, "name": SCRIPT[:200], "email": ""}
    # Redisplayed with an error first (the email), then accepted.
    error_page = client.post(step_url(call, "about-you"), {**about, "email": "bad"}).content.decode()
    assert "<script>alert" not in error_page and ESCAPED in error_page
    assert client.post(step_url(call, "about-you"), about).status_code == 302
    answers = {
        "action": "continue",
        f"q_{q['long'].pk}": SCRIPT,
        f"q_{q['short'].pk}": SCRIPT,
        f"q_{q['one'].pk}": "18 to 25",
    }
    error_page = client.post(step_url(call, "your-answers"), {**answers, f"q_{q['one'].pk}": SCRIPT}).content.decode()
    assert "<script>alert" not in error_page and ESCAPED in error_page
    assert client.post(step_url(call, "your-answers"), answers).status_code == 302
    assert client.post(step_url(call, "publishing"), {"publication": "with_name", "consent": "on"}).status_code == 302
    check = client.get(step_url(call, "check-your-answers")).content.decode()
    assert "<script>alert" not in check and "<img src=x" not in check
    assert check.count(ESCAPED) >= 3

    token = re.search(r'name="journey_token" value="([^"]+)"', check).group(1)
    assert client.post(step_url(call, "submit"), {"journey_token": token}).status_code == 302
    submission = Submission.objects.get()
    assert submission.organisation_name == SCRIPT  # kept as typed; escaped only when shown
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.APPROVED)
    published = Client().get(call.get_responses_url()).content.decode()
    assert "<script>alert" not in published and "<img src=x" not in published
    assert ESCAPED in published


def test_a_stored_hostile_name_is_escaped_on_the_public_page(client, site):
    SubmissionFactory(
        call=site["advice"],
        name=SCRIPT[:200],
        organisation_name=SCRIPT,
        publication=Submission.Publication.WITH_NAME,
        status=Submission.Status.APPROVED,
    )
    html = client.get(site["advice"].get_responses_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


# 4. Generated input (hypothesis) -----------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)


@hypothesis_settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    respondent_type=st.one_of(st.sampled_from([c for c, _ in Submission.RespondentType.choices]), ANY_TEXT),
    organisation=ANY_TEXT,
    name=ANY_TEXT,
    email=st.one_of(st.emails(), ANY_TEXT),
)
def test_about_you_never_fails_on_generated_input(site, settings, respondent_type, organisation, name, email):
    client = Client()
    before = snapshot(settings)
    data = {"respondent_type": respondent_type, "organisation_name": organisation, "name": name, "email": email}
    response = client.post(step_url(site["advice"], "about-you"), data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert_refused(response)
    assert snapshot(settings) == before


@hypothesis_settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(long=ANY_TEXT, short=ANY_TEXT, one=ANY_TEXT, many=st.lists(ANY_TEXT, max_size=3), action=ANY_TEXT)
def test_your_answers_never_fail_on_generated_input(site, settings, long, short, one, many, action):
    client = Client()
    walk(client, site, until="your-answers")
    q = site["questions"]
    data = {
        "action": action,
        f"q_{q['long'].pk}": long,
        f"q_{q['short'].pk}": short,
        f"q_{q['one'].pk}": one,
        f"q_{q['many'].pk}": many,
    }
    before = snapshot(settings)
    response = client.post(step_url(site["advice"], "your-answers"), data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert_refused(response)
    assert client.get(step_url(site["advice"], "your-answers")).status_code == 200
    assert snapshot(settings) == before


@hypothesis_settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=ANY_TEXT,
    body=ANY_TEXT,
    action=st.one_of(st.sampled_from(["continue", "add_idea", "remove_idea_2"]), ANY_TEXT),
)
def test_ideas_never_fail_on_generated_input(site, settings, title, body, action):
    client = Client()
    assert client.post(step_url(site["ideas"], "about-you"), ABOUT_OK).status_code == 302
    before = snapshot(settings)
    data = {"action": action, "idea_title_1": title, "idea_body_1": body, "idea_title_2": body, "idea_body_2": title}
    response = client.post(step_url(site["ideas"], "your-answers"), data)
    assert response.status_code in {200, 302}
    assert snapshot(settings) == before


@hypothesis_settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(st.characters(codec="utf-8"), max_size=400), page=ANY_TEXT)
def test_search_never_fails_on_generated_queries(site, query, page):
    response = Client().get("/search/", {"q": query, "page": page})
    # A NUL never reaches the database: the request is refused before the view.
    assert response.status_code == (400 if "\x00" in query + page else 200)


def test_a_request_body_too_big_for_a_form_is_refused(client, site, settings):
    before = snapshot(settings)
    response = client.post("/updates/", {"email": "jo@example.org", "padding": "x" * 3_000_000})
    assert response.status_code == 400
    response = client.post(step_url(site["advice"], "about-you"), {f"f{i}": "x" for i in range(2000)})
    assert response.status_code == 400
    assert snapshot(settings) == before


# 5. Raw HTTP to gunicorn, as in production ---------------------------------------------------------------------


def raw_request(url, request_bytes):
    """Send bytes as they are; return (status, response).

    The answer is read while the request is still being sent: a server that refuses a huge request answers and
    closes before reading it all, and the reset that follows would otherwise discard an answer already received.
    A connection that gives no answer at all is tried once more (a busy machine can drop one), then counts as no
    status: a reset is never taken for a refusal.
    """
    import contextlib
    import socket
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    for _attempt in range(2):
        received = []
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:

            def read(conn=conn, received=received):
                try:
                    while chunk := conn.recv(65536):
                        received.append(chunk)
                except OSError:
                    pass  # reset after the answer: what was read is kept

            reader = threading.Thread(target=read)
            reader.start()
            # The server may stop reading: its answer, if any, is in `received`.
            with contextlib.suppress(OSError):
                conn.sendall(request_bytes)
            reader.join(timeout=30)
        data = b"".join(received)
        if data.startswith(b"HTTP/"):
            status_line = data.split(b"\r\n", 1)[0].decode("latin-1")
            return int(status_line.split()[1]), data
    return None, b"no answer"


RAW_CASES = [
    (
        "huge-header",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: " + b"a" * 100_000 + b"\r\nConnection: close\r\n\r\n",
        {400, 431},
    ),
    (
        "many-headers",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + b"".join(b"X-H%d: v\r\n" % i for i in range(150))
        + b"Connection: close\r\n\r\n",
        {400, 431},
    ),
    (
        "long-request-line",
        b"GET /search/?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        {400, 414},
    ),
    (
        "raw-bad-utf8-path",
        b"GET /news/\xff\xfe\xfd/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        {400, 404},
    ),
    (
        "raw-bad-utf8-query",
        b"GET /search/?q=\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        {200, 400},
    ),
    ("raw-nul-in-path", b"GET /news/a\x00b/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", {400, 404}),
    ("garbage-request", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n", {400}),
    ("bad-host", b"GET / HTTP/1.1\r\nHost: evil.example.com\r\nConnection: close\r\n\r\n", {400}),
]


@pytest.mark.parametrize(("name", "request_bytes", "allowed"), RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_raw_hostile_requests_to_gunicorn_get_a_4xx(gunicorn_url, name, request_bytes, allowed):
    status, data = raw_request(gunicorn_url, request_bytes)
    assert status in allowed, f"{name}: {data[:300]!r}"
    # The server is still up for everyone else.
    ok, _ = raw_request(gunicorn_url, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert ok == 200


def test_script_in_ideas_and_file_names_comes_back_escaped(client, site, settings):
    ideas = site["ideas"]
    assert client.post(step_url(ideas, "about-you"), ABOUT_OK).status_code == 302
    data = {"action": "continue", "idea_title_1": SCRIPT[:150], "idea_body_1": SCRIPT}
    assert client.post(step_url(ideas, "your-answers"), data).status_code == 302
    assert client.post(step_url(ideas, "publishing"), {"publication": "with_name", "consent": "on"}).status_code == 302
    check = client.get(step_url(ideas, "check-your-answers")).content.decode()
    assert "<script>alert" not in check and "<img src=x" not in check and ESCAPED in check

    url = evidence_at_files(client, site)
    upload = SimpleUploadedFile('<img src=x onerror=alert(1)>".txt', b"Plain words.\n", "text/plain")
    assert client.post(url, {"action": "upload", "file": upload}).status_code == 302
    page = client.get(url).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_staff_see_hostile_answers_escaped_in_the_admin(client, site, django_user_model):
    submission = SubmissionFactory(
        call=site["advice"], name=SCRIPT[:200], organisation_name=SCRIPT, email="a@example.org"
    )
    Answer.objects.create(submission=submission, question=site["questions"]["long"], text=SCRIPT)
    staff = django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-staff-password")
    client.force_login(staff)
    for path in [
        "/admin/submissions/submission/",
        f"/admin/submissions/submission/{submission.pk}/moderate/",
        "/admin/submissions/submission/?q=" + SCRIPT,
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, path
