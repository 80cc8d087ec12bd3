import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client

from core import cache as page_cache
from pages.models import Subscriber
from tests.core import page_cache_urls
from tests.factories import FAQFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.page_cache_urls")]


@pytest.fixture(autouse=True)
def page_cache_views(page_cache_on, settings):
    settings.PUBLIC_PAGE_CACHE_VIEWS = [
        "plain",
        "with_form",
        "with_message",
        "not_cacheable",
        "for_staff",
        "reads_cookie",
        "search_like",
        "reads_session",
    ]
    page_cache_urls.RUNS.clear()


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


def staff_client():
    client = Client()
    client.force_login(get_user_model().objects.create_user("editor", is_staff=True))
    return client


def client_with_session(**values):
    """A returning visitor: a browser holding a session cookie, the session holding `values`."""
    client = Client()
    session = client.session
    session.update(values)
    session.save()
    return client


def test_a_signed_in_member_of_staff_never_gets_the_shared_page():
    visit("/plain/")
    response = staff_client().get("/plain/")
    assert "X-Page-Cache" not in response
    assert page_cache_urls.RUNS["plain"] == 2


def test_a_page_rendered_for_staff_is_never_shared():
    assert b"Draft for staff" in staff_client().get("/for-staff/").content
    response = visit("/for-staff/")
    assert b"Draft for staff" not in response.content
    assert "X-Page-Cache" not in response


def test_a_visitor_with_only_the_csrf_cookie_still_gets_the_shared_page():
    visit("/plain/")
    response = visit("/plain/", csrftoken="x" * 32)
    assert response["X-Page-Cache"] == "hit"


def test_cookies_the_site_never_reads_make_no_difference_either_way():
    visit("/plain/", _ga="GA1.1.123", cookie_choice="accepted")
    response = visit("/plain/", _ga="GA1.1.456")
    assert response["X-Page-Cache"] == "hit"
    assert visit("/plain/")["X-Page-Cache"] == "hit"
    assert page_cache_urls.RUNS["plain"] == 1


def test_a_page_that_read_a_cookie_of_its_own_is_not_shared():
    assert b"theme dark" in visit("/reads-cookie/", theme="dark").content
    response = visit("/reads-cookie/")
    assert b"theme light" in response.content
    assert page_cache_urls.RUNS["reads_cookie"] == 2


def test_a_visitor_whose_session_holds_nothing_gets_the_shared_page():
    visit("/plain/")
    assert client_with_session().get("/plain/")["X-Page-Cache"] == "hit"
    # A journey sent or given up leaves its key behind, empty.
    assert client_with_session(respond_journeys={}).get("/plain/")["X-Page-Cache"] == "hit"
    # A cookie naming a session that has expired (or never was) holds nothing either.
    assert visit("/plain/", sessionid="no-such-session")["X-Page-Cache"] == "hit"


def test_a_page_rendered_for_a_visitor_whose_session_holds_nothing_is_shared():
    client_with_session().get("/plain/")
    assert visit("/plain/")["X-Page-Cache"] == "hit"


JOURNEY = {"respond_journeys": {"1": {"token": "t", "steps": {"about": {"name": ["Sam"]}}}}}


def test_a_visitor_in_the_middle_of_a_response_gets_the_shared_page():
    visit("/plain/")
    assert client_with_session(**JOURNEY).get("/plain/")["X-Page-Cache"] == "hit"
    assert page_cache_urls.RUNS["plain"] == 1


def test_a_page_rendered_for_a_visitor_in_the_middle_of_a_response_is_shared_when_it_read_nothing_of_theirs():
    client_with_session(**JOURNEY).get("/plain/")
    assert visit("/plain/")["X-Page-Cache"] == "hit"


def test_a_page_that_reads_the_session_is_never_shared_whoever_it_was_rendered_for():
    journey = client_with_session(**JOURNEY)
    assert b"Sam" in journey.get("/reads-session/").content
    assert b"Sam" not in visit("/reads-session/").content
    visit("/reads-session/")
    assert "X-Page-Cache" not in journey.get("/reads-session/")
    assert page_cache_urls.RUNS["reads_session"] == 4


def test_a_hard_refresh_gets_the_page_rendered_afresh():
    visit("/plain/")
    assert "X-Page-Cache" not in Client().get("/plain/", headers={"Cache-Control": "no-cache"})
    assert page_cache_urls.RUNS["plain"] == 2


def test_a_visitor_with_a_message_waiting_does_not_get_the_shared_page():
    visit("/plain/")
    client = Client()
    client.get("/leave-message/")  # the message waits in a cookie for the next page
    assert "messages" in client.cookies
    assert "X-Page-Cache" not in client.get("/plain/")
    in_session = client_with_session(_messages='[["__json_message", 0, 25, "Saved"]]')
    assert "X-Page-Cache" not in in_session.get("/plain/")
    assert page_cache_urls.RUNS["plain"] == 3


def test_a_page_carrying_a_csrf_token_is_not_shared_from_a_visitor_with_cookies_either():
    client = client_with_session()
    client.cookies["csrftoken"] = "x" * 32
    client.get("/with-form/")
    visit("/with-form/", csrftoken="y" * 32)
    assert page_cache_urls.RUNS["with_form"] == 2


def test_results_pages_are_kept_per_normalised_query():
    first = visit("/search-like/?q=care+leavers")
    same = Client().get("/search-like/", {"q": "  care   leavers "})
    other = Client().get("/search-like/", {"q": "care"})
    assert same["X-Page-Cache"] == "hit"
    assert same.content == first.content
    assert "X-Page-Cache" not in other
    assert b"results for care</p>" in other.content
    assert page_cache_urls.RUNS["search_like"] == 2


def test_results_pages_stay_in_each_workers_memory_out_of_the_shared_cache():
    visit("/plain/")
    visit("/search-like/?q=care")
    page_cache._Local.clear()  # another worker
    assert visit("/plain/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in visit("/search-like/?q=care")
    assert visit("/search-like/?q=care")["X-Page-Cache"] == "hit"


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


def test_a_page_rendered_while_an_edit_was_still_uncommitted_is_not_kept_after_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        FAQFactory()  # the version changes now ...
        during = cache.get(page_cache.VERSION_KEY)
    # ... and again at the commit: what another worker rendered in between, from the old rows, is not used.
    assert cache.get(page_cache.VERSION_KEY) != during


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


# What each worker remembers for pages rendered afresh (navigation, closure notice, fragments).


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute


def test_a_remembered_value_is_computed_once_per_content_version():
    compute = counter()
    assert page_cache.remember("key", compute) == 1
    assert page_cache.remember("key", compute) == 1
    FAQFactory()
    assert page_cache.remember("key", compute) == 2


def test_a_remembered_value_is_computed_again_after_the_page_cache_timeout(monkeypatch):
    compute = counter()
    page_cache.remember("key", compute)
    later = time.monotonic() + 61
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    assert page_cache.remember("key", compute) == 2


def test_nothing_is_remembered_while_the_page_cache_is_off(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    compute = counter()
    page_cache.remember("key", compute)
    assert page_cache.remember("key", compute) == 2


def test_a_worker_forgets_its_oldest_remembered_values_first(monkeypatch):
    monkeypatch.setattr(page_cache, "MEMO_MAX_ENTRIES", 3)
    for key in "abcd":
        page_cache.remember(key, counter())
    assert list(page_cache._Local.memo) == ["b", "c", "d"]


def test_the_cache_refuses_to_start_with_a_session_engine_that_cannot_say_what_a_page_read(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    with pytest.raises(ImproperlyConfigured):
        page_cache.PublicPageCacheMiddleware(lambda request: None)
