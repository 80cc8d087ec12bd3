"""What a person sees while a page loads: nothing moves once painted, and on a phone the journey's question stays in
view under a one-line closure notice. Served with the real Content-Security-Policy (no bypass), so the one inline
script must be the one its hash allows."""

import pytest

from .support import make_public_content

pytestmark = pytest.mark.browser

RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def content(site_url):
    return make_public_content()


@pytest.mark.parametrize("width", [320, 412, 1280])
def test_public_pages_do_not_shift_once_painted(new_context, site_url, content, width):
    context = new_context(bypass_csp=False, viewport={"width": width, "height": 900})
    context.add_init_script(RECORD_SHIFTS)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else 0)
    call = content["calls"]["open"]
    for path in ["/", "/faqs/", "/news/", call.get_absolute_url(), f"/calls/{call.slug}/respond/about-you/"]:
        page.goto(site_url + path, wait_until="load")
        page.wait_for_timeout(500)
        total = page.evaluate("window.__shifts.reduce((a, b) => a + b, 0)")
        assert total < 0.01, f"{path} at {width}px shifted by {total:.3f}"
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path
    assert not refused, f"the CSP refused a script: {refused}"


def test_on_a_phone_the_journey_shows_the_closure_notice_in_one_short_line(new_context, site_url, content):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    call = content["calls"]["open"]
    page.goto(site_url + f"/calls/{call.slug}/respond/about-you/")
    notice = page.get_by_role("region", name="Website closure")
    assert notice.bounding_box()["height"] < 130
    assert notice.get_by_role("link", name="the archived copy at the National Archives").is_visible()
    heading = page.get_by_role("heading", level=1)
    assert heading.bounding_box()["y"] < 420, "the question starts on the first screen"

    page.goto(site_url + "/")
    assert page.get_by_role("region", name="Important").is_visible(), "other pages keep the full notice"
