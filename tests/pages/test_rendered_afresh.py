"""Pages rendered afresh for a visitor the page cache does not serve (here someone in the middle of a response who
asks for every page afresh, as a hard refresh does): the menu,
the footer and the closure banner come from what each worker remembers for the content version (core.cache.remember),
and still change the moment content does."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ClosureNotice
from pages.models import Page, Post
from tests.factories import CallFactory, ClosureNoticeFactory, FAQFactory, PageFactory, PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def respondent():
    """A browser whose session holds a journey's answers and that asks for every page afresh (Cache-Control: no-cache,
    as a hard refresh does): never served a shared page."""
    client = Client(headers={"Cache-Control": "no-cache"})
    session = client.session
    session["respond_journeys"] = {"1": {"token": "t", "steps": {"about": {"name": ["Sam"]}}}}
    session.save()
    return client


def test_the_menu_footer_and_closure_banner_cost_no_query_once_remembered(respondent):
    ClosureNoticeFactory()
    PageFactory(title="About the review", nav_location=Page.NavLocation.HEADER)
    PageFactory(title="Privacy", nav_location=Page.NavLocation.FOOTER)
    respondent.get("/faqs/")
    with CaptureQueriesContext(connection) as queries:
        response = respondent.get("/faqs/")
    html = response.content.decode()
    assert "X-Page-Cache" not in response
    assert "About the review" in html and "Privacy" in html and "This website will be closed down by" in html
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "pages_page" not in tables
    assert "closurenotice" not in tables


def test_an_edit_to_a_menu_page_shows_at_once_on_a_page_rendered_afresh(respondent):
    page = PageFactory(title="About the review", nav_location=Page.NavLocation.HEADER)
    assert "About the review" in respondent.get("/faqs/").content.decode()
    page.nav_label = "About us"
    page.save()
    html = respondent.get("/faqs/").content.decode()
    assert "About us" in html and "About the review</a>" not in html


def test_the_item_for_the_page_shown_is_the_current_one_in_a_remembered_menu(respondent):
    respondent.get("/faqs/")
    news = respondent.get("/news/").content.decode()
    assert 'href="/news/" aria-current="page"' in news
    assert 'href="/faqs/" aria-current="page"' not in news


def test_a_remembered_closure_notice_says_closed_once_its_date_has_passed(respondent):
    ClosureNoticeFactory(closes_at=timezone.now() + datetime.timedelta(hours=1))
    assert "This website will be closed down by" in respondent.get("/faqs/").content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        html = respondent.get("/faqs/").content.decode()
    assert "This website closed on" in html


def test_a_form_that_accepts_something_asks_the_database_whether_the_site_has_closed(respondent):
    respondent.get("/faqs/")  # remembers that no notice is up
    # Put up without a signal (as a bulk update or a command would), so no worker hears of it.
    ClosureNotice.objects.bulk_create(
        [
            ClosureNotice(
                message="Closed.",
                closes_at=timezone.now() - datetime.timedelta(days=1),
                archive_url="https://a.example/",
                is_active=True,
            )
        ]
    )
    response = Client().post("/updates/", {"email": "someone@example.org"})
    assert response.status_code == 403


# The pages' own content: remembered too, picked by the clock on every request.


def test_pages_rendered_afresh_run_no_query_for_their_content(respondent):
    post = PostFactory(title="Care week")
    call = CallFactory(slug="call-for-ideas")
    PageFactory(slug="about", title="About the review")
    FAQFactory(question="Who runs the review?")
    for path in ("/", "/faqs/", "/news/", post.get_absolute_url(), call.get_absolute_url(), "/about/"):
        respondent.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert respondent.get(path).status_code == 200, path
        tables = " ".join(query["sql"] for query in queries.captured_queries)
        for table in ("pages_post", "pages_faq", "pages_page", "consultations_call", "consultations_question"):
            assert table not in tables, (path, table)


def test_a_post_dated_later_shows_on_every_page_once_its_time_comes(respondent):
    later = PostFactory(title="Published at noon", published_at=timezone.now() + datetime.timedelta(hours=1))
    for path in ("/", "/news/"):
        assert "Published at noon" not in respondent.get(path).content.decode()
    assert respondent.get(later.get_absolute_url()).status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        for path in ("/", "/news/", later.get_absolute_url()):
            assert "Published at noon" in respondent.get(path).content.decode(), path


def test_a_remembered_draft_is_still_only_for_staff(respondent, django_user_model):
    draft = PostFactory(title="Not yet", status=Post.Status.DRAFT, published_at=None)
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    assert "Not yet" in staff.get(draft.get_absolute_url()).content.decode()
    assert respondent.get(draft.get_absolute_url()).status_code == 404
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_an_edit_to_a_post_or_a_call_shows_at_once_on_a_page_rendered_afresh(respondent):
    post = PostFactory(title="Care week")
    call = CallFactory(title="Call for Ideas")
    respondent.get(post.get_absolute_url())
    respondent.get(call.get_absolute_url())
    post.title, call.title = "Care fortnight", "Call for Solutions"
    post.save()
    call.save()
    assert "Care fortnight" in respondent.get(post.get_absolute_url()).content.decode()
    assert "Call for Solutions" in respondent.get(call.get_absolute_url()).content.decode()


def test_a_call_opening_and_closing_on_its_dates_shows_on_the_home_page_rendered_afresh(respondent):
    now = timezone.now()
    CallFactory(
        title="Call for Ideas",
        opens_at=now + datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=3),
    )
    assert "Opens at" in respondent.get("/").content.decode()
    with time_machine.travel(now + datetime.timedelta(hours=2)):
        assert "Start now" in respondent.get("/").content.decode()
    with time_machine.travel(now + datetime.timedelta(hours=4)):
        html = respondent.get("/").content.decode()
    assert "What we heard" in html and "Start now" not in html
