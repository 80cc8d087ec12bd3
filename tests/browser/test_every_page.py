"""Every public page of the demo site, and every step and error of a journey, checked by axe-core at 320px and
1280px (screenshots in test-artifacts/screenshots/)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from consultations.models import Call

from .support import audit_page, format_violations, make_public_content

pytestmark = pytest.mark.browser


def demo_site_paths(client):
    """Every address in the sitemap, and the public pages a sitemap leaves out."""
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    paths += [call.get_responses_url() for call in Call.objects.all()]
    paths += ["/search/", "/search/?q=care+leavers", "/search/?q=zzzzzz", "/updates/", "/no-such-page/"]
    return list(dict.fromkeys(paths))


def load_demo(*args):
    call_command("load_demo_content", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_page_of_the_demo_site_has_no_accessibility_violations(page, site_url, client):
    load_demo()
    paths = demo_site_paths(client)
    assert len(paths) > 20
    found = []
    for path in paths:
        response = page.goto(site_url + path)
        assert response.status == (404 if path == "/no-such-page/" else 200), path
        name = "demo" + (
            re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
            and "-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
        )
        found += audit_page(page, name)
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def continue_button(page):
    return page.get_by_role("button", name=re.compile(r"^Save and (continue|return)"))


def test_every_step_and_error_of_the_call_for_ideas_has_no_accessibility_violations(page, site_url):
    load_demo()
    call = Call.objects.get(slug="call-for-ideas")
    found = []
    page.goto(site_url + call.get_absolute_url())
    page.get_by_role("button", name="Start now").or_(page.get_by_role("link", name="Start now")).click()

    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    found += audit_page(page, "ideas-about-error")
    page.get_by_label("Responding for an organisation").check()
    expect(page.get_by_label("Name of the organisation")).to_be_visible()
    found += audit_page(page, "ideas-about-organisation")
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the organisation")
    found += audit_page(page, "ideas-about-organisation-error")
    page.get_by_label("Name of the organisation").fill("Acorn Family Trust")
    continue_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    found += audit_page(page, "ideas-answers")
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for idea 1")
    found += audit_page(page, "ideas-answers-error")
    page.get_by_label("Title", exact=True).first.fill("A named adult for every child")
    page.get_by_label("Your idea", exact=True).first.fill("word " * 260)
    page.get_by_role("button", name="Add another idea").click()
    expect(page.get_by_role("group", name="Idea 2")).to_be_visible()
    found += audit_page(page, "ideas-answers-two-ideas")
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Idea 1 must be 250 words or fewer")
    found += audit_page(page, "ideas-answers-too-many-words")
    page.get_by_label("Your idea", exact=True).first.fill("Every child in care has one adult who stays.")
    continue_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Publishing your response")
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you have read the privacy notice")
    found += audit_page(page, "ideas-publishing-error")
    page.get_by_label("No, do not publish it").check()
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    continue_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your response")
    found += audit_page(page, "ideas-check")
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Response sent")
    found += audit_page(page, "ideas-confirmation")

    # A closed call's journey says so.
    page.goto(site_url + Call.objects.get(slug="call-for-advice").get_absolute_url() + "respond/about-you/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This call has closed")
    found += audit_page(page, "call-closed-respond")
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def test_file_upload_errors_have_no_accessibility_violations(page, site_url, tmp_path):
    call = make_public_content()["calls"]["open"]
    program = tmp_path / "report.pdf"
    program.write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 200)
    page.goto(site_url + call.get_absolute_url() + "respond/about-you/")
    page.get_by_label("Care-experienced adult").check()
    continue_button(page).click()
    page.get_by_label(re.compile("What evidence should the review see")).fill("See the attached report.")
    continue_button(page).click()
    page.get_by_label("Upload a file").set_input_files(str(program))
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    found = audit_page(page, "journey-files-error")
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def test_refusal_pages_have_no_accessibility_violations(page, context, site_url, settings):
    """Too many responses, a bot caught by the honeypot, a stale form token, and a call not open yet."""
    content = make_public_content()
    call = content["calls"]["open"]
    found = []
    page.goto(site_url + call.get_absolute_url() + "respond/about-you/")
    page.get_by_label("Care-experienced adult").check()
    continue_button(page).click()
    page.get_by_label(re.compile("What evidence should the review see")).fill("Stable homes.")
    continue_button(page).click()
    continue_button(page).click()  # no files
    page.get_by_label("No, do not publish it").check()
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    continue_button(page).click()
    check_url = page.url

    settings.RESPONSE_RATE_LIMIT = "0/h"
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found += audit_page(page, "refused-too-many")

    settings.RESPONSE_RATE_LIMIT = "1000/h"
    page.goto(check_url)
    # What a bot does: fill the field people never see.
    page.locator("#id_website").evaluate("(input) => { input.value = 'http://spam.example' }")
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found += audit_page(page, "refused-not-sent")

    page.goto(site_url + call.get_absolute_url() + "respond/about-you/")
    context.clear_cookies()
    continue_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form could not be sent")
    found += audit_page(page, "refused-csrf")

    page.goto(site_url + content["calls"]["upcoming"].get_absolute_url() + "respond/about-you/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This call is not open yet")
    found += audit_page(page, "refused-upcoming")
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def test_the_archived_copy_has_no_accessibility_violations(page, tmp_path):
    """The static copy export_archive writes for the archive, opened from disk as a person would browse it."""
    load_demo("--archived")  # the site once the review has ended, as it is archived
    folder = tmp_path / "archive"
    call_command("export_archive", str(folder), stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = folder / "index.html"
    assert home.exists()
    found = []
    page.goto(home.as_uri())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("form")).to_have_count(0)
    found += audit_page(page, "archive-home")
    for link, name in [("FAQs", "archive-faqs"), ("Get involved", "archive-get-involved")]:
        page.goto(home.as_uri())
        page.get_by_role("navigation", name="Menu").get_by_role("link", name=link).click()
        expect(page).to_have_url(re.compile(r"^file://.*index\.html$"))
        found += audit_page(page, name)
    page.get_by_role("link", name="Call for Ideas").first.click()
    found += audit_page(page, "archive-call")
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)
