import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError

from tests.factories import ClosureNoticeFactory, PageFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run_manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_production_settings_refuse_to_start_without_a_real_secret_key():
    env = {"DJANGO_SETTINGS_MODULE": "review_site.settings.production", "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr

    result = run_manage("check", env={**env, "SECRET_KEY": "short"})
    assert result.returncode != 0


def test_production_settings_start_with_a_real_secret_key():
    env = {"DJANGO_SETTINGS_MODULE": "review_site.settings.production", "SECRET_KEY": "x7" * 40}
    result = run_manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_every_page_shows_the_active_closure_notice_in_a_notification_banner(client):
    ClosureNoticeFactory(message="We have *finished*.")
    page = PageFactory(slug="about", title="About the review")
    response = client.get(page.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-notification-banner" in html
    assert "This website will be closed down by" in html
    assert "<em>finished</em>" in html


def test_page_title_names_the_page_then_the_site(client):
    page = PageFactory(slug="privacy", title="Privacy notice")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<title>Privacy notice – Independent Review of Children&#x27;s Social Care</title>" in html


def test_unknown_address_gets_the_sites_own_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-header" in html


def test_database_outage_shows_a_503_page_not_a_traceback(client, monkeypatch):
    from pages import views

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.PageDetailView, "get_object", broken)
    response = client.get("/about/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_security_headers_are_on_every_response(client):
    response = client.get("/healthz")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"):
        assert directive in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_an_error_summary_comes_before_the_closure_notice(client):
    ClosureNoticeFactory()
    response = client.post("/updates/", {"email": "not an address"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.index("govuk-error-summary") < html.index("closure-banner-title")


def test_a_page_that_asks_whether_the_site_is_closed_reads_the_closure_notice_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ClosureNoticeFactory()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert "This website will be closed down by" in response.content.decode()
    assert sum('"pages_closurenotice"' in q["sql"] for q in queries.captured_queries) == 1
