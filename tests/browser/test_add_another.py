"""GOV.UK's "add another" pattern on the Call for Ideas: after "Add another idea" the new idea's title has the focus
and the page says an idea was added; after "Remove" the idea that took its place has it. With and without JavaScript."""

import pytest
from playwright.sync_api import expect

from .support import focused

pytestmark = pytest.mark.browser


def start_ideas(page, site_url):
    from consultations.models import Call
    from tests.factories import CallFactory

    call = CallFactory(title="Call for Ideas", slug="ideas-now", kind=Call.Kind.IDEAS, max_ideas=5)
    page.goto(site_url + f"/calls/{call.slug}/respond/about-you/")
    page.get_by_label("Care-experienced adult").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_adding_an_idea_moves_the_focus_to_its_title_and_says_so_and_removing_one_too(
    new_context, site_url, javascript
):
    page = new_context(java_script_enabled=javascript).new_page()
    start_ideas(page, site_url)
    page.get_by_label("Title", exact=True).first.fill("A named adult for every child")
    page.get_by_label("Your idea", exact=True).first.fill("Someone who stays.")

    page.get_by_role("button", name="Add another idea").click()

    expect(page.get_by_role("group", name="Idea 2")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Idea 2 added")
    expect(page.locator("#id_idea_title_2")).to_be_focused()
    assert focused(page)["name"].startswith("Title")

    page.locator("#id_idea_title_2").fill("Keep brothers and sisters together")
    page.locator("#id_idea_body_2").fill("Placements that take siblings together.")
    page.get_by_role("button", name="Add another idea").click()
    expect(page.locator("#id_idea_title_3")).to_be_focused()

    page.get_by_role("button", name="Remove idea 3").click()
    expect(page.get_by_role("alert")).to_contain_text("Idea 3 removed")
    expect(page.locator("#id_idea_title_2")).to_be_focused()
    expect(page.locator("#id_idea_title_2")).to_have_value("Keep brothers and sisters together")
