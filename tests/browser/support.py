"""Helpers for the browser tests: axe-core checks and screenshots."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (320, 1280)
SCREENSHOTS = BASE_DIR / "test-artifacts" / "screenshots"


# GOV.UK Frontend's JavaScript puts aria-expanded on a radio or checkbox that reveals a conditional question.
# ARIA 1.2 does not list it for those roles, so axe-core reports it; GOV.UK keep it on purpose because screen
# readers announce it (alphagov/govuk-frontend#979). That one attribute on those inputs is the only exception.
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  const govukReveal = (v, n) => v.id === "aria-allowed-attr"
    && n.any.concat(n.all, n.none).every(c => /aria-expanded/.test(c.message))
    && n.target.length === 1
    && document.querySelector(n.target[0])?.matches(
      "input.govuk-radios__input[aria-controls], input.govuk-checkboxes__input[aria-controls]");
  return result.violations
    .map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.filter(n => !govukReveal(v, n))
        .map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary}))}))
    .filter(v => v.nodes.length);
}"""


def _axe(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN, AXE_TAGS)


def _reflow_violation(elements):
    return {
        "id": "reflow",
        "impact": "serious",
        "help": "Content must fit 320px without scrolling sideways (WCAG 1.4.10)",
        "helpUrl": "https://www.w3.org/WAI/WCAG22/Understanding/reflow.html",
        "nodes": [{"target": "wider than the viewport", "html": html, "summary": ""} for html in elements],
    }


def format_violations(found):
    lines = []
    for where, violations in found:
        for violation in violations:
            lines.append(f"\n[{where}] {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"    {violation['helpUrl']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    at {node['target']}: {node['html']}")
                if node["summary"]:
                    lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def audit_page(page, name, widths=WIDTHS):
    """Run axe-core (WCAG 2.2 AA rules) and save a full-page screenshot at each width.

    Returns [(where, violations)] for the widths with violations. The viewport is put back afterwards,
    so a test can carry on from where it was.
    """
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `npm ci` (make test does).")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    found = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        # From the top of the page, as it first shows: GOV.UK's "Exit this page" button sticks to the top of the
        # window once scrolled, and axe-core would count what it happens to cover at that moment as obscured.
        page.evaluate("() => window.scrollTo(0, 0)")
        violations = _axe(page)
        # WCAG 1.4.10 (reflow), which axe-core does not check: nothing may scroll sideways at 320px.
        overflow = page.evaluate(
            "(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
            ".slice(0, 5).map(e => e.outerHTML.slice(0, 200))",
            width,
        )
        if width <= 320 and overflow:
            violations = [*violations, _reflow_violation(overflow)]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        if violations:
            found.append((f"{name} at {width}px, {page.url}", violations))
    page.set_viewport_size(before)
    return found


def check_page(page, name, widths=WIDTHS):
    """audit_page, failing with a readable list of the violations."""
    found = audit_page(page, name, widths)
    assert not found, "Accessibility violations (axe-core):" + format_violations(found)


def make_public_content():
    """A small site with something on every public page: pages, FAQs, news and blogs, and calls in each state."""
    import datetime

    from django.utils import timezone

    from consultations.models import Call
    from core.models import ClosureNotice
    from pages.models import Page, Post
    from tests.factories import (
        CallFactory,
        ClosureNoticeFactory,
        FAQFactory,
        PageFactory,
        PostFactory,
        QuestionFactory,
    )

    now = timezone.now()
    about = PageFactory(
        slug="about",
        title="About the review",
        body="The review looked at **children's social care** in England.\n\n## Who led it\n\nA lead reviewer.",
        nav_location=Page.NavLocation.HEADER,
    )
    faqs = [
        FAQFactory(question="What does the review look at?", answer="Help, protection and care for children."),
        FAQFactory(question="Who leads the review?", answer="An independent lead reviewer, with a small team."),
    ]
    posts = [
        PostFactory(
            title="The review publishes its final report",
            slug="final-report",
            body="The final report is out.\n\n## What it says\n\n- More help for families\n- Stable homes",
            published_at=now - datetime.timedelta(days=2),
        ),
        PostFactory(title="Listening to young people", slug="listening", kind=Post.Kind.BLOG),
    ]
    calls = {
        "open": CallFactory(
            title="Call for Evidence",
            slug="call-for-evidence",
            kind=Call.Kind.EVIDENCE,
            accepts_attachments=True,
        ),
        "upcoming": CallFactory(
            title="Call for Ideas",
            slug="call-for-ideas",
            kind=Call.Kind.IDEAS,
            opens_at=now + datetime.timedelta(days=5),
        ),
        "closed": CallFactory(
            title="Call for Advice",
            slug="call-for-advice",
            opens_at=now - datetime.timedelta(days=90),
            closes_at=now - datetime.timedelta(days=30),
        ),
    }
    QuestionFactory(call=calls["open"], prompt="What evidence should the review see?", word_limit=30)
    QuestionFactory(call=calls["open"], prompt="Is there anything else?", required=False)
    notice = ClosureNotice.objects.active().first() or ClosureNoticeFactory()
    return {"about": about, "faqs": faqs, "posts": posts, "calls": calls, "notice": notice}


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const name = (el.getAttribute("aria-label") || label || el.innerText || el.value || "").replace(/\\s+/g, " ").trim();
  const styles = [getComputedStyle(el)];
  if (el.matches("input[type=radio], input[type=checkbox]") && el.labels.length) {
    styles.push(getComputedStyle(el.labels[0], "::before"));
  }
  const visible = styles.some(s =>
    (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== "rgba(0, 0, 0, 0)")
    || (s.boxShadow && s.boxShadow !== "none")
    || s.backgroundColor === "rgb(255, 221, 0)");
  return {tag: el.tagName.toLowerCase(), type: el.type || "", name, focusVisible: visible};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def tab_to(page, name, *, tag=None, backwards=False, limit=80):
    """Press Tab (or Shift+Tab) until the focused element's accessible name matches; fail listing the stops.

    Every stop on the way must show where the focus is (WCAG 2.4.7).
    """
    import re

    pattern = re.compile(name) if isinstance(name, str) else name
    key = "Shift+Tab" if backwards else "Tab"
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if now is None:
            continue
        stops.append(f"{now['tag']}[{now['type']}] {now['name'][:60]!r}")
        assert now["focusVisible"], f"no visible focus on {stops[-1]} ({page.url})"
        if pattern.search(now["name"]) and (tag is None or now["tag"] == tag):
            return now
    raise AssertionError(f"{key} never reached {name!r} on {page.url}; stops:\n  " + "\n  ".join(stops))
