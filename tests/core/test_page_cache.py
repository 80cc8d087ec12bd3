import time

import pytest
from django.core.cache import cache
from django.test import Client

from core import cache as page_cache
from pages.models import Subscriber
from tests.core import page_cache_urls
from tests.factories import FAQFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.page_cache_urls")]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.PUBLIC_PAGE_CACHE_VIEWS = ["plain", "with_form", "with_message", "not_cacheable"]
    page_cache_urls.RUNS.clear()
    page_cache._Local.clear()
    yield
    page_cache._Local.clear()


def visit(path, **cookies):
    """A first-time visitor: a fresh browser with no cookie unless given."""
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client.get(path)


def test_anonymous_visitors_share_one_rendering_of_a_public_page():
    first, second = visit("/plain/"), visit("/plain/")
    assert first.content == second.content
    assert second["X-Page-Cache"] == "hit"
    assert page_cache_urls.RUNS["plain"] == 1


def test_a_page_carrying_a_csrf_token_is_never_shared_between_visitors():
    first, second = visit("/with-form/"), visit("/with-form/")
    assert page_cache_urls.RUNS["with_form"] == 2
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "X-Page-Cache" not in second


def test_a_page_showing_a_message_is_not_shared():
    visit("/with-message/")
    visit("/with-message/")
    assert page_cache_urls.RUNS["with_message"] == 2


def test_a_page_that_says_never_cache_is_rendered_every_time():
    visit("/not-cacheable/")
    visit("/not-cacheable/")
    assert page_cache_urls.RUNS["not_cacheable"] == 2


def test_only_the_listed_views_are_cached():
    visit("/not-listed/")
    visit("/not-listed/")
    assert page_cache_urls.RUNS["not_listed"] == 2


def test_someone_signed_in_never_gets_the_shared_page():
    visit("/plain/")
    response = visit("/plain/", sessionid="abc")
    assert "X-Page-Cache" not in response
    assert page_cache_urls.RUNS["plain"] == 2


def test_a_visitor_with_only_the_csrf_cookie_still_gets_the_shared_page():
    visit("/plain/")
    response = visit("/plain/", csrftoken="x" * 32)
    assert response["X-Page-Cache"] == "hit"


def test_an_address_with_a_query_string_is_rendered_afresh():
    visit("/plain/")
    response = Client().get("/plain/", {"page": "2"})
    assert "X-Page-Cache" not in response
    assert page_cache_urls.RUNS["plain"] == 2


def test_an_edit_to_content_shows_at_once():
    assert b"0 questions" in visit("/plain/").content
    FAQFactory()
    response = visit("/plain/")
    assert b"1 questions" in response.content
    assert "X-Page-Cache" not in response


def test_the_cache_is_off_when_its_timeout_is_zero(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    visit("/plain/")
    visit("/plain/")
    assert page_cache_urls.RUNS["plain"] == 2


def test_a_worker_that_did_not_make_the_edit_shows_it_within_the_version_check(settings, monkeypatch):
    settings.PUBLIC_PAGE_CACHE_VERSION_CHECK = 2
    visit("/plain/")
    # Another worker saved something: only the shared version changed, not this worker's memory.
    cache.set(page_cache.VERSION_KEY, "changed elsewhere", None)
    assert visit("/plain/")["X-Page-Cache"] == "hit"
    later = time.monotonic() + 3
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    response = visit("/plain/")
    assert "X-Page-Cache" not in response
    assert page_cache_urls.RUNS["plain"] == 2


def test_a_stored_page_is_rendered_again_after_its_timeout(monkeypatch):
    visit("/plain/")
    later = time.time() + 61
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert "X-Page-Cache" not in visit("/plain/")
    assert page_cache_urls.RUNS["plain"] == 2


def test_a_sign_up_for_updates_does_not_empty_the_cache_for_everyone():
    visit("/plain/")
    Subscriber.objects.create(email="someone@example.org")
    assert visit("/plain/")["X-Page-Cache"] == "hit"
