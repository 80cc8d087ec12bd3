import re

import pytest
from playwright.sync_api import expect

from .support import audit_page, check_page, format_violations, make_public_content

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
