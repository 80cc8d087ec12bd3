import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from pages.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_feed(client):
    response = client.get("/news/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_is_valid_atom_with_one_entry_per_published_post(client):
    PostFactory(title="First news", published_at=timezone.now() - datetime.timedelta(days=3))
    PostFactory(title="Second news", published_at=timezone.now() - datetime.timedelta(days=2))
    blog = PostFactory(title="Third blog", kind=Post.Kind.BLOG, author_name="Alex Lead")
    root = parse_feed(client)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text.startswith("News, blogs and publications")
    assert root.find(f"{ATOM}id") is not None
    assert root.find(f"{ATOM}updated") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Third blog", "Second news", "First news"]
    for entry in entries:
        for child in ("id", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{child}") is not None
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Alex Lead"
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver{blog.get_absolute_url()}"


def test_feed_leaves_out_drafts_and_posts_dated_in_the_future(client):
    PostFactory(title="Out now")
    PostFactory(title="Still a draft", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Coming soon", published_at=timezone.now() + datetime.timedelta(days=1))
    root = parse_feed(client)
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Out now"]


def test_feed_with_no_posts_is_still_a_valid_atom_feed(client):
    root = parse_feed(client)
    assert root.tag == f"{ATOM}feed"
    assert root.findall(f"{ATOM}entry") == []


def test_every_page_points_feed_readers_to_the_feed(client):
    html = client.get("/news/").content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/news/feed/"' in html
