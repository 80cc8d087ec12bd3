"""The cache shared by every server: counters are not culled early, and sessions outlive the cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory

from core import ratelimit
from tests.submissions.journey_helpers import (
    ABOUT,
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    make_advice_call,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.mark.skipif("DatabaseCache" not in settings.CACHES["default"]["BACKEND"], reason="the database cache only")
def test_a_rate_limit_counter_survives_many_other_cache_entries(settings):
    settings.RESPONSE_RATE_LIMIT = "2/h"
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    assert ratelimit.hit(request) and ratelimit.hit(request)
    # Django's default ceiling is 300 entries, past which a write deletes a third of them, in key order.
    for n in range(400):
        cache.set(f"zz-page-{n}", "x", 600)
    assert not ratelimit.hit(request)


def test_a_journeys_answers_outlive_the_cache_being_emptied(client):
    call = make_advice_call()
    assert client.post(url(call, "respond_about"), ABOUT).status_code == 302

    cache.clear()  # Redis restarted, or evicted the session

    page = client.get(url(call, "respond_about")).content.decode()
    assert 'value="Sam Example"' in page and 'value="sam@example.org"' in page
