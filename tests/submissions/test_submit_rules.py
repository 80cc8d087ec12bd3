"""What the server enforces on Submit: the call's window, one response per journey, archive mode, spam and CSRF."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.test.client import RequestFactory
from django.utils import timezone

from core import ratelimit
from submissions.journey import JourneyData
from submissions.models import Answer, Submission
from submissions.services import responses
from tests.factories import ClosureNoticeFactory, SubmissionFactory

from .journey_helpers import (
    ABOUT,
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    journey_token,
    make_advice_call,
    submit,
    url,
    walk_to_check,
)

pytestmark = pytest.mark.django_db

CLOSES_AT = datetime.datetime(2031, 3, 1, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture
def closing_call():
    return make_advice_call(opens_at=CLOSES_AT - datetime.timedelta(days=30), closes_at=CLOSES_AT)


# The call's window, by the server's clock


def test_submit_a_second_before_the_call_closes_is_stored(client, closing_call):
    with time_machine.travel(CLOSES_AT - datetime.timedelta(hours=1), tick=False):
        walk_to_check(client, closing_call)
    with time_machine.travel(CLOSES_AT - datetime.timedelta(seconds=1), tick=False):
        response = submit(client, closing_call)
    assert response.status_code == 302 and response.url == url(closing_call, "respond_confirmation")
    assert Submission.objects.count() == 1


def test_submit_a_second_after_the_call_closes_says_so_and_stores_nothing(client, closing_call):
    with time_machine.travel(CLOSES_AT - datetime.timedelta(hours=1), tick=False):
        walk_to_check(client, closing_call)
    with time_machine.travel(CLOSES_AT + datetime.timedelta(seconds=1), tick=False):
        response = submit(client, closing_call)
    assert response.status_code == 410
    html = response.content.decode()
    assert "This call has closed" in html
    assert "Your response was not sent" in html
    assert Submission.objects.count() == 0
    assert Answer.objects.count() == 0


def test_submit_at_the_exact_closing_time_is_too_late(client, closing_call):
    with time_machine.travel(CLOSES_AT - datetime.timedelta(hours=1), tick=False):
        walk_to_check(client, closing_call)
    with time_machine.travel(CLOSES_AT, tick=False):
        assert submit(client, closing_call).status_code == 410
    assert Submission.objects.count() == 0


def test_the_service_refuses_a_closed_call_whatever_the_view_checked(closing_call):
    journey = JourneyData(
        token="00000000-0000-4000-8000-000000000001",
        respondent_type="carer",
        publication="anonymous",
        consented=True,
    )
    with pytest.raises(responses.CallNotOpen):
        responses.submission_create(call=closing_call, journey=journey, now=CLOSES_AT)
    submission, created = responses.submission_create(
        call=closing_call, journey=journey, now=CLOSES_AT - datetime.timedelta(seconds=1)
    )
    assert created and submission.submitted_at == CLOSES_AT - datetime.timedelta(seconds=1)


# One response per journey


def test_pressing_submit_twice_stores_one_response_and_shows_the_same_confirmation(client):
    call = make_advice_call()
    walk_to_check(client, call)
    token = journey_token(client, call)
    first = submit(client, call, token=token)
    second = submit(client, call, token=token)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == url(call, "respond_confirmation")
    submission = Submission.objects.get()
    assert submission.reference in client.get(second.url).content.decode()


def test_back_then_submit_again_shows_the_same_confirmation(client):
    call = make_advice_call()
    walk_to_check(client, call)
    token = journey_token(client, call)
    submit(client, call, token=token)
    # Back to the check answers page (from the browser's history), then Send again.
    response = submit(client, call, token=token)
    assert response.url == url(call, "respond_confirmation")
    assert Submission.objects.count() == 1


def test_submitting_from_a_second_tab_shows_the_first_tabs_confirmation(client):
    call = make_advice_call()
    walk_to_check(client, call)
    token = journey_token(client, call)
    second_tab = Client()
    second_tab.cookies = client.cookies
    submit(client, call, token=token)
    response = submit(second_tab, call, token=token)
    assert response.url == url(call, "respond_confirmation")
    reference = Submission.objects.get().reference
    assert reference in second_tab.get(response.url).content.decode()


def test_a_new_journey_after_submitting_starts_empty_and_stores_a_second_response(client):
    call = make_advice_call()
    walk_to_check(client, call)
    first_token = journey_token(client, call)
    submit(client, call)
    response = client.get(url(call, "respond_start"))
    assert response.url == url(call, "respond_about")
    assert 'value="Sam Example"' not in client.get(response.url).content.decode()
    walk_to_check(client, call)
    assert journey_token(client, call) != first_token
    submit(client, call)
    assert Submission.objects.count() == 2


def test_the_same_token_inserted_concurrently_returns_the_existing_response(client):
    """The race a double click can cause: the row appears between our look-up and our insert."""
    call = make_advice_call()
    existing = SubmissionFactory(call=call)
    journey = JourneyData(
        token=existing.journey_token, respondent_type="carer", publication="anonymous", consented=True
    )
    with transaction.atomic():
        # The savepoint keeps the outer transaction usable after the IntegrityError.
        submission, created = responses._insert_submission(call, journey, timezone.now())
        assert Submission.objects.count() == 1
    assert submission == existing and not created


def test_a_reference_collision_is_retried_with_a_new_reference():
    call = make_advice_call()
    SubmissionFactory(call=call, reference="ADVICE-2222-2222")
    journey = JourneyData(
        token="00000000-0000-4000-8000-000000000002", respondent_type="carer", publication="anonymous", consented=True
    )
    with mock.patch.object(responses, "reference_generate", side_effect=["ADVICE-2222-2222", "ADVICE-3333-3333"]):
        submission, created = responses.submission_create(call=call, journey=journey)
    assert created and submission.reference == "ADVICE-3333-3333"


def test_a_stale_check_answers_page_from_an_older_journey_submits_nothing(client):
    call = make_advice_call()
    walk_to_check(client, call)
    response = submit(client, call, token="00000000-0000-4000-8000-000000000009")
    assert response.status_code == 302 and response.url == url(call, "respond_check")
    assert Submission.objects.count() == 0


# Archive mode


@pytest.mark.parametrize("name", ["respond_start", "respond_about", "respond_answers", "respond_check"])
def test_archive_mode_refuses_every_step(client, name):
    call = make_advice_call()
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(days=1))
    response = client.get(url(call, name))
    assert "You can no longer respond" in response.content.decode()
    assert 'name="respond_type"' not in response.content.decode()
    assert client.post(url(call, name), ABOUT).status_code == 403


def test_archive_mode_refuses_a_journey_started_before_the_site_closed(client):
    call = make_advice_call()
    walk_to_check(client, call)
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    response = submit(client, call)
    assert response.status_code == 403
    assert Submission.objects.count() == 0


# Spam


def test_a_filled_honeypot_on_about_you_stores_nothing_and_shows_no_reference(client):
    call = make_advice_call()
    walk_to_check(client, call, about={**ABOUT, "website": "https://spam.example"})
    response = submit(client, call)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your response could not be sent" in html
    assert "govuk-panel--confirmation" not in html
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_a_filled_honeypot_on_the_submit_form_stores_nothing(client):
    call = make_advice_call()
    walk_to_check(client, call)
    response = submit(client, call, website="buy now")
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    call = make_advice_call()
    html = client.get(url(call, "respond_about")).content.decode()
    honeypot = html.split('class="review-hp"')[1].split("</div>")[0]
    assert 'aria-hidden="true"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot


def test_too_many_submits_from_one_address_get_a_friendly_429(client, settings):
    settings.RESPONSE_RATE_LIMIT = "2/h"
    call = make_advice_call()
    for _ in range(2):
        walk_to_check(client, call)
        assert submit(client, call).status_code == 302
    walk_to_check(client, call)
    response = submit(client, call)
    assert response.status_code == 429
    assert "Too many responses from your connection" in response.content.decode()
    assert Submission.objects.count() == 2
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.77")
    walk_to_check(other, call)
    assert submit(other, call).status_code == 302


@pytest.mark.cache_time_travel
def test_the_submit_limit_still_holds_ten_minutes_later_and_ends_with_the_hour(client, settings):
    # The database cache writes a counter again with its default timeout (5 minutes) on each count.
    settings.RESPONSE_RATE_LIMIT = "1/h"
    call = make_advice_call()
    start = (timezone.now() + datetime.timedelta(hours=1)).replace(minute=1, second=0, microsecond=0)
    for minutes, status in [(0, 302), (10, 429), (58, 429), (60, 302)]:
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            walk_to_check(client, call)
            assert submit(client, call).status_code == status, minutes


def test_a_made_up_forwarded_for_header_does_not_dodge_the_limit(client, settings):
    settings.RESPONSE_RATE_LIMIT = "1/h"
    call = make_advice_call()
    walk_to_check(client, call)
    submit(client, call, HTTP_X_FORWARDED_FOR="198.51.100.1")
    walk_to_check(client, call)
    assert submit(client, call, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_forwarded_for_is_trusted_only_from_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4")
    settings.RESPONSE_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.RESPONSE_TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "198.51.100.4"
    settings.RESPONSE_TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_address(request) == "203.0.113.9"


@pytest.mark.parametrize(("rate", "expected"), [("10/h", (10, 3600)), ("5/m", (5, 60)), ("100/day", (100, 86400))])
def test_rate_setting_is_read_as_count_per_period(rate, expected):
    assert ratelimit.parse_rate(rate) == expected


# CSRF


def test_a_post_without_a_csrf_token_gets_the_sites_own_403_page(db):
    call = make_advice_call()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url(call, "respond_about"), ABOUT)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "govuk-template" in html


def test_submit_pressed_again_after_the_call_closed_still_shows_the_confirmation(client, closing_call):
    with time_machine.travel(CLOSES_AT - datetime.timedelta(minutes=5), tick=False):
        walk_to_check(client, closing_call)
        token = journey_token(client, closing_call)
        submit(client, closing_call, token=token)
    with time_machine.travel(CLOSES_AT + datetime.timedelta(minutes=5), tick=False):
        response = submit(client, closing_call, token=token)
        assert response.status_code == 302 and response.url == url(closing_call, "respond_confirmation")
        assert Submission.objects.get().reference in client.get(response.url).content.decode()
