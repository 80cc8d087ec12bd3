"""GOV.UK Notify as the email backend: every email goes out as the one generic template, its subject and body as
personalisation, signed with a JWT from the API key; sign-up emails keep one-click unsubscribe; a refusal fails the
send, so the outbox tries again. Against a local server that speaks Notify's API (tests/core/fake_notify.py)."""

import re
import time

import jwt
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from notifications_python_client.errors import HTTPError

from core.notify import NotifyEmailBackend
from outbox.models import EmailJob
from tests.core.fake_notify import API_KEY, SECRET, SERVICE_ID, TEMPLATE_ID, fake_notify_server
from tests.worker import send_queued_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(settings):
    with fake_notify_server() as (base_url, server):
        settings.EMAIL_BACKEND = "core.notify.NotifyEmailBackend"
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
        settings.NOTIFY_BASE_URL = base_url
        yield server


def test_an_email_goes_to_notify_as_the_generic_template_with_its_subject_and_body(notify):
    sent = mail.send_mail("Your response: R-7K2M", "Thank you.\n\nYour reference is R-7K2M.", None, ["a@example.org"])

    assert sent == 1
    [(headers, claims, body)] = notify.received
    assert body == {
        "email_address": "a@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Your response: R-7K2M", "body": "Thank you.\n\nYour reference is R-7K2M."},
    }
    scheme, token = headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    assert jwt.decode(token, SECRET, algorithms=["HS256"]) == claims
    assert claims["iss"] == SERVICE_ID
    assert abs(claims["iat"] - time.time()) < 30, "Notify refuses a token issued more than 30 seconds away"


def test_each_recipient_is_a_notification_of_its_own(notify):
    mail.send_mail("Flagged response", "A response needs a look.", None, ["lead@example.org", "deputy@example.org"])
    assert [body["email_address"] for _, _, body in notify.received] == ["lead@example.org", "deputy@example.org"]


def test_a_sign_up_email_keeps_its_one_click_unsubscribe_link(notify, settings, client):
    settings.SITE_URL = "https://review.example.org"
    cache.clear()
    client.post("/updates/", {"email": "reader@example.org"})
    send_queued_emails()

    [(_, _, body)] = notify.received
    assert body["email_address"] == "reader@example.org"
    unsubscribe = body["one_click_unsubscribe_url"]
    assert re.fullmatch(r"https://review\.example\.org/updates/unsubscribe/[^/]+/", unsubscribe)
    assert unsubscribe in body["personalisation"]["body"], "the same link as the one in the email"
    assert EmailJob.objects.get().status == EmailJob.Status.DONE


def test_a_refusal_fails_the_send_and_the_outbox_tries_again(notify, settings, client):
    notify.fail_with = (400, "BadRequestError", "Can't send to this recipient using a team-only API key")
    cache.clear()
    client.post("/updates/", {"email": "reader@example.org"})
    send_queued_emails()

    job = EmailJob.objects.get()
    assert (job.status, job.attempts) == (EmailJob.Status.READY, 1)
    assert "team-only API key" in job.last_error
    with pytest.raises(HTTPError):
        mail.send_mail("Subject", "Body", None, ["a@example.org"])


def test_an_email_with_an_attachment_is_refused_not_sent_without_it(notify):
    message = mail.EmailMessage("Export", "Attached.", None, ["a@example.org"])
    message.attach("responses.csv", "a,b\n", "text/csv")
    with pytest.raises(ValueError, match="no attachments"):
        message.send()
    assert notify.received == []


def test_the_backend_will_not_start_without_a_key_and_a_template(settings):
    settings.NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        NotifyEmailBackend()


def test_smtp_stays_the_default(monkeypatch):
    import importlib

    import review_site.settings.base as base

    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    assert importlib.reload(base).EMAIL_BACKEND == "core.mail.EmailBackend"  # SMTP, handing over at the last moment
