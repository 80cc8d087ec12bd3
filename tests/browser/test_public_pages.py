import re

import pytest
from playwright.sync_api import expect

from .support import audit_page, check_page, format_violations, make_public_content
from .test_html_validity import fetch, java, validate  # noqa: F401 - java is a fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def content(site_url):
    return make_public_content()


def test_visitor_browses_from_home_to_faqs_to_a_post_by_following_links(page, site_url, content):
    page.goto(site_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Independent Review of Children's Social Care")
    check_page(page, "home")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="FAQs").click()
    expect(page).to_have_url(re.compile(r"/faqs/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("questions")
    expect(page.get_by_role("heading", name="Who leads the review?")).to_be_visible()
    check_page(page, "faqs")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="News and blogs").click()
    expect(page).to_have_url(re.compile(r"/news/$"))
    check_page(page, "news")

    page.get_by_role("link", name="The review publishes its final report").first.click()
    expect(page).to_have_url(re.compile(r"/news/final-report/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The review publishes its final report")
    expect(page.get_by_role("heading", name="What it says")).to_be_visible()
    check_page(page, "post")


def test_every_public_page_has_no_accessibility_violations_at_320_and_1280_pixels(page, site_url, content):
    calls = content["calls"]
    pages = {
        "about": "/about/",
        "get-involved": "/get-involved/",
        "call-open": calls["open"].get_absolute_url(),
        "call-upcoming": calls["upcoming"].get_absolute_url(),
        "call-closed": calls["closed"].get_absolute_url(),
        "blog-post": content["posts"][1].get_absolute_url(),
        "not-found": "/no-such-page/",
    }
    found = []
    for name, path in pages.items():
        response = page.goto(site_url + path)
        assert response.status == (404 if name == "not-found" else 200), path
        found += audit_page(page, name)
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def test_the_menu_works_without_javascript(new_context, site_url, content):
    nojs = new_context(java_script_enabled=False).new_page()
    nojs.goto(site_url + "/")
    nojs.get_by_role("navigation", name="Menu").get_by_role("link", name="FAQs").click()
    expect(nojs.get_by_text("Who leads the review?").first).to_be_visible()


def test_the_accessibility_check_reports_known_violations(page, site_url):
    """The checks above can fail: an image with no text, a link with no name and a page too wide are reported."""
    page.goto(site_url + "/")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("afterbegin",
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><a href="/x"></a>'
            + '<p id="wide">wide</p>');
          document.getElementById("wide").style.width = "900px";
        }"""
    )
    found = audit_page(page, "selftest-known-violations", widths=(320,))
    rules = {violation["id"] for _, violations in found for violation in violations}
    assert {"image-alt", "link-name", "reflow"} <= rules, rules
    assert "image-alt" in format_violations(found)


# The demo as one story, on its default day and once archived


def load_demo(*args):
    from django.core.management import call_command

    call_command("load_demo_content", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


STORY_PAGES = {
    "home": "/",
    "call": "/calls/call-for-ideas/",
    "search": "/search/?q=Call+for+Evidence",
    "faqs": "/faqs/",
    "accessibility": "/accessibility/",
    "privacy": "/privacy/",
}


@pytest.mark.parametrize("state", ["default", "archived"])
def test_the_demo_story_pages_have_no_accessibility_violations_at_320_and_1280_pixels(page, site_url, state):
    load_demo(*(["--archived"] if state == "archived" else []))
    found = []
    for name, path in STORY_PAGES.items():
        response = page.goto(site_url + path)
        assert response.status == 200, path
        found += audit_page(page, f"story-{state}-{name}")
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def test_the_default_day_invites_people_to_take_part_and_the_archived_one_to_read_what_we_heard(page, site_url):
    load_demo()
    page.goto(site_url + "/")
    expect(page.get_by_role("heading", name="Have your say")).to_be_visible()
    expect(page.get_by_role("region", name="Important")).to_have_count(0)
    expect(page.locator("footer").get_by_role("link", name="Get email updates")).to_be_visible()

    load_demo("--archived")
    page.goto(site_url + "/")
    expect(page.get_by_role("heading", name="What we heard")).to_be_visible()
    expect(page.get_by_role("region", name="Important")).to_contain_text("This website closed on 10 March 2023")
    expect(page.get_by_role("link", name="Get email updates")).to_have_count(0)
    page.get_by_role("link", name="Call for Ideas", exact=True).click()
    expect(page.get_by_text("Closed on 15 December 2021")).to_be_visible()
    expect(page.get_by_text("Closes at")).to_have_count(0)


def test_the_header_search_works_on_a_phone_without_javascript(new_context, site_url):
    load_demo()
    nojs = new_context(java_script_enabled=False, viewport={"width": 320, "height": 640}).new_page()
    nojs.goto(site_url + "/faqs/")

    search = nojs.get_by_role("search", name="Site")
    search.get_by_label("Search this website").fill("Call for Evidence")
    search.get_by_role("button", name="Search").click()

    expect(nojs).to_have_url(re.compile(r"/search/\?q=Call\+for\+Evidence$"))
    expect(nojs.locator("#search-results-heading")).to_contain_text("for ‘Call for Evidence’")
    first = nojs.locator(".review-search-results > li").first
    expect(first.locator(".govuk-tag")).to_have_text("Call")
    expect(first.get_by_role("link")).to_have_text("Call for Evidence")
    assert "**" not in nojs.locator(".review-search-results").inner_text()


FAQ_NUMBER_LINES = """() => [...document.querySelectorAll('nav[aria-labelledby="faq-contents-title"] li')].map(li => {
  const link = li.querySelector("a");
  // A zero-width space before the link sits on the item's first line box, where the number goes. A text node,
  // not an element, so the link stays the item's only child and keeps its styles.
  const probe = document.createTextNode("\u200b");
  li.insertBefore(probe, link);
  const range = document.createRange();
  range.selectNode(probe);
  const number = range.getBoundingClientRect(), box = link.getBoundingClientRect();
  probe.remove();
  const line = parseFloat(getComputedStyle(link).lineHeight);
  return {text: link.innerText, lines: Math.round(box.height / line), offset: number.top - box.top, line};
})"""


def test_a_wrapped_faq_question_has_its_number_on_its_first_line(new_context, site_url):
    load_demo()
    page = new_context(viewport={"width": 320, "height": 900}).new_page()
    page.goto(site_url + "/faqs/")

    items = page.evaluate(FAQ_NUMBER_LINES)

    assert any(item["lines"] > 1 for item in items), "some questions wrap at 320px"
    for item in items:
        assert item["offset"] < item["line"] / 2, item


def test_the_demo_story_pages_are_valid_html_on_both_days(client, db, java, tmp_path):  # noqa: F811
    documents = {}
    for state, args in [("default", ()), ("archived", ("--archived",))]:
        load_demo(*args)
        for name, path in {**STORY_PAGES, "news": "/news/", "get-involved": "/get-involved/"}.items():
            documents[f"{state}-{name}"] = fetch(client, path)

    errors = validate(java, documents, tmp_path)
    assert not errors, f"{len(errors)} HTML errors (Nu Html Checker):\n" + "\n".join(errors)
