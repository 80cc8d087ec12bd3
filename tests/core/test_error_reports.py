"""Server errors reach a person without a respondent's data: Sentry's events (through the SDK's own transport hook,
nothing sent anywhere) and the ADMINS email both lose the body, cookies, query values and addresses."""

import json

import pytest
import sentry_sdk
from django.core import mail, signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client, RequestFactory
from sentry_sdk.transport import Transport

from core.sentry import init_sentry, scrub_sentry_event
from tests.core.personal_data import ADDRESS, ANSWER, QUERY_VALUE, SESSION_VALUE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

PERSONAL = [ADDRESS, ANSWER, QUERY_VALUE, SESSION_VALUE, "Samira", "sam.respondent"]


class CapturingTransport(Transport):
    """Keeps each envelope the SDK would have sent, instead of sending it."""

    def __init__(self):
        super().__init__(options={})
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        return [envelope.get_event() for envelope in self.envelopes if envelope.get_event() is not None]


@pytest.fixture
def sentry():
    transport = CapturingTransport()
    init_sentry(dsn="https://key@errors.example.invalid/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing captured by the tests after this one


def fail(client):
    """POST a form with a respondent's details to a view that fails, with a session cookie and a search."""
    client.cookies["sessionid"] = SESSION_VALUE
    return client.post(
        f"/fail/?name={QUERY_VALUE.replace(' ', '+')}&page=2",
        {"email": ADDRESS, "answer": ANSWER},
        HTTP_USER_AGENT="Mozilla/5.0 (Samira's phone)",
        HTTP_REFERER=f"https://review.example.org/respond/?email={ADDRESS}",
    )


def through_wsgi(request):
    """Serve a request as gunicorn would, through Django's WSGI handler, which the SDK wraps to read the request
    (the test client skips it); return the status line and headers."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    # As Django's test client does: the test's database connection stays open when the request ends.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        b"".join(WSGIHandler()(request.environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer


def test_a_server_error_reaches_sentry_without_body_cookies_query_values_or_addresses(sentry):
    factory = RequestFactory()
    factory.cookies["sessionid"] = SESSION_VALUE
    request = factory.post(
        f"/fail/?name={QUERY_VALUE.replace(' ', '+')}&page=2",
        {"email": ADDRESS, "answer": ANSWER},
        HTTP_USER_AGENT="Mozilla/5.0 (Samira's phone)",
        HTTP_REFERER=f"https://review.example.org/respond/?email={ADDRESS}",
    )
    answer = through_wsgi(request)
    sentry_sdk.flush()
    assert answer["status"].startswith("500")

    [event] = sentry.events()
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert exception["value"] == "Could not save the response from [email] (72 characters)"
    assert event["tags"]["request_id"] == answer["headers"]["X-Request-ID"]
    sent = event["request"]
    assert sent["method"] == "POST"
    assert sent["url"] == "http://testserver/fail/"
    assert sent["query_string"] == "name=[Filtered]&page=[Filtered]"
    assert "data" not in sent and "cookies" not in sent and "env" not in sent
    assert sent["headers"]["User-Agent"] == sent["headers"]["Referer"] == "[Filtered]"
    assert not any("vars" in frame for frame in exception["stacktrace"]["frames"])
    serialised = json.dumps(event)
    assert not [word for word in PERSONAL if word in serialised]


def test_sentry_sends_no_personal_data_by_default(sentry):
    options = sentry_sdk.get_client().options
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert options["before_send"] is scrub_sentry_event


def test_an_event_from_anywhere_loses_every_address_however_deep():
    event = {
        "message": f"Could not reach {ADDRESS}",
        "extra": {"recipients": [ADDRESS, {"cc": f"<{ADDRESS}>"}]},
        "request": {"url": f"https://review.example.org/x/?email={ADDRESS}", "cookies": {"sessionid": SESSION_VALUE}},
    }
    scrubbed = json.dumps(scrub_sentry_event(event))
    assert ADDRESS not in scrubbed and SESSION_VALUE not in scrubbed
    assert "https://review.example.org/x/" in scrubbed


def test_without_a_dsn_nothing_is_reported(client):
    assert sentry_sdk.get_client().transport is None


def test_a_server_error_emails_the_admins_without_post_data_cookies_or_addresses(settings):
    settings.ADMINS = [("Site operations", "ops@example.org")]
    response = fail(Client(raise_request_exception=False))
    assert response.status_code == 500

    [message] = mail.outbox
    assert message.to == ["ops@example.org"]
    assert "Internal Server Error: /fail/" in message.subject
    body = message.body
    assert "ValueError" in body and "failing_view" in body
    assert "email = '[Filtered]'" in body and "answer = '[Filtered]'" in body  # which fields, not what was in them
    assert not [word for word in PERSONAL if word in body], body
    assert not message.alternatives, "no HTML report, which would list local variables"


def test_no_admins_no_email(settings):
    settings.ADMINS = []
    fail(Client(raise_request_exception=False))
    assert mail.outbox == []
