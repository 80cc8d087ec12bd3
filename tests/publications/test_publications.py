"""Publications on the public site: what the public may see, the list and a publication's page."""

import datetime
import re

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from publications.models import Publication
from tests.factories import PublicationAttachmentFactory, PublicationFactory
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2022, 5, 23, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_published_holds_only_published_publications_dated_now_or_earlier():
    out = PublicationFactory(title="Out now", published_at=NOW)
    PublicationFactory(title="Draft", status=Publication.Status.DRAFT, published_at=None)
    later = PublicationFactory(title="Tomorrow", published_at=NOW + datetime.timedelta(days=1))

    assert list(Publication.objects.published()) == [out]
    assert out.is_published() and not later.is_published()
    assert later.is_published(now=NOW + datetime.timedelta(days=1))


def test_the_database_refuses_a_published_publication_without_a_date():
    with pytest.raises(IntegrityError):
        PublicationFactory(status=Publication.Status.PUBLISHED, published_at=None)


def test_the_list_shows_published_publications_newest_first_with_type_and_date(client):
    PublicationFactory(title="The Case for Change", published_at=NOW - datetime.timedelta(days=340))
    PublicationFactory(title="Final report", published_at=NOW - datetime.timedelta(hours=1))
    PublicationFactory(title="Not yet", published_at=NOW + datetime.timedelta(hours=1))
    PublicationFactory(title="A draft", status=Publication.Status.DRAFT, published_at=None)

    html = client.get("/publications/").content.decode()

    titles = re.findall(r'<h2 class="govuk-heading-m[^"]*"><a class="govuk-link" href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Final report", "The Case for Change"]
    assert "Report, <time" in html and "23 May 2022</time>" in html


def test_the_list_says_so_when_nothing_is_published(client):
    assert "There are no publications yet." in client.get("/publications/").content.decode()


def test_the_list_is_paginated_twenty_to_a_page(client):
    for n in range(25):
        PublicationFactory(published_at=NOW - datetime.timedelta(days=n + 1))
    first = client.get("/publications/").content.decode()
    second = client.get("/publications/?page=2").content.decode()
    assert first.count('class="review-post-summary"') == 20
    assert second.count('class="review-post-summary"') == 5
    assert client.get("/publications/?page=3").status_code == 404


def test_a_publication_page_has_its_summary_date_files_and_its_body_rendered_safely(client):
    publication = PublicationFactory(
        title="Final report",
        summary="What needs to change.",
        body="## Why\n\nBecause **children** matter.\n\n<script>alert(1)</script>[x](javascript:alert(1))",
        published_at=NOW,
    )
    PublicationAttachmentFactory(publication=publication, title="Final report (PDF)")

    html = client.get(publication.get_absolute_url()).content.decode()

    assert '<h1 class="govuk-heading-xl">Final report</h1>' in html
    assert "What needs to change." in html and "Published <time" in html and "23 May 2022" in html
    assert "<strong>children</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html
    assert "Final report (PDF)" in html and "PDF, " in html and "3 pages" in html


def test_a_body_under_the_documents_has_its_headings_one_level_down_so_the_outline_stays_in_order(client):
    with_files = PublicationFactory(body="## Why\n\n### Because")
    PublicationAttachmentFactory(publication=with_files)
    without = PublicationFactory(body="## Why\n\n### Because")

    assert "<h3>Why</h3>\n<h4>Because</h4>" in client.get(with_files.get_absolute_url()).content.decode()
    assert "<h2>Why</h2>\n<h3>Because</h3>" in client.get(without.get_absolute_url()).content.decode()


def test_drafts_and_future_publications_are_hidden_from_the_public(client):
    draft = PublicationFactory(status=Publication.Status.DRAFT, published_at=None)
    future = PublicationFactory(published_at=NOW + datetime.timedelta(days=1))

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(future.get_absolute_url()).status_code == 404
    assert client.get("/no-such-thing/").status_code == 404


def test_staff_preview_a_draft_never_cached_and_never_indexed(client):
    draft = PublicationFactory(title="Coming soon", status=Publication.Status.DRAFT, published_at=None)
    client.force_login(staff_user(superuser=True))

    response = client.get(draft.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200 and "Preview: not published" in html
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_a_file_that_may_not_suit_assistive_technology_offers_another_format_by_email(client, settings):
    settings.CONTACT_EMAIL = "team@review.example.org"
    publication = PublicationFactory(title="Paying the price")
    PublicationAttachmentFactory(publication=publication, title="Paying the price (PDF)", accessible=False)

    html = client.get(publication.get_absolute_url()).content.decode()

    assert "may not work well with a screen reader" in html
    link = re.search(r'href="(mailto:[^"]+)"', html).group(1)
    assert link.startswith("mailto:team@review.example.org?subject=Request%20for%20an%20accessible%20format")
    assert "Paying%20the%20price" in link


def test_an_accessible_file_offers_no_other_format(client):
    publication = PublicationFactory()
    PublicationAttachmentFactory(publication=publication, accessible=True)

    html = client.get(publication.get_absolute_url()).content.decode()

    assert "may not work well" not in html and "mailto:" not in html.split('class="review-attachment"')[1]


def test_a_publication_with_no_files_shows_its_body_only(client):
    publication = PublicationFactory(body="The whole document is here.")

    html = client.get(publication.get_absolute_url()).content.decode()

    assert "The whole document is here." in html and ">Documents<" not in html


def test_the_menu_links_to_publications_and_marks_it_current_there(client):
    PublicationFactory()
    home = client.get("/").content.decode()
    assert 'href="/publications/"' in home.split('id="navigation"')[1].split("</ul>")[0]
    page = client.get("/publications/").content.decode()
    assert re.search(r'href="/publications/" aria-current="page"', page)


def test_a_save_empties_the_public_page_cache(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    publication = PublicationFactory(title="First title")
    assert "First title" in client.get("/publications/").content.decode()
    assert client.get("/publications/")["X-Page-Cache"] == "hit"

    publication.title = "Second title"
    publication.save()

    assert "Second title" in client.get("/publications/").content.decode()


def test_list_and_publication_pages_run_the_same_queries_with_3_or_30_publications(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    counts = {}
    for size in (3, 30):
        Publication.objects.all().delete()
        for n in range(size):
            publication = PublicationFactory(published_at=timezone.now() - datetime.timedelta(days=n + 1))
            PublicationAttachmentFactory(publication=publication)
            PublicationAttachmentFactory(publication=publication, content=b"a,b\r\n1,2\r\n", name=f"data{n}.csv")
        counts[size] = (queries("/publications/"), queries(publication.get_absolute_url()))
    assert counts[3] == counts[30]
