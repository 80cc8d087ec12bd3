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
    page.get_by_role("link", name="ADVICE-000123").click()
    expect(page.get_by_text("A social worker who stays.").first).to_be_visible()
    page.get_by_label("Status").select_option(label="Approved")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("changed successfully|approved", re.IGNORECASE))

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED

    page.goto(site_url + call.get_responses_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Published responses")
    card = page.locator("article.govuk-summary-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("What would make the biggest difference?")
    expect(card).to_contain_text("A social worker who stays.")
    check_page(page, "published-responses")
