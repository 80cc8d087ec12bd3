import datetime
import re

import pytest
from django.utils import timezone

from pages.models import Post
from tests.factories import ClosureNoticeFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_review_is_in_plain_words(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Home – Independent Review of Children&#x27;s Social Care</title>" in html
    assert "<h1" in html
    assert "children's social care in England" in html


def test_home_page_shows_the_four_phases_in_order_with_their_dates(client):
    html = client.get("/").content.decode()
    timeline = html[html.index('class="review-timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    phases = re.findall(r'<h3 class="govuk-heading-s[^"]*">([^<]+)</h3>', timeline)
    assert phases == ["Diagnosis", "Discovery", "Development", "Delivery", "Government response"]
    for date in ("January to June 2021", "23 May 2022", "2 February 2023"):
        assert date in timeline


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
