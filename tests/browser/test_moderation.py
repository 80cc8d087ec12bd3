"""A member of staff signs in, approves a response, and the public can then read it."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from submissions.models import Submission
from tests.factories import AnswerFactory, CallFactory, QuestionFactory, SubmissionFactory

from .support import check_page

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple-42"


def test_staff_approves_a_response_in_the_admin_and_it_appears_on_the_published_responses_page(page, site_url):
    call = CallFactory(title="Call for Advice", slug="call-for-advice")
    question = QuestionFactory(call=call, prompt="What would make the biggest difference?")
    submission = SubmissionFactory(call=call, reference="ADVICE-000123", publication=Submission.Publication.ANONYMOUS)
    AnswerFactory(submission=submission, question=question, text="A social worker who stays.")
    get_user_model().objects.create_superuser("moderator", "moderator@example.org", PASSWORD)

    page.goto(site_url + call.get_responses_url())
    expect(page.get_by_text("No responses to this call have been published yet.")).to_be_visible()
    expect(page.get_by_text("A social worker who stays.")).to_have_count(0)

    page.goto(site_url + "/admin/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The app and its model are both called "Responses": follow the link to the list of responses.
    page.locator('a[href$="/admin/submissions/submission/"]').first.click()
    # At 1280px the list shows every column and its buttons without scrolling sideways.
    expect(page.get_by_role("link", name="Next pending response")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    results = page.locator(".results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "every column fits without scrolling"
    expect(page.get_by_role("columnheader", name="Receipt sent")).to_be_in_viewport()
    page.screenshot(path="test-artifacts/screenshots/responses-list-1280.png", full_page=True)
    page.get_by_role("link", name="ADVICE-000123").click()
    expect(page.get_by_text("A social worker who stays.").first).to_be_visible()
    page.get_by_label("Status").select_option(label="Approved")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("saved: approved", re.IGNORECASE))

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED

    page.goto(site_url + call.get_responses_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Published responses")
    card = page.locator("article.govuk-summary-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("What would make the biggest difference?")
    expect(card).to_contain_text("A social worker who stays.")
    check_page(page, "published-responses")


def test_a_moderator_removes_and_keeps_personal_details_and_approves_with_the_keyboard_alone(page, site_url):
    from .support import focused, tab_to

    call = CallFactory(title="Call for Advice", slug="call-for-advice")
    question = QuestionFactory(call=call, prompt="What would make the biggest difference?")
    submission = SubmissionFactory(call=call, reference="ADVICE-000777", publication=Submission.Publication.ANONYMOUS)
    AnswerFactory(
        submission=submission, question=question, text="My social worker Sarah moved on. Call me on 07700 900123."
    )
    get_user_model().objects.create_superuser("moderator", "moderator@example.org", PASSWORD)

    page.goto(site_url + "/admin/login/")
    page.keyboard.type("moderator")
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Moderation and content")).to_be_visible()
    page.goto(site_url + f"/admin/submissions/submission/{submission.pk}/moderate/")

    marks = page.locator("mark.pd")
    expect(marks).to_have_count(2)
    expect(marks.first).to_contain_text("Sarah (name)")
    public = page.get_by_label("Public version: answer to “what would make the biggest difference?”")
    expect(public).to_have_value("My social worker [name removed] moved on. Call me on [phone number removed].")
    check_page(page, "moderation")

    # Keep the name (it is the respondent's own worker's first name only, say), then change one's mind.
    tab_to(page, "Keep as written")
    page.keyboard.press("Space")
    expect(public).to_have_value("My social worker Sarah moved on. Call me on [phone number removed].")
    expect(page.locator("#moderation-announcer")).to_contain_text("kept in the public version")
    page.keyboard.press("Space")
    expect(public).to_have_value("My social worker [name removed] moved on. Call me on [phone number removed].")

    tab_to(page, "^Status", tag="select")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Status").input_value() == "approved"
    tab_to(page, "^Save$", tag="button")
    assert focused(page)["name"] == "Save"
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("ADVICE-000777 saved: approved")

    page.goto(site_url + call.get_responses_url())
    card = page.locator("article.govuk-summary-card")
    expect(card).to_contain_text("My social worker [name removed] moved on. Call me on [phone number removed].")
    expect(card).not_to_contain_text("Sarah")
