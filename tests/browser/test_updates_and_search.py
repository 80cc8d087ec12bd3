"""Email updates and search in a real browser: the whole journey works, every page passes axe and the HTML checker."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from pages import services
from tests.factories import CallFactory, ClosureNoticeFactory, FAQFactory, PostFactory, SubscriberFactory
from tests.worker import send_queued_emails

from .support import check_page
from .test_html_validity import fetch, java, validate  # noqa: F401 - java is a fixture

pytestmark = pytest.mark.browser


def link_path(message, kind):
    return re.search(rf"https?://[^/\s]+(/updates/{kind}/[^/\s]+/)", message.body).group(1)


def test_visitor_signs_up_confirms_and_unsubscribes(page, site_url, settings):
    settings.SITE_URL = site_url
    mail.outbox = []
    page.goto(site_url + "/updates/")
    check_page(page, "updates-sign-up")

    page.get_by_role("button", name="Sign up").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your email address")
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_page(page, "updates-sign-up-error")

    page.get_by_label("Email address").fill("reader@example.com")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_page(page, "updates-check-email")

    send_queued_emails()  # the site only queued it; the email worker sends it
    [message] = mail.outbox
    page.goto(site_url + link_path(message, "confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed up")
    check_page(page, "updates-confirmed")

    page.goto(site_url + link_path(message, "unsubscribe"))
    check_page(page, "updates-unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have unsubscribed")
    check_page(page, "updates-unsubscribed")

    page.goto(site_url + "/updates/confirm/not-a-real-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    check_page(page, "updates-invalid-link")


def test_visitor_searches_and_sees_highlighted_results(page, site_url):
    FAQFactory(question="Who can take part?", answer="Anyone with experience of **kinship** care can take part.")
    PostFactory(title="Kinship carers speak up", body="What kinship carers told us.")
    CallFactory(title="Call for Kinship Stories", body="Tell us about [kinship](https://example.org) care.")

    page.goto(site_url + "/")
    page.get_by_role("link", name="Search this website").click()
    page.get_by_label("Search FAQs, news, blogs, calls and pages").fill("kinship")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=kinship$"))
    expect(page.locator("#search-results-heading")).to_contain_text("3 results")
    expect(page.locator("mark.review-highlight").first).to_have_text(re.compile("kinship", re.IGNORECASE))
    assert sorted(page.locator(".review-search-results .govuk-tag").all_inner_texts()) == ["Call", "FAQ", "News"]
    assert "](" not in page.locator(".review-search-results").inner_text()
    check_page(page, "search-results")


def test_visitor_searches_from_the_box_in_the_header(page, site_url):
    FAQFactory(question="Who can take part?", answer="Anyone with experience of kinship care.")

    page.goto(site_url + "/news/")
    page.get_by_role("search", name="Site").get_by_label("Search this website").fill("kinship")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=kinship$"))
    expect(page.locator("#search-results-heading")).to_contain_text("1 result")
    expect(page.get_by_role("search")).to_have_count(1)  # the page's own form only


def test_closed_site_page_passes_the_checks(page, site_url):
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(days=1))

    page.goto(site_url + "/updates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-ups for email updates have closed")
    check_page(page, "updates-closed")


def test_update_and_search_pages_are_valid_html(client, db, java, tmp_path):  # noqa: F811
    FAQFactory(question="Who can take part?", answer="Anyone with <b>kinship</b> experience & more.")
    subscriber = SubscriberFactory()
    documents = {
        "updates": fetch(client, "/updates/"),
        "updates-error": fetch(client, "/updates/", status=400, method="post", data={"email": "nope"}),
        "check-email": fetch(client, "/updates/check-your-email/"),
        "confirmed": fetch(client, f"/updates/confirm/{services.make_confirm_token(subscriber)}/"),
        "unsubscribe": fetch(client, f"/updates/unsubscribe/{services.make_unsubscribe_token(subscriber)}/"),
        "unsubscribed": fetch(client, "/updates/unsubscribed/"),
        "invalid-link": fetch(client, "/updates/confirm/bad/", status=400),
        "search-empty": fetch(client, "/search/"),
        "search-results": fetch(client, "/search/?q=kinship"),
        "search-none": fetch(client, "/search/?q=%3Cscript%3E"),
        "search-stop-words-only": fetch(client, "/search/?q=for+the"),
    }
    CallFactory(title="Call for kinship stories", body="**Kinship** [care](https://example.org).")
    documents["search-with-a-call"] = fetch(client, "/search/?q=kinship")
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(days=1))
    documents["closed"] = fetch(client, "/updates/")

    errors = validate(java, documents, tmp_path)
    assert not errors, f"{len(errors)} HTML errors (Nu Html Checker):\n" + "\n".join(errors)
