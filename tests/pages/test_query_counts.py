"""Every public page runs the same few SQL queries however much content there is (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ClosureNotice
from pages import stems
from pages.models import FAQ, Page, Post
from review_site.urls import SITEMAPS
from tests.factories import ClosureNoticeFactory, FAQFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def make_content(count):
    ClosureNoticeFactory()
    now = timezone.now()
    for n in range(count):
        PostFactory(published_at=now - datetime.timedelta(days=n + 1))
        FAQFactory()
        location = [Page.NavLocation.HEADER, Page.NavLocation.FOOTER, Page.NavLocation.NONE][n % 3]
        PageFactory(nav_location=location, nav_order=n)
    PageFactory(slug="about", title="About the review")


def count_queries(client, url):
    stems.forget()  # search: the most it runs, as a worker that has stemmed none of the words yet
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def middle_post_url():
    posts = list(Post.objects.published())
    return posts[len(posts) // 2].get_absolute_url()


PAGES = {
    # url (or a callable giving it) and the most queries the page may run
    # closure notice, navigation pages, latest posts; the calls section's open and upcoming calls and closed check
    "home": ("/", 6),
    "faqs": ("/faqs/", 3),
    "news list": ("/news/", 4),
    "news list page 2": ("/news/?page=2", 4),
    "post": (middle_post_url, 5),
    "content page": ("/about/", 3),
    # closure notice, navigation pages, one query per searched model (FAQs, posts, pages, calls) and, on
    # PostgreSQL, one for the stems of words new to the worker
    "search": ("/search/?q=markdown", 7),
    "feed": ("/news/feed/", 2),  # posts, and publications (registered by that app)
    # at most a COUNT and a SELECT for each section, whichever app added it
    "sitemap": ("/sitemap.xml", 2 * len(SITEMAPS)),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_a_fixed_number_of_queries_with_3_or_50_items(client, name):
    url, most = PAGES[name]
    counts = {}
    for size in (3, 50):
        # Fresh content for each size, inside the same test transaction.
        Post.objects.all().delete()
        FAQ.objects.all().delete()
        Page.objects.all().delete()
        ClosureNotice.objects.all().delete()
        make_content(size if name != "news list page 2" else max(size, 11))
        counts[size] = count_queries(client, url() if callable(url) else url)
    assert counts[3] == counts[50], counts
    assert counts[50] <= most, counts
