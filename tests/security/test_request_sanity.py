"""What a hostile tester found and the class behind each: NUL characters from cookies, addresses and headers never
reach the database; too many fields or a bad Host get a plain 400 with the security headers, logged as a warning."""

import logging

import pytest
from django.test import Client

from tests.security.hostile import snapshot, step_url
from tests.security.test_headers import assert_secure_headers

PUBLIC_PAGES = ["/", "/faqs/", "/news/", "/search/?q=care", "/get-involved/", "/calls/advice/", "/updates/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES + ["/calls/advice/respond/about-you/"])
@pytest.mark.parametrize(
    "cookie",
    ['sessionid="abc\\000def"', "sessionid=abc\x00def", "sessionid=\x01\x02\x03", "csrftoken=\x00", "x=\x00"],
    ids=["quoted-nul", "raw-nul", "controls", "csrf-nul", "other-nul"],
)
def test_a_cookie_holding_a_nul_or_control_character_is_ignored_and_the_page_still_works(site, path, cookie):
    client = Client(HTTP_COOKIE=cookie)
    response = client.get(path)
    assert response.status_code == 200, (path, cookie, response.status_code)


def test_a_journey_started_with_a_mangled_cookie_keeps_its_answers_in_a_fresh_session(site):
    client = Client()
    data = {"respondent_type": "care_experienced_adult", "name": "Jo", "email": "jo@example.org"}
    response = client.post(step_url(site["advice"], "about-you"), data, HTTP_COOKIE="sessionid=abc\x00def")
    assert response.status_code == 302
    assert "\x00" not in response.cookies["sessionid"].value
    page = client.get(step_url(site["advice"], "about-you")).content.decode()
    assert 'value="jo@example.org"' in page


@pytest.mark.parametrize(
    "query",
    [
        "status=%00",
        "respondent_type=%00",
        "call__id__exact=%00",
        "q=%00",
        "q=care%00leavers",
        "o=%00",
        "p=%00",
        "safeguarding_flag__exact=%00",
        "%00=1",
    ],
)
def test_admin_filters_and_search_holding_a_nul_are_refused_with_a_400(admin_client, site, query):
    response = admin_client.get(f"/admin/submissions/submission/?{query}")
    assert response.status_code == 400
    assert "characters we cannot read" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/search/?q=%00", "/news/?page=%00", "/calls/advice/responses/?page=1%00", "/admin/login/?next=%00"]
)
def test_a_nul_in_a_public_query_string_gets_a_plain_400_page_with_the_security_headers(client, site, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Sorry, we could not read that request" in response.content.decode()
    assert_secure_headers(response, path)


@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_REFERER", "HTTP_ACCEPT_LANGUAGE"])
def test_a_header_holding_a_nul_is_refused_before_anything_stores_it(client, site, settings, header):
    before = snapshot(settings)
    response = client.post("/updates/", {"email": "jo@example.org"}, **{header: "evil\x00value"})
    assert response.status_code == 400
    assert snapshot(settings) == before


def test_a_staff_sign_in_with_a_nul_in_the_user_agent_is_refused_not_recorded(client, db):
    from axes.models import AccessAttempt

    response = client.post("/admin/login/", {"username": "x", "password": "y"}, HTTP_USER_AGENT="a\x00b")
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()


TOO_MANY = {f"field{i}": "x" for i in range(2000)}


@pytest.mark.parametrize(
    "path",
    [
        "/updates/",
        "/admin/login/",
        "/admin/logout/",
        "/calls/advice/respond/about-you/",
        "/calls/advice/respond/your-answers/",
        "/calls/advice/respond/publishing/",
        "/calls/advice/respond/check-your-answers/",
        "/calls/ideas/respond/your-answers/",
        "/calls/evidence/respond/files/",
        "/updates/unsubscribe/not-a-token/",
    ],
)
def test_a_form_with_thousands_of_fields_gets_a_plain_400_every_time(site, settings, path, caplog):
    before = snapshot(settings)
    client = Client()
    for _ in range(4):  # the hostile tester saw one of four such requests answered 200
        response = client.post(path, TOO_MANY)
        assert response.status_code == 400, (path, response.status_code)
        assert "far more answers" in response.content.decode()
        assert_secure_headers(response, path)
    assert snapshot(settings) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info], "no traceback logged"


def test_a_multipart_form_with_thousands_of_fields_gets_a_plain_400(site, settings):
    before = snapshot(settings)
    response = Client().post(step_url(site["evidence"], "files"), {**TOO_MANY, "action": "upload"})
    assert response.status_code == 400
    assert snapshot(settings) == before


@pytest.mark.parametrize("host", ["evil.example.com", "127.0.0.1:8000@evil", "a" * 300, "local host"])
def test_a_bad_host_gets_a_400_carrying_every_security_header(client, site, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 400
    assert_secure_headers(response, f"Host: {host}")


def test_client_errors_are_logged_as_one_warning_line_without_a_traceback(client, site, settings):
    """The console handler's filter turns Django's ERROR-with-traceback for a bad Host into a WARNING."""
    from core.logging import ClientErrorsAsWarnings

    assert "client_errors_as_warnings" in settings.LOGGING["handlers"]["console"]["filters"]
    records = []
    handler = logging.Handler()
    handler.addFilter(ClientErrorsAsWarnings())
    handler.emit = records.append
    security = logging.getLogger("django.security")
    security.addHandler(handler)
    try:
        client.get("/", HTTP_HOST="evil.example.com")
    finally:
        security.removeHandler(handler)
    assert len(records) == 1
    assert all(record.levelno == logging.WARNING and record.exc_info is None for record in records)


def test_server_errors_stay_errors_with_their_traceback():
    from core.logging import ClientErrorsAsWarnings

    try:
        raise RuntimeError("broken")
    except RuntimeError as exc:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), (type(exc), exc, None))
    assert ClientErrorsAsWarnings().filter(record)
    assert record.levelno == logging.ERROR and record.exc_info is not None
