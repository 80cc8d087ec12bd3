"""Publications across the site: search, the feed, the sitemap, links from posts and pages, the demo and the archive."""

import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from archive.checks import broken_links, private_data_found
from archive.export import export_site
from archive.progress import Progress
from core.markdown import render_markdown
from pages.models import Page, Post
from pages.search import search_site
from publications.models import Publication
from tests.factories import PageFactory, PostFactory, PublicationAttachmentFactory, PublicationFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


# Search


def test_search_finds_a_publication_by_its_title_summary_body_or_a_files_title_and_says_publication(client):
    by_title = PublicationFactory(title="Kinship care review", summary="About families.", body="Text.")
    by_summary = PublicationFactory(title="Report A", summary="Kinship carers told us this.", body="Text.")
    by_body = PublicationFactory(title="Report B", summary="Other.", body="A chapter on kinship placements.")
    by_file = PublicationFactory(title="Report C", summary="Other.", body="")
    PublicationAttachmentFactory(publication=by_file, title="Annex: kinship figures")

    results = search_site("kinship")

    assert {r.title for r in results} == {p.title for p in (by_title, by_summary, by_body, by_file)}
    assert {r.kind for r in results} == {"Publication"}
    assert results[0].title == "Kinship care review"  # a title match first
    html = client.get("/search/?q=kinship").content.decode()
    assert "Publication</strong>" in html and by_file.get_absolute_url() in html


def test_search_never_finds_a_draft_or_future_publication():
    PublicationFactory(title="Secret kinship draft", status=Publication.Status.DRAFT, published_at=None)
    PublicationFactory(title="Future kinship report", published_at=timezone.now() + datetime.timedelta(days=1))
    assert search_site("kinship") == []


# The feed and the sitemap


def test_the_feed_holds_posts_and_publications_newest_first(client):
    now = timezone.now()
    PostFactory(title="A news item", published_at=now - datetime.timedelta(days=3))
    PublicationFactory(title="Final report", published_at=now - datetime.timedelta(days=1))
    PublicationFactory(title="Hidden draft", status=Publication.Status.DRAFT, published_at=None)

    root = ET.fromstring(client.get("/news/feed/").content)

    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Final report", "A news item"]
    assert entries[0].find(f"{ATOM}category").get("term") == "Report"
    assert "/publications/" in entries[0].find(f"{ATOM}link").get("href")


def test_the_sitemap_lists_the_publications_page_and_each_published_publication(client):
    shown = PublicationFactory(slug="final-report")
    PublicationFactory(slug="a-draft", status=Publication.Status.DRAFT, published_at=None)

    sitemap = client.get("/sitemap.xml").content.decode()

    assert "/publications/</loc>" in sitemap and f"{shown.get_absolute_url()}</loc>" in sitemap
    assert "a-draft" not in sitemap


# Links from posts and pages


def test_a_post_links_to_a_publication_by_its_shortcut_with_its_title_or_the_words_given(client):
    PublicationFactory(slug="final-report", title="Final report")
    post = PostFactory(body="Read [[publication:final-report]] or [[publication:final-report|the report]].")

    html = client.get(post.get_absolute_url()).content.decode()

    assert '<a href="/publications/final-report/" rel="noopener noreferrer">Final report</a>' in html
    assert '<a href="/publications/final-report/" rel="noopener noreferrer">the report</a>' in html


def test_a_shortcut_to_a_draft_or_missing_publication_is_its_words_and_never_a_link():
    PublicationFactory(slug="coming-soon", status=Publication.Status.DRAFT, published_at=None)

    html = str(render_markdown("See [[publication:coming-soon|the report]] and [[publication:nothing]]."))

    assert html == "<p>See the report and .</p>"


def test_a_publication_title_in_a_shortcut_is_escaped():
    PublicationFactory(slug="odd", title="<b>Bold</b> & more")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; more</a>" in str(render_markdown("[[publication:odd]]"))


def test_a_shortcut_in_code_stays_as_written():
    PublicationFactory(slug="final-report")
    assert str(render_markdown("`[[publication:final-report]]`")) == "<p><code>[[publication:final-report]]</code></p>"


def test_a_content_page_links_to_a_publication_too(client):
    PublicationFactory(slug="the-case-for-change", title="The Case for Change")
    page = PageFactory(slug="about", body="We wrote [[publication:the-case-for-change]].")
    assert 'href="/publications/the-case-for-change/"' in client.get(page.get_absolute_url()).content.decode()


# The demo


def load_demo(*args):
    call_command("load_demo_content", *args, stdout=io.StringIO())


def test_by_default_the_demo_has_only_the_case_for_change_as_on_the_day_shown(client):
    load_demo()

    assert list(Publication.objects.published().values_list("slug", flat=True)) == ["the-case-for-change"]
    post = Post.objects.get(slug="case-for-change-published")
    assert 'href="/publications/the-case-for-change/"' in client.get(post.get_absolute_url()).content.decode()
    about = client.get(Page.objects.get(slug="about").get_absolute_url()).content.decode()
    assert 'href="/publications/the-case-for-change/"' in about


def test_archived_the_demo_has_every_publication_with_its_files_and_the_posts_link_to_them(client):
    load_demo("--archived")

    slugs = set(Publication.objects.published().values_list("slug", flat=True))
    assert {"the-case-for-change", "final-report", "paying-the-price", "stable-homes-built-on-love"} <= slugs
    kinds = set(Publication.objects.values_list("kind", flat=True))
    assert kinds == {"report", "evidence_review", "government_response", "data"}
    final = Publication.objects.get(slug="final-report")
    assert [a.page_count for a in final.attachments.all()] == [24, 24]
    post = client.get(Post.objects.get(slug="final-report-published").get_absolute_url()).content.decode()
    for slug in ("final-report", "paying-the-price", "supporting-evidence"):
        assert f'href="/publications/{slug}/"' in post
    about = client.get("/about/").content.decode()
    assert 'href="/publications/final-report/"' in about and 'href="/publications/"' in about
    for attachment in final.attachments.all():
        assert client.get(attachment.get_absolute_url()).status_code == 200


def test_going_back_to_the_default_day_removes_what_was_published_later_and_a_rerun_changes_nothing():
    load_demo("--archived")
    load_demo()
    load_demo()
    assert list(Publication.objects.values_list("slug", flat=True)) == ["the-case-for-change"]
    before = list(Publication.objects.values_list("pk", "updated_at"))
    load_demo()
    assert list(Publication.objects.values_list("pk", "updated_at")) == before


# The archived copy


def test_the_archive_holds_the_publications_and_their_files_and_checks_clean(tmp_path, settings):
    settings.SITE_URL = "https://childrenssocialcare.example.org"
    call_command("load_demo_content", "--archived", "--closure-days", "60", stdout=io.StringIO())
    draft = PublicationFactory(slug="never-published", status=Publication.Status.DRAFT, published_at=None)
    PublicationAttachmentFactory(publication=draft, name="secret-draft.pdf")

    report = export_site(tmp_path / "site", progress=Progress(io.StringIO()))

    site = tmp_path / "site"
    assert (site / "publications/index.html").is_file()
    for publication in Publication.objects.published():
        assert (site / publication.get_absolute_url().lstrip("/") / "index.html").is_file(), publication.slug
        for attachment in publication.attachments.all():
            copied = site / attachment.get_absolute_url().lstrip("/")
            assert copied.read_bytes()[:5] in (b"%PDF-", b"call,"), attachment.stored_name
    page = (site / "publications/final-report/index.html").read_text()
    assert re.search(r'href="files/[0-9a-f]{16}/final-report\.pdf"', page)
    assert not list(site.rglob("*never-published*")) and not list(site.rglob("secret-draft.pdf"))
    assert broken_links(site) == [] and private_data_found(site) == []
    assert report.other_files >= 7  # the feed, sitemap, robots.txt and the files
