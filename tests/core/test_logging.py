"""Log lines: one format with time, level, logger and request id (JSON or readable), the id returned to the client as
X-Request-ID, a staff member's writes logged under their user id, and email addresses never written."""

import datetime
import json
import logging

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.logging import JsonFormatter, ReadableFormatter, RequestContext, redact
from core.request_id import VALID_ID, current_staff_user_id
from tests.core.logcapture import captured_logs
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

FROZEN = datetime.datetime(2026, 3, 2, 9, 30, 15, 250000, tzinfo=datetime.UTC)


def record(message, *args, name="review.test", level=logging.WARNING, exc_info=None):
    made = logging.LogRecord(name, level, __file__, 1, message, args, exc_info)
    RequestContext().filter(made)
    return made


def test_every_response_has_a_request_id_of_its_own(client):
    first, second = client.get("/healthz"), client.get("/")
    assert VALID_ID.fullmatch(first["X-Request-ID"])
    assert VALID_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_trusted_proxys_request_id_is_kept_and_a_malformed_one_replaced(client, settings):
    settings.REQUEST_ID_TRUST_HEADER = True
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")["X-Request-ID"] == "lb-7f3a9c2e-0001"
    forged = "abc\nERROR forged line"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=forged)["X-Request-ID"] != forged


def test_an_untrusted_request_id_header_is_ignored(client, settings):
    settings.REQUEST_ID_TRUST_HEADER = False
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")["X-Request-ID"] != "lb-7f3a9c2e-0001"


def test_a_staff_write_is_logged_with_the_request_id_and_the_user_id_and_nothing_about_the_person(client):
    staff = staff_user(superuser=True, username="editor", email="editor@example.org")
    client.force_login(staff)
    url = reverse("admin:core_closurenotice_add")
    closes = timezone.localtime(timezone.now() + datetime.timedelta(days=60))
    form = {
        "message": "The review is over.",
        "closes_at_0": closes.strftime("%d/%m/%Y"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "archive_url": "https://webarchive.example.org/review/",
    }
    with captured_logs(logging.INFO) as logs:
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    [line] = [json.loads(line) for line in logs.json_lines if json.loads(line)["logger"] == "core.requests"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == staff.pk
    assert line["message"] == f"Staff POST {url} answered 302"
    assert not any("editor" in text for text in logs.everything())


def test_a_public_visitors_request_logs_no_staff_line(client):
    with captured_logs(logging.INFO) as logs:
        client.get("/")
        client.post(reverse("pages:updates"), {"email": "not-an-address"})
    assert not [r for r in logs.records if r.name == "core.requests"]


def test_logging_never_looks_a_user_up_itself():
    """Reading the session from a log filter would cost a query, and could fail while the database is down."""
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: pytest.fail("the log filter looked the user up"))
    assert current_staff_user_id(request) is None


@time_machine.travel(FROZEN, tick=False)
def test_a_json_line_has_time_level_logger_message_and_request_id():
    line = json.loads(JsonFormatter().format(record("Email job %s sent", 42, name="outbox.services")))
    assert line == {
        "time": "2026-03-02T09:30:15.250+00:00",
        "level": "WARNING",
        "logger": "outbox.services",
        "message": "Email job 42 sent",
        "request_id": "-",
    }


@time_machine.travel(FROZEN, tick=False)
def test_a_readable_line_has_the_same_parts():
    line = ReadableFormatter().format(record("Email job %s sent", 42, name="outbox.services"))
    assert line.endswith(" WARNING [-] outbox.services: Email job 42 sent")
    assert line.startswith("2026-03-02 ")


def test_email_addresses_are_replaced_in_the_message_its_arguments_and_the_traceback():
    try:
        raise ValueError("recipient refused: sam.o'neil+tag@mail.example.co.uk")
    except ValueError:
        import sys

        made = record("Could not send to %s", "sam@example.org", exc_info=sys.exc_info())
    for text in (JsonFormatter().format(made), ReadableFormatter().format(made)):
        assert "@" not in text
        assert "[email]" in text
    assert redact("no address here") == "no address here"


def test_the_console_handler_uses_the_format_the_settings_name(settings):
    from django.utils.log import configure_logging

    console = settings.LOGGING["handlers"]["console"]
    assert console["formatter"] == "text"  # the test and local settings: readable
    assert "request_context" in console["filters"]
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, ReadableFormatter)]
    assert any(isinstance(f, RequestContext) for f in handler.filters)


def test_production_logs_json_unless_told_otherwise(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    import review_site.settings.production as production

    try:
        assert importlib.reload(production).LOGGING["handlers"]["console"]["formatter"] == "json"
        monkeypatch.setenv("LOG_FORMAT", "text")
        assert importlib.reload(production).LOGGING["handlers"]["console"]["formatter"] == "text"
    finally:
        monkeypatch.delenv("LOG_FORMAT", raising=False)
