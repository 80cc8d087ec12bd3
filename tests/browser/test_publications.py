"""Publications in a real browser: axe-core at 320 and 1280px, the files open, the other-format request works, and the
pages are valid HTML (vnu). Screenshots in test-artifacts/screenshots/publications-*."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from publications.models import Publication

from .support import audit_page, check_page, format_violations
from .test_html_validity import fetch, java, validate  # noqa: F401 - java is a fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def archived_demo(site_url):
    """The demo once the review ended, closing in 60 days: every publication, with its files."""
    call_command("load_demo_content", "--archived", "--closure-days", "60", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return site_url


def test_a_reader_finds_the_final_report_from_the_menu_and_opens_its_file(page, archived_demo):
    page.goto(archived_demo + "/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Publications").click()
    expect(page).to_have_url(re.compile(r"/publications/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Publications")
    check_page(page, "publications-list")

    page.get_by_role("link", name="Final report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Final report")
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()
    check_page(page, "publications-final-report")

    # The request for another format opens, and names the document in its email.
    page.get_by_text("Ask for it in another format").first.click()
    link = page.get_by_role("link", name=re.compile("Email the review team to ask for ‘Final report’")).first
    expect(link).to_be_visible()
    assert "Final%20report" in link.get_attribute("href")
    check_page(page, "publications-final-report-format-request")

    href = page.get_by_role("link", name="Final report", exact=True).last.get_attribute("href")
    response = page.request.get(archived_demo + href)
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_every_publication_has_no_accessibility_violations_at_320_and_1280_pixels(page, archived_demo):
    found = []
    for publication in Publication.objects.published():
        page.goto(archived_demo + publication.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(publication.title)
        found += audit_page(page, f"publications-{publication.slug}")
    page.goto(archived_demo + "/search/?q=final+report")
    expect(page.get_by_text("Publication").first).to_be_visible()
    found += audit_page(page, "publications-search")
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def test_a_long_file_title_and_name_fit_a_phone(page, site_url):
    from tests.factories import PublicationAttachmentFactory, PublicationFactory

    publication = PublicationFactory(title="A report with a title long enough to wrap onto several lines on a phone")
    PublicationAttachmentFactory(
        publication=publication,
        title="Annex_B_supplementary_tables_for_the_final_report_including_every_local_authority_breakdown",
    )
    page.goto(site_url + publication.get_absolute_url())
    check_page(page, "publications-long-title", widths=(320,))


def test_publication_pages_are_valid_html(archived_demo, java, tmp_path):  # noqa: F811 - java is a fixture
    client = Client()
    documents = {"publications-list": fetch(client, "/publications/")}
    for publication in Publication.objects.published():
        documents[f"publication-{publication.slug}"] = fetch(client, publication.get_absolute_url())
    documents["publications-search"] = fetch(client, "/search/?q=final+report")
    assert validate(java, documents, tmp_path) == []
