"""An analyst codes 50 ideas with the keyboard alone, in a real browser, and axe-core finds nothing on the screens."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from playwright.sync_api import expect

from analysis.models import Coding
from consultations.models import Call
from tests.browser.support import check_page
from tests.factories import CallFactory, IdeaFactory, SubmissionFactory

from .factories import ThemeFactory, WhatWeHeardFactory, code

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple-42"


def make_analyst():
    # The browser tests' database is emptied between tests; flushing recreates permissions, not the role's group.
    group, _ = Group.objects.get_or_create(name="Analysts")
    group.permissions.set(Permission.objects.filter(content_type__app_label="analysis"))
    user = get_user_model().objects.create_user("analyst", password=PASSWORD, is_staff=True)
    user.groups.add(group)


def sign_in(page, site_url):
    page.goto(site_url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def make_call(ideas=55):
    now = timezone.now()
    call = CallFactory(
        kind=Call.Kind.IDEAS,
        title="Call for Ideas",
        slug="call-for-ideas",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=1),
    )
    for number in range(ideas):
        submission = SubmissionFactory(
            call=call, submitted_at=now - datetime.timedelta(days=30, minutes=number), status="approved"
        )
        IdeaFactory(submission=submission, position=1, title=f"Idea {number + 1:02d}", body="Keep the same worker.")
    return call


def test_an_analyst_codes_50_ideas_by_keyboard_and_the_screens_pass_axe(page, site_url):
    call = make_call()
    ThemeFactory(call=call, name="Another theme")
    stability = ThemeFactory(call=call, name="Stability")
    make_analyst()
    sign_in(page, site_url)

    page.goto(f"{site_url}/admin/analysis/theme/call/{call.pk}/items/?show=ideas")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code items: Call for Ideas")
    check_page(page, "analysis-items", widths=(1280,))

    theme = page.get_by_label("Theme", exact=True)
    theme.focus()
    page.keyboard.press("ArrowDown")  # "Another theme"
    page.keyboard.press("ArrowDown")  # "Stability"
    expect(theme).to_have_value(str(stability.pk))

    # Tab from the theme to the first item's checkbox: past the buttons, in the order the screen reads.
    stops = []
    for _ in range(10):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.name || document.activeElement.textContent.trim()"))
        if stops[-1] == "item":
            break
    assert stops[0] == "action" and stops[-1] == "item", stops
    for _ in range(50):
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent.trim()]")
    assert focused == ["BUTTON", "Apply the theme to selected"], "the last box ticked, one Tab reaches Apply"
    page.keyboard.press("Enter")

    expect(page.locator(".messagelist")).to_contain_text("“Stability” applied to 50 items")
    assert Coding.objects.filter(theme=stability).count() == 50
    assert set(Coding.objects.values_list("coder__username", flat=True)) == {"analyst"}
    check_page(page, "analysis-items-coded", widths=(1280,))


def test_the_overview_suggestions_and_public_page_pass_axe(page, site_url):
    call = make_call(ideas=12)
    theme = ThemeFactory(call=call, name="Stability", colour="green")
    other = ThemeFactory(call=call, name="Money", colour="purple")
    for number, idea in enumerate(call.submissions.all()):
        code(theme, submission=idea)
        if number % 2:
            code(other, submission=idea)
    WhatWeHeardFactory(call=call)
    make_analyst()
    sign_in(page, site_url)

    page.goto(f"{site_url}/admin/analysis/theme/call/{call.pk}/")
    expect(page.get_by_role("heading", name="Themes by count")).to_be_visible()
    check_page(page, "analysis-overview", widths=(1280,))
    page.goto(f"{site_url}/admin/analysis/theme/call/{call.pk}/suggestions/")
    check_page(page, "analysis-suggestions", widths=(1280,))
    page.goto(f"{site_url}/calls/call-for-ideas/what-we-heard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What we heard")
    check_page(page, "what-we-heard")
