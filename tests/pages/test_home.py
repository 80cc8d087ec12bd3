import datetime
import re

import pytest
from django.utils import timezone

from consultations.models import ReviewPhase
from pages.models import Post
from tests.factories import CallFactory, ClosureNoticeFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_review_is_in_plain_words(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Home – Independent Review of Children&#x27;s Social Care</title>" in html
    assert "<h1" in html
    assert "children's social care in England" in html


def timeline_of(html):
    timeline = html[html.index('class="review-timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    phases = re.findall(r'<h3 class="govuk-heading-s[^"]*">([^<]+)</h3>', timeline)
    current = re.findall(r'review-timeline__item--current">\s*<h3[^>]*>([^<]+)</h3>', timeline)
    return timeline, phases, current


def test_once_the_review_has_ended_the_home_page_dates_its_phases_and_the_response(client):
    ClosureNoticeFactory()
    html = client.get("/").content.decode()

    timeline, phases, current = timeline_of(html)
    assert phases == ["Diagnosis", "Discovery", "Development", "Delivery", "Government response"]
    for date in ("January to June 2021", "23 May 2022", "2 February 2023"):
        assert date in timeline
    assert current == ["Government response"]
    assert "How the review worked" in html
    assert "From 2021 to 2023 an independent review looked" in html
    assert "was an independent review of children's social care in England, 2021 to 2023" in html


def test_while_the_review_runs_the_home_page_shows_its_phases_undated_and_the_one_it_is_in(client):
    now = timezone.now()
    CallFactory(phase=ReviewPhase.DEVELOPMENT, opens_at=now - datetime.timedelta(days=1))

    html = client.get("/").content.decode()

    timeline, phases, current = timeline_of(html)
    assert phases == ["Diagnosis", "Discovery", "Development", "Delivery"]
    assert current == ["Development"]
    assert "It is now in the Development phase." in html
    assert timeline.count("Done") == 2 and "Happening now" in timeline and "Still to come" in timeline
    assert not re.search(r"202[123]", html), "no date of the review's real record while it runs"
    assert "An independent review is looking at" in html
    assert "is an independent review of children's social care in England." in html


@pytest.mark.parametrize(
    ("open_phase", "upcoming_phase", "expected"),
    [
        ("development", None, "development"),
        (None, "development", "discovery"),
        (None, "diagnosis", "diagnosis"),
        (None, None, "delivery"),
    ],
)
def test_the_current_phase_is_the_open_calls_else_the_one_before_the_next_call(open_phase, upcoming_phase, expected):
    from types import SimpleNamespace

    from pages.timeline import current_phase

    open_calls = [SimpleNamespace(phase=open_phase)] if open_phase else []
    upcoming_calls = [SimpleNamespace(phase=upcoming_phase)] if upcoming_phase else []
    assert current_phase(open_calls, upcoming_calls) == expected


def test_home_page_links_to_sign_up_only_while_sign_up_is_open(client):
    assert 'href="/updates/">Get an email when the review publishes news</a>' in client.get("/").content.decode()

    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(days=1))
    html = client.get("/").content.decode()

    assert 'href="/updates/"' not in html


def test_home_page_shows_the_latest_three_published_posts(client):
    now = timezone.now()
    for day in range(1, 6):
        PostFactory(title=f"Home news {day}", published_at=now - datetime.timedelta(days=day))
    PostFactory(title="Hidden draft", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Not yet out", published_at=now + datetime.timedelta(days=1))
    html = client.get("/").content.decode()
    assert re.findall(r">(Home news \d)</a>", html) == ["Home news 1", "Home news 2", "Home news 3"]
    assert "Hidden draft" not in html and "Not yet out" not in html
    assert 'href="/news/">All news and blogs</a>' in html


def test_home_page_keeps_a_spot_for_the_calls(client):
    response = client.get("/")
    assert "consultations/includes/home_calls.html" in [t.name for t in response.templates]


def test_home_page_has_no_breadcrumbs(client):
    assert "govuk-breadcrumbs" not in client.get("/").content.decode()


def test_closure_banner_is_on_every_public_page(client):
    ClosureNoticeFactory(message="The review has *finished*.")
    post = PostFactory()
    for url in ("/", "/faqs/", "/news/", post.get_absolute_url(), "/no-such-page/"):
        html = client.get(url).content.decode()
        assert "This website will be closed down by" in html, url
        assert "<em>finished</em>" in html, url
