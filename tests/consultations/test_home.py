"""The home page shows the calls people can answer now or soon."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CallFactory, ClosureNoticeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_home_page_shows_open_calls_with_start_now_and_upcoming_calls_without(client):
    now = timezone.now()
    CallFactory(title="Call for Ideas", slug="call-for-ideas", opens_at=now - DAY, closes_at=now + 30 * DAY)
    CallFactory(title="Call for Views", slug="call-for-views", opens_at=now + 3 * DAY, closes_at=now + 30 * DAY)

    html = client.get("/").content.decode()

    assert 'href="/calls/call-for-ideas/"' in html
    assert 'href="/calls/call-for-ideas/respond/"' in html
    assert 'href="/calls/call-for-views/"' in html
    assert "/calls/call-for-views/respond/" not in html
    assert html.count("Start now") == 1


def test_once_every_call_has_closed_the_home_page_invites_people_to_read_what_we_heard(client):
    now = timezone.now()
    CallFactory(title="Call for Advice", slug="call-for-advice", opens_at=now - 40 * DAY, closes_at=now - 10 * DAY)
    CallFactory(title="Call for Secrets", slug="secrets", opens_at=now - 40 * DAY, closes_at=now - 10 * DAY,
                responses_may_be_published=False)  # fmt: skip

    html = client.get("/").content.decode()

    assert "What we heard" in html and "Have your say" not in html
    assert 'href="/calls/call-for-advice/">Call for Advice</a>' in html
    assert 'href="/calls/call-for-advice/responses/">Read the published responses' in html
    assert "/calls/secrets/responses/" not in html
    assert "Start now" not in html


def test_home_page_says_have_your_say_while_a_call_is_open_or_to_come(client):
    now = timezone.now()
    CallFactory(title="Call for Views", slug="call-for-views", opens_at=now + 3 * DAY, closes_at=now + 30 * DAY)

    html = client.get("/").content.decode()

    assert "Have your say" in html and "What we heard" not in html


def test_home_page_offers_no_start_button_once_the_site_has_closed(client):
    CallFactory(title="Call for Ideas")
    ClosureNoticeFactory(closes_at=timezone.now() - DAY)

    html = client.get("/").content.decode()

    assert "Call for Ideas" in html
    assert "Start now" not in html
    assert "What we heard" in html, "nothing takes part once the website has closed"


def test_home_page_makes_the_same_number_of_queries_for_3_or_30_calls(client, django_assert_max_num_queries):
    def make_calls(number):
        now = timezone.now()
        for index in range(number):
            start = now + (index % 3 - 1) * 40 * DAY
            CallFactory(opens_at=start - DAY, closes_at=start + 30 * DAY)

    def count():
        with django_assert_max_num_queries(12) as captured:
            assert client.get("/").status_code == 200
        return len(captured.captured_queries)

    make_calls(3)
    few = count()
    make_calls(27)
    assert count() == few
