import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from pages.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2022, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    client.force_login(user)
    return client


def test_news_list_shows_published_posts_newest_first(client):
    PostFactory(title="Older news", published_at=timezone.now() - datetime.timedelta(days=10))
    PostFactory(title="Newer news", published_at=timezone.now() - datetime.timedelta(days=1))
    html = client.get("/news/").content.decode()
    assert html.index("Newer news") < html.index("Older news")


def test_news_list_hides_drafts_and_posts_dated_in_the_future(client):
    PostFactory(title="Visible news")
    PostFactory(title="Secret draft", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Embargoed news", published_at=timezone.now() + datetime.timedelta(hours=1))
    html = client.get("/news/").content.decode()
    assert "Visible news" in html
    assert "Secret draft" not in html
    assert "Embargoed news" not in html


def test_news_list_shows_ten_posts_a_page_with_govuk_pagination(client):
    for day in range(23):
        PostFactory(title=f"Post of day {day:02d}", published_at=timezone.now() - datetime.timedelta(days=day + 1))
    first = client.get("/news/").content.decode()
    assert first.count('class="review-post-summary"') == 10
    assert "Post of day 00" in first and "Post of day 10" not in first
    assert 'class="govuk-pagination"' in first
    assert 'href="?page=2" rel="next"' in first

    third = client.get("/news/?page=3").content.decode()
    assert third.count('class="review-post-summary"') == 3
    assert 'aria-current="page">3</a>' in third
    assert 'href="?page=2" rel="prev"' in third
    assert "(page 3 of 3)" in third


def test_news_list_has_no_pagination_when_everything_fits_on_one_page(client):
    PostFactory()
    assert "govuk-pagination" not in client.get("/news/").content.decode()


@pytest.mark.parametrize("page", ["999", "x", "0"])
def test_news_list_page_out_of_range_or_not_a_number_is_not_found(client, page):
    PostFactory()
    assert client.get(f"/news/?page={page}").status_code == 404


def test_post_page_shows_title_summary_author_date_kind_and_body(client):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(
            title="Tell us your ideas",
            summary="The Call for Ideas is open.",
            body="## What we ask\n\nSend us **ideas**.",
            author_name="Alex Lead",
            author_role="Lead reviewer",
            kind=Post.Kind.BLOG,
            published_at=datetime.datetime(2021, 11, 4, 9, 0, tzinfo=datetime.UTC),
        )
        response = client.get(post.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Tell us your ideas – Independent Review of Children&#x27;s Social Care</title>" in html
    assert '<h1 class="govuk-heading-xl">Tell us your ideas</h1>' in html
    assert "The Call for Ideas is open." in html
    assert "By Alex Lead, Lead reviewer" in html
    assert "4 November 2021" in html
    assert re.search(r'<strong class="govuk-tag[^"]*">Blog</strong>', html)
    assert "<h2>What we ask</h2>" in html and "<strong>ideas</strong>" in html


def test_post_page_has_breadcrumbs_back_to_news(client):
    post = PostFactory(title="A news item")
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'class="govuk-breadcrumbs"' in html
    assert '<a class="govuk-breadcrumbs__link" href="/news/">News and blogs</a>' in html
    assert 'aria-current="page">A news item</li>' in html


def test_markdown_in_a_post_never_delivers_a_script_or_javascript_link_to_the_reader(client):
    post = PostFactory(
        body=(
            "Hello <script>alert('stolen')</script> there.\n\n"
            '[Click me](javascript:alert(1)) and <a href="javascript:alert(2)">me</a>\n\n'
            '<img src="x" onerror="alert(3)">\n\n'
            "[A safe link](https://www.gov.uk/)"
        )
    )
    html = client.get(post.get_absolute_url()).content.decode()
    body = html[html.index('class="review-prose"') :]
    body = body[: body.index("Share this page")]
    assert "<script" not in body
    assert "javascript:" not in body
    assert "onerror" not in body
    assert 'href="https://www.gov.uk/"' in body


def test_draft_post_is_not_found_for_the_public(client):
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_post_dated_in_the_future_is_not_found_until_its_publication_date(client):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(published_at=NOW + datetime.timedelta(days=1))
        assert client.get(post.get_absolute_url()).status_code == 404
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert client.get(post.get_absolute_url()).status_code == 200


def test_non_staff_user_cannot_preview_a_draft(client, django_user_model):
    user = django_user_model.objects.create_user("member", password="a-long-password-1")
    client.force_login(user)
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft_with_a_clear_banner_and_it_is_not_cached(staff_client):
    post = PostFactory(title="Work in progress", status=Post.Status.DRAFT, published_at=None)
    response = staff_client.get(post.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: not published" in html
    assert "This post is a draft" in html
    assert "Work in progress" in html
    assert "no-store" in response["Cache-Control"]
    assert f'href="/admin/pages/post/{post.pk}/change/">Edit this post</a>' in html
    assert "Share this page" not in html


def test_staff_can_preview_a_post_dated_in_the_future(staff_client):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(published_at=datetime.datetime(2022, 7, 1, 9, 0, tzinfo=datetime.UTC))
        html = staff_client.get(post.get_absolute_url()).content.decode()
    assert "Preview: not published" in html
    # 9:00 UTC in July is 10am in London, written the GOV.UK way.
    assert "will be published at 10am on 1 July 2022" in html


def test_staff_see_no_preview_banner_on_a_published_post(staff_client):
    post = PostFactory()
    assert "Preview: not published" not in staff_client.get(post.get_absolute_url()).content.decode()


def test_post_links_to_the_previous_and_next_published_posts_only(client):
    base = timezone.now() - datetime.timedelta(days=30)
    older = PostFactory(title="Older post", published_at=base)
    PostFactory(title="Draft in between", status=Post.Status.DRAFT, published_at=base + datetime.timedelta(days=1))
    middle = PostFactory(title="Middle post", published_at=base + datetime.timedelta(days=2))
    newer = PostFactory(title="Newer post", published_at=base + datetime.timedelta(days=3))
    PostFactory(title="Future post", published_at=timezone.now() + datetime.timedelta(days=3))

    html = client.get(middle.get_absolute_url()).content.decode()
    assert f'href="{older.get_absolute_url()}" rel="prev"' in html
    assert f'href="{newer.get_absolute_url()}" rel="next"' in html
    assert "Draft in between" not in html

    newest = client.get(newer.get_absolute_url()).content.decode()
    assert 'rel="next"' not in newest
    assert "Future post" not in newest

    oldest = client.get(older.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in oldest


def test_posts_published_at_the_same_moment_still_link_to_each_other(client):
    moment = timezone.now() - datetime.timedelta(days=2)
    first = PostFactory(title="First of two", published_at=moment)
    second = PostFactory(title="Second of two", published_at=moment)
    assert f'href="{second.get_absolute_url()}" rel="next"' in client.get(first.get_absolute_url()).content.decode()
    assert f'href="{first.get_absolute_url()}" rel="prev"' in client.get(second.get_absolute_url()).content.decode()


def test_post_has_plain_share_links_and_no_third_party_script(client, settings):
    post = PostFactory(title="Share me please", slug="share-me")
    html = client.get(post.get_absolute_url()).content.decode()
    absolute = "http%3A%2F%2Ftestserver%2Fnews%2Fshare-me%2F"
    assert f'href="mailto:?subject=Share%20me%20please&amp;body={absolute}"' in html
    assert f"https://x.com/intent/tweet?text=Share+me+please&amp;url={absolute}" in html
    assert f"https://www.facebook.com/sharer/sharer.php?u={absolute}" in html
    assert f"https://www.linkedin.com/sharing/share-offsite/?url={absolute}" in html
    # Our own files, and the one inline line that marks the page before first paint (its hash is in the CSP).
    scripts = re.findall(r"(<script[^>]*>)(.*?)</script>", html, re.DOTALL)
    assert scripts
    assert all('src="/static/' in tag or body == settings.FRONTEND_SUPPORTED_SCRIPT for tag, body in scripts)


def test_post_says_published_once_with_its_uk_date(client):
    post = PostFactory(
        author_name="Josh MacAlister", published_at=datetime.datetime(2021, 11, 4, 9, 0, tzinfo=datetime.UTC)
    )

    html = client.get(post.get_absolute_url()).content.decode()
    # The text a screen reader reads, tags removed: "Published" once, before the date.
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())

    assert text.count("Published 4 November 2021") == 1
    assert "Published Published" not in text
    assert '<time datetime="2021-11-04T09:00:00+00:00">4 November 2021</time>' in html


def test_unknown_post_is_not_found(client):
    assert client.get("/news/no-such-post/").status_code == 404
