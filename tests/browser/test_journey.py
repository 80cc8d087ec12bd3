"""The response journey in a real browser: by mouse with a mistake corrected and a file uploaded, by keyboard
alone, the "Exit this page" button, and archive mode refusing a response."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from submissions.models import Attachment, Submission

from .support import check_page, make_public_content, tab_to

pytestmark = pytest.mark.browser

EXIT_URL = "https://www.bbc.co.uk/weather"


@pytest.fixture
def content(site_url):
    return make_public_content()


@pytest.fixture
def evidence_file(tmp_path):
    path = tmp_path / "evidence.txt"
    path.write_text("Our survey of 40 care leavers found that stable homes mattered most.\n")
    return path


def continue_button(page):
    return page.get_by_role("button", name=re.compile(r"^Save and (continue|return)"))


def test_respondent_answers_a_call_corrects_a_mistake_uploads_a_file_and_gets_a_reference(
    page, site_url, content, evidence_file
):
    call = content["calls"]["open"]
    page.goto(site_url + call.get_absolute_url())
    page.get_by_role("button", name="Start now").or_(page.get_by_role("link", name="Start now")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    check_page(page, "journey-1-about")
    page.get_by_label("Care-experienced adult").check()
    page.get_by_label("Your name (optional)").fill("Jo Bloggs")
    page.get_by_label("Email address (optional)").fill("jo.bloggs-at-example.org")
    continue_button(page).click()

    # The mistake: the error summary names it, the title says "Error:", and its link leads to the field.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Your name (optional)")).to_have_value("Jo Bloggs")
    check_page(page, "journey-1-about-error")
    summary.get_by_role("link", name=re.compile("Enter an email address")).click()
    expect(page.get_by_label("Email address (optional)")).to_be_focused()
    page.get_by_label("Email address (optional)").fill("jo.bloggs@example.org")
    continue_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    check_page(page, "journey-2-answers")
    page.get_by_label(re.compile("What evidence should the review see")).fill("Listen to care leavers first.")
    continue_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Upload files (optional)")
    check_page(page, "journey-3-files")
    page.get_by_label("Upload a file").set_input_files(str(evidence_file))
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("evidence.txt uploaded")).to_be_visible()
    check_page(page, "journey-3-files-uploaded")
    continue_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Publishing your response")
    check_page(page, "journey-4-publishing")
    page.get_by_label("Yes, without my name").check()
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    continue_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your response")
    expect(page.get_by_text("Listen to care leavers first.")).to_be_visible()
    expect(page.get_by_text("jo.bloggs@example.org")).to_be_visible()
    expect(page.get_by_text(re.compile(r"evidence\.txt"))).to_be_visible()
    check_page(page, "journey-5-check")
    assert Submission.objects.count() == 0, "nothing is stored before Send"
    page.get_by_role("button", name="Send response").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Response sent")
    check_page(page, "journey-6-confirmation")
    reference = page.locator(".review-reference").inner_text().strip()
    submission = Submission.objects.get()
    assert submission.reference == reference
    assert submission.call == call
    assert submission.email == "jo.bloggs@example.org"
    assert submission.publication == Submission.Publication.ANONYMOUS
    assert [a.text for a in submission.answers.all()] == ["Listen to care leavers first."]
    attachment = Attachment.objects.get(submission=submission)
    assert attachment.original_name == "evidence.txt"
    assert attachment.size == evidence_file.stat().st_size


def answer_exit_locally(page):
    """The exit address is outside; it is answered here so no request leaves the machine."""
    page.route(
        re.compile(r"^https://www\.bbc\.co\.uk/.*"),
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!DOCTYPE html><title>BBC Weather</title><h1>Weather</h1>"
        ),
    )


def test_exit_this_page_leaves_the_site_at_once(page, site_url, content):
    answer_exit_locally(page)
    page.goto(site_url + content["calls"]["open"].get_absolute_url() + "respond/about-you/")
    page.get_by_label("Your name (optional)").fill("Jo Bloggs")
    page.get_by_role("button", name=re.compile("Exit this page")).click()
    expect(page).to_have_url(EXIT_URL)
    expect(page).to_have_title("BBC Weather")


def test_pressing_shift_three_times_also_exits(page, site_url, content):
    answer_exit_locally(page)
    page.goto(site_url + content["calls"]["open"].get_absolute_url() + "respond/about-you/")
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(EXIT_URL)


def test_exit_this_page_works_without_javascript(new_context, site_url, content):
    page = new_context(java_script_enabled=False).new_page()
    answer_exit_locally(page)
    page.goto(site_url + content["calls"]["open"].get_absolute_url() + "respond/about-you/")
    page.get_by_role("button", name=re.compile("Exit this page")).click()
    expect(page).to_have_url(EXIT_URL)


def test_archive_mode_refuses_a_response_started_before_the_site_closed(page, site_url, content):
    call = content["calls"]["open"]
    page.goto(site_url + call.get_absolute_url() + "respond/about-you/")
    page.get_by_label("Care-experienced adult").check()

    # The closing date passes while the form is open.
    notice = content["notice"]
    notice.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    notice.save()

    continue_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You can no longer respond")
    expect(page.get_by_text("Nothing you typed has been sent.")).to_be_visible()
    archive_links = page.get_by_role("link", name="the archived copy at the National Archives")
    expect(archive_links.first).to_have_attribute("href", notice.archive_url)
    check_page(page, "archive-refused")
    assert Submission.objects.count() == 0

    # The call page no longer offers a way in, and the start address refuses too.
    page.goto(site_url + call.get_absolute_url())
    expect(page.get_by_role("button", name="Start now")).to_have_count(0)
    expect(page.get_by_role("link", name="Start now")).to_have_count(0)
    response = page.goto(site_url + call.get_absolute_url() + "respond/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You can no longer respond")
    assert response.status == 200


def test_respondent_completes_the_journey_by_keyboard_alone(page, site_url, content, evidence_file):
    """Only Tab, Shift+Tab, Enter and Space (and typing into fields) from the call page to the reference."""
    call = content["calls"]["open"]
    page.goto(site_url + call.get_absolute_url())

    tab_to(page, r"^Start now")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")

    # Skip the required question on purpose, then come back to it from the error summary.
    tab_to(page, r"^Your name")
    page.keyboard.type("Sam Keys")
    tab_to(page, r"^Email address")
    page.keyboard.type("sam.keys@example.org")
    tab_to(page, r"^Save and continue$", tag="button")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select which of these best describes you")
    check_page(page, "keyboard-about-error")
    tab_to(page, r"^Select which of these best describes you$", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Care-experienced child or young person (under 18)")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Care-experienced child or young person (under 18)")).to_be_checked()
    tab_to(page, r"^Save and continue$", tag="button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    tab_to(page, r"What evidence should the review see", tag="textarea")
    page.keyboard.type("Ask the young people who live it.")
    tab_to(page, r"^Save and continue$", tag="button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Upload files (optional)")
    tab_to(page, r"^Upload a file", tag="input")
    file_input = page.get_by_label("Upload a file")
    expect(file_input).to_be_focused()
    # Space opens the system's file dialog, which is the browser's, not the page's: under load the dialog event came
    # late or not at all. The file is chosen on the focused input itself, as that dialog would.
    file_input.set_input_files(str(evidence_file))
    expect(file_input).to_be_focused()
    tab_to(page, r"^Upload file$", tag="button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("evidence.txt uploaded")).to_be_visible()
    tab_to(page, r"^Save and continue$", tag="button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Publishing your response")
    tab_to(page, r"^Yes, with my name", tag="input")
    page.keyboard.press("Space")
    tab_to(page, r"^Save and continue$", tag="button")
    # One step back to the consent box, which comes just before the button.
    tab_to(page, r"^I have read the privacy notice", tag="input", backwards=True)
    page.keyboard.press("Space")
    tab_to(page, r"^Save and continue$", tag="button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your response")
    tab_to(page, r"^Send response$", tag="button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Response sent")
    submission = Submission.objects.get()
    assert page.locator(".review-reference").inner_text().strip() == submission.reference
    assert submission.name == "Sam Keys"
    assert submission.respondent_type == Submission.RespondentType.YOUNG_PERSON
    assert submission.publication == Submission.Publication.WITH_NAME
    assert [a.text for a in submission.answers.all()] == ["Ask the young people who live it."]
    assert submission.attachments.get().original_name == "evidence.txt"


def test_the_whole_journey_works_without_javascript(new_context, site_url, content, evidence_file):
    page = new_context(java_script_enabled=False).new_page()
    call = content["calls"]["open"]
    page.goto(site_url + call.get_absolute_url())
    page.get_by_role("button", name="Start now").or_(page.get_by_role("link", name="Start now")).click()

    # Without JavaScript the organisation's name is simply shown under its choice.
    page.get_by_label("Responding for an organisation").check()
    page.get_by_label("Name of the organisation").fill("Acorn Family Trust")
    continue_button(page).click()
    page.get_by_label(re.compile("What evidence should the review see")).fill("word " * 31)
    continue_button(page).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be 30 words or fewer")
    page.get_by_label(re.compile("What evidence should the review see")).fill("Our evaluation is attached.")
    continue_button(page).click()
    page.get_by_label("Upload a file").set_input_files(str(evidence_file))
    continue_button(page).click()  # uploads the chosen file and moves on
    page.get_by_label("Yes, with my name").check()
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    continue_button(page).click()
    expect(page.get_by_text("Acorn Family Trust")).to_be_visible()
    page.get_by_role("button", name="Send response").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Response sent")
    submission = Submission.objects.get()
    assert submission.organisation_name == "Acorn Family Trust"
    assert submission.attachments.get().original_name == "evidence.txt"
