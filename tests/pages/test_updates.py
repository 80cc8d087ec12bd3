"""Email updates: double opt-in, unsubscribe from any email, no way to probe who signed up, archive mode."""

import csv
import datetime
import io
import re
import smtplib
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.mixins import ClosedSiteRefusalMixin
from outbox.models import EmailJob
from pages import services
from pages.models import Subscriber
from tests.factories import ClosureNoticeFactory, SubscriberFactory
from tests.worker import send_queued_emails

pytestmark = pytest.mark.django_db

SITE_URL = "https://review.example.org"
SIGN_UP = "/updates/"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL
    settings.UPDATES_EMAIL_INTERVAL_SECONDS = 120
    cache.clear()  # the per-address email limit lives in the cache


def sign_up(client, email):
    """Post the form, then let the email worker send what it queued (the request itself sends nothing)."""
    response = client.post(SIGN_UP, {"email": email})
    send_queued_emails()
    return response


def link_in(message, kind):
    """The path of the confirm or unsubscribe link in an email, after checking it is absolute."""
    match = re.search(rf"{re.escape(SITE_URL)}(/updates/{kind}/[^/\s]+/)", message.body)
    assert match, f"no {kind} link in: {message.body}"
    return match.group(1)


def close_site():
    return ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(days=1))


def test_sign_up_page_is_a_labelled_govuk_form(client):
    response = client.get(SIGN_UP)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<label for="id_email" class="govuk-label">\s*Email address\s*</label>', html)
    assert "novalidate" in html
    assert 'autocomplete="email"' in html
    assert "Sign up" in html


def test_signing_up_sends_a_confirm_link_and_the_address_does_not_count_yet(client):
    response = sign_up(client, "reader@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/updates/check-your-email/"
    assert Subscriber.objects.filter(email="reader@example.com").exists()
    assert not Subscriber.objects.confirmed().exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.com"]
    assert "/updates/confirm/" in mail.outbox[0].body


def test_the_sign_up_request_only_queues_the_email_with_the_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(SIGN_UP, {"email": "reader@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []
    (job,) = EmailJob.objects.all()
    subscriber = Subscriber.objects.get()
    assert (job.kind, job.subject_id, job.status) == ("updates_sign_up", subscriber.pk, EmailJob.Status.READY)
    assert "reader@example.com" not in job.about
    assert callbacks == []  # written in the sign-up's own transaction, not after it

    assert send_queued_emails() == 1
    assert mail.outbox[0].to == ["reader@example.com"]


def test_a_sign_up_email_the_mail_server_refuses_is_retried_and_the_answer_is_unchanged(client, settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 60
    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("closed")):
        response = sign_up(client, "reader@example.com")
    assert (response.status_code, response["Location"]) == (302, "/updates/check-your-email/")
    job = EmailJob.objects.get()
    assert (job.status, job.attempts) == (EmailJob.Status.READY, 1)
    assert "SMTPServerDisconnected" in job.last_error

    assert send_queued_emails(now=timezone.now() + datetime.timedelta(seconds=61)) == 1
    assert "/updates/confirm/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_fails_skips_the_limit_and_still_queues_the_email(client):
    # The database cache failing as it does with its table missing; on PostgreSQL a failed query inside the
    # sign-up's transaction would abort it, so the limit must be asked outside it.
    def broken_cache(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM no_such_cache_table")

    with mock.patch.object(cache, "add", side_effect=broken_cache):
        response = client.post(SIGN_UP, {"email": "reader@example.com"})

    assert (response.status_code, response["Location"]) == (302, "/updates/check-your-email/")
    assert EmailJob.objects.filter(kind="updates_sign_up").count() == 1


def test_no_sign_up_email_goes_to_an_address_deleted_before_the_worker_ran(client):
    client.post(SIGN_UP, {"email": "reader@example.com"})
    Subscriber.objects.all().delete()

    assert send_queued_emails() == 1
    assert mail.outbox == []
    assert EmailJob.objects.get().status == EmailJob.Status.DONE


def test_confirm_link_makes_the_address_count(client):
    sign_up(client, "reader@example.com")

    response = client.get(link_in(mail.outbox[0], "confirm"))

    assert response.status_code == 200
    assert "You are signed up" in response.content.decode()
    assert list(Subscriber.objects.confirmed().values_list("email", flat=True)) == ["reader@example.com"]


def test_following_the_confirm_link_twice_keeps_the_first_confirmation_time(client):
    sign_up(client, "reader@example.com")
    link = link_in(mail.outbox[0], "confirm")
    client.get(link)
    first = Subscriber.objects.get().confirmed_at

    assert client.get(link).status_code == 200
    assert Subscriber.objects.get().confirmed_at == first


def test_confirm_link_expires_after_the_configured_hours(client, settings):
    settings.UPDATES_CONFIRM_MAX_AGE_HOURS = 72
    with time_machine.travel(datetime.datetime(2022, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        sign_up(client, "reader@example.com")
    link = link_in(mail.outbox[0], "confirm")

    with time_machine.travel(datetime.datetime(2022, 3, 4, 9, 1, tzinfo=datetime.UTC), tick=False):
        response = client.get(link)

    assert response.status_code == 400
    html = response.content.decode()
    assert "This link does not work" in html
    assert 'href="/updates/"' in html  # a way to sign up again
    assert not Subscriber.objects.confirmed().exists()


def test_confirm_link_still_works_just_before_it_expires(client, settings):
    settings.UPDATES_CONFIRM_MAX_AGE_HOURS = 72
    with time_machine.travel(datetime.datetime(2022, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        sign_up(client, "reader@example.com")
    with time_machine.travel(datetime.datetime(2022, 3, 4, 8, 59, tzinfo=datetime.UTC), tick=False):
        response = client.get(link_in(mail.outbox[0], "confirm"))

    assert response.status_code == 200
    assert Subscriber.objects.confirmed().count() == 1


@pytest.mark.parametrize("tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "1" + t])
def test_tampered_confirm_link_is_refused(client, tamper):
    subscriber = SubscriberFactory()
    token = services.make_confirm_token(subscriber)

    response = client.get(f"/updates/confirm/{tamper(token)}/")

    assert response.status_code == 400
    assert "sign up again" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_an_unsubscribe_link_cannot_be_used_to_confirm(client):
    subscriber = SubscriberFactory()

    response = client.get(f"/updates/confirm/{services.make_unsubscribe_token(subscriber)}/")

    assert response.status_code == 400
    assert not Subscriber.objects.confirmed().exists()


def test_every_email_has_an_unsubscribe_link_that_works_without_signing_in(client, settings):
    settings.UPDATES_EMAIL_INTERVAL_SECONDS = 0
    sign_up(client, "reader@example.com")
    client.get(link_in(mail.outbox[0], "confirm"))
    sign_up(client, "reader@example.com")  # already confirmed: a different email, same rule
    assert len(mail.outbox) == 2

    for message in mail.outbox:
        Subscriber.objects.update(unsubscribed_at=None, confirmed_at=timezone.now())
        link = link_in(message, "unsubscribe")
        anonymous = client.__class__(enforce_csrf_checks=True)

        page = anonymous.get(link)
        assert page.status_code == 200
        assert Subscriber.objects.confirmed().count() == 1, "a GET (a mail scanner) must not unsubscribe"

        assert '<form method="post"' in page.content.decode()
        response = anonymous.post(link)
        assert response.status_code == 302
        assert response["Location"] == "/updates/unsubscribed/"
        assert not Subscriber.objects.confirmed().exists()


def test_mail_programs_can_unsubscribe_in_one_click(client):
    sign_up(client, "reader@example.com")
    client.get(link_in(mail.outbox[0], "confirm"))
    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]

    assert header == f"<{SITE_URL}{link_in(message, 'unsubscribe')}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_program = client.__class__(enforce_csrf_checks=True)
    response = mail_program.post(
        header.strip("<>").removeprefix(SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert not Subscriber.objects.confirmed().exists()


def test_unsubscribe_link_never_expires(client):
    subscriber = SubscriberFactory(confirmed=True)
    token = services.make_unsubscribe_token(subscriber)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=3 * 365)):
        response = client.post(f"/updates/unsubscribe/{token}/")

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_tampered_unsubscribe_link_is_refused_and_changes_nothing(client):
    subscriber = SubscriberFactory(confirmed=True)
    token = services.make_unsubscribe_token(subscriber)
    other = SubscriberFactory(confirmed=True)
    forged = f"{other.pk}:{token.split(':', 1)[1]}"

    assert client.get(f"/updates/unsubscribe/{forged}/").status_code == 400
    assert client.post(f"/updates/unsubscribe/{forged}/").status_code == 400
    assert Subscriber.objects.confirmed().count() == 2


def test_unsubscribing_again_is_harmless(client):
    subscriber = SubscriberFactory(confirmed=True)
    url = f"/updates/unsubscribe/{services.make_unsubscribe_token(subscriber)}/"
    client.post(url)
    first = Subscriber.objects.get().unsubscribed_at

    assert client.post(url).status_code == 302
    assert Subscriber.objects.get().unsubscribed_at == first


def test_web_answer_is_the_same_for_new_pending_and_confirmed_addresses(client):
    SubscriberFactory(email="pending@example.com")
    SubscriberFactory(email="confirmed@example.com", confirmed=True)
    SubscriberFactory(email="gone@example.com", confirmed=True, unsubscribed_at=timezone.now())

    answers = []
    for email in ["new@example.com", "pending@example.com", "confirmed@example.com", "gone@example.com"]:
        response = sign_up(client, email)
        page = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], response.content, page.status_code, page.content))

    assert all(answer == answers[0] for answer in answers)
    assert answers[0][:2] == (302, "/updates/check-your-email/")


@pytest.mark.cache_time_travel
def test_repeated_sign_ups_send_one_email_per_address_per_interval(client):
    answers = {(r.status_code, r["Location"]) for r in (sign_up(client, "reader@example.com") for _ in range(5))}
    sign_up(client, "someone.else@example.com")

    assert answers == {(302, "/updates/check-your-email/")}
    assert [m.to for m in mail.outbox] == [["reader@example.com"], ["someone.else@example.com"]]

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=121)):
        sign_up(client, "reader@example.com")
    assert len(mail.outbox) == 3


def test_confirmed_address_gets_no_new_confirm_link(client):
    SubscriberFactory(email="reader@example.com", confirmed=True)

    sign_up(client, "reader@example.com")

    assert len(mail.outbox) == 1
    assert "/updates/confirm/" not in mail.outbox[0].body
    assert "already signed up" in mail.outbox[0].body
    link_in(mail.outbox[0], "unsubscribe")


def test_pending_address_gets_a_fresh_confirm_link_and_no_second_record(client):
    SubscriberFactory(email="reader@example.com")

    sign_up(client, "reader@example.com")

    assert Subscriber.objects.count() == 1
    assert "/updates/confirm/" in mail.outbox[0].body


def test_signing_up_again_after_unsubscribing_needs_a_new_confirmation(client):
    SubscriberFactory(email="reader@example.com", confirmed=True, unsubscribed_at=timezone.now())

    sign_up(client, "reader@example.com")
    assert not Subscriber.objects.confirmed().exists()

    client.get(link_in(mail.outbox[0], "confirm"))
    assert Subscriber.objects.confirmed().count() == 1


def test_addresses_are_normalised_before_storing(client):
    sign_up(client, "  Reader.Name@EXAMPLE.Org ")
    sign_up(client, "reader.name@example.org")

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["Reader.Name@example.org"]


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-address", "Enter an email address in the correct format, like name@example.com"),
        ("<script>@example", "Enter an email address in the correct format, like name@example.com"),
        ("reader\x00@example.com", "Enter an email address in the correct format, like name@example.com"),
        ("a" * 250 + "@example.com", "Email address must be 254 characters or fewer"),
    ],
)
def test_bad_address_shows_the_error_summary_and_stores_nothing(client, email, message):
    response = sign_up(client, email)

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error: Sign up for email updates" in html
    assert "<script>@" not in html
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_archive_mode_refuses_sign_ups_and_stores_and_sends_nothing(client):
    close_site()

    page = client.get(SIGN_UP)
    response = sign_up(client, "reader@example.com")

    assert page.status_code == 200
    assert response.status_code == 403
    for html in (page.content.decode(), response.content.decode()):
        assert "Sign-ups for email updates have closed" in html
        assert "https://webarchive.example.org/review/" in html
        assert 'name="email"' not in html
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_sign_ups_are_open_while_the_closure_is_only_announced(client):
    ClosureNoticeFactory(closes_at=timezone.now() + datetime.timedelta(days=7))

    assert sign_up(client, "reader@example.com").status_code == 302
    assert len(mail.outbox) == 1


def test_archive_mode_confirms_nothing_but_still_lets_people_unsubscribe(client):
    pending = SubscriberFactory()
    confirmed = SubscriberFactory(confirmed=True)
    close_site()

    confirm = client.get(f"/updates/confirm/{services.make_confirm_token(pending)}/")
    unsubscribe = client.post(f"/updates/unsubscribe/{services.make_unsubscribe_token(confirmed)}/")

    assert "Sign-ups for email updates have closed" in confirm.content.decode()
    pending.refresh_from_db()
    assert pending.confirmed_at is None
    assert unsubscribe.status_code == 302
    assert not Subscriber.objects.confirmed().exists()


class RecordingView(ClosedSiteRefusalMixin, View):
    calls = []

    def get(self, request):
        self.calls.append("get")
        return HttpResponse("form")

    def post(self, request):
        self.calls.append("post")
        return HttpResponse("stored")

    put = delete = patch = post


@pytest.mark.parametrize(("method", "status"), [("get", 200), ("post", 403), ("put", 403), ("delete", 403)])
def test_closed_site_mixin_answers_every_method_before_the_view_runs(method, status):
    close_site()
    RecordingView.calls = []

    response = RecordingView.as_view()(getattr(RequestFactory(), method)("/respond/"))
    response.render()

    assert response.status_code == status
    assert "This website has closed" in response.content.decode()
    assert RecordingView.calls == []


def test_closed_site_mixin_lets_everything_through_while_the_site_is_open():
    response = RecordingView.as_view()(RequestFactory().post("/respond/"))

    assert response.content == b"stored"


# Staff console


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("staff", "staff@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff"), "a byte order mark, so Excel reads the addresses as UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_export_button_downloads_every_confirmed_subscriber_and_nobody_else(staff_client):
    with time_machine.travel(datetime.datetime(2022, 1, 10, 12, 0, tzinfo=datetime.UTC), tick=False):
        SubscriberFactory(email="first@example.com", confirmed=True)
    SubscriberFactory(email="second@example.com", confirmed=True)
    SubscriberFactory(email="pending@example.com")
    SubscriberFactory(email="gone@example.com", confirmed=True, unsubscribed_at=timezone.now())
    SubscriberFactory(email="=cmd@example.com", confirmed=True)

    changelist = staff_client.get(reverse("admin:pages_subscriber_changelist"))
    assert reverse("admin:pages_subscriber_export") in changelist.content.decode()
    rows = read_csv(staff_client.get(reverse("admin:pages_subscriber_export")))

    assert rows[0] == ["email", "confirmed_at"]
    assert [row[0] for row in rows[1:]] == ["first@example.com", "second@example.com", "'=cmd@example.com"]
    assert rows[1][1] == "2022-01-10T12:00:00+00:00"


def test_export_action_exports_only_the_confirmed_among_those_selected(staff_client):
    chosen = SubscriberFactory(email="chosen@example.com", confirmed=True)
    pending = SubscriberFactory(email="pending@example.com")
    SubscriberFactory(email="other@example.com", confirmed=True)

    response = staff_client.post(
        reverse("admin:pages_subscriber_changelist"),
        {"action": "export_confirmed", "_selected_action": [chosen.pk, pending.pk]},
    )

    assert [row[0] for row in read_csv(response)[1:]] == ["chosen@example.com"]


def test_staff_see_unconfirmed_addresses_marked_as_not_confirmed(staff_client):
    SubscriberFactory(email="pending@example.com")
    SubscriberFactory(email="confirmed@example.com", confirmed=True)

    url = reverse("admin:pages_subscriber_changelist")
    confirmed_only = staff_client.get(url, {"status": "confirmed"}).content.decode()
    everyone = staff_client.get(url).content.decode()

    assert "confirmed@example.com" in confirmed_only
    assert "pending@example.com" not in confirmed_only
    assert "Not confirmed" in everyone


def test_only_staff_can_export_subscribers(client):
    SubscriberFactory(confirmed=True)

    response = client.get(reverse("admin:pages_subscriber_export"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
