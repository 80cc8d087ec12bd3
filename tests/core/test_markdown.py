"""Staff Markdown is converted once per text in each worker, and a text linking other content follows it."""

import pytest

from core import cache as page_cache
from core import markdown
from pages.models import FAQ
from tests.factories import FAQFactory


@pytest.fixture
def conversions(monkeypatch):
    converted = []
    convert = markdown._convert

    def counting(text, shortcuts=False):
        converted.append(text)
        return convert(text, shortcuts)

    monkeypatch.setattr(markdown, "_convert", counting)
    monkeypatch.setattr(markdown, "_rendered", markdown.TextMemo())
    return converted


def test_the_same_text_is_converted_once_and_renders_the_same_every_time(conversions):
    text = "Some *plain* words, a [link](https://example.org) and a footnote[^1].\n\n[^1]: The note."
    first, second = markdown.render_markdown(text), markdown.render_markdown(text)
    assert first == second
    assert "<em>plain</em>" in first and 'href="#fn:1"' in first
    assert conversions == [text]


def test_a_converter_reused_for_another_text_carries_nothing_over(conversions):
    with_note = str(markdown.render_markdown("Said[^1].\n\n[^1]: Where."))
    without = str(markdown.render_markdown("Said plainly."))
    assert "footnote" in with_note
    assert without == "<p>Said plainly.</p>"


def test_what_staff_paste_is_still_sanitised_when_kept():
    for _ in range(2):
        html = str(markdown.render_markdown("<script>alert(1)</script>[x](javascript:alert(1))"))
        assert "<script" not in html and "javascript:" not in html


def test_a_worker_forgets_its_oldest_renderings_first():
    memo = markdown.TextMemo(max_chars=10)
    for text in ("aaaa", "bbbb", "cccc"):
        memo.get(text, str.upper)
    assert list(memo.results.values()) == ["BBBB", "CCCC"]


@pytest.mark.django_db
def test_a_link_to_other_content_follows_that_content_once_it_changes(settings, monkeypatch):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    page_cache._Local.clear()
    monkeypatch.setitem(markdown._shortcuts, "faq", lambda key: (f"/faqs/#{key}", FAQ.objects.get(slug=key).question))
    faq = FAQFactory(slug="who", question="Who runs the review?")
    assert ">Who runs the review?</a>" in markdown.render_markdown("See [[faq:who]].")
    faq.question = "Who led the review?"
    faq.save()
    assert ">Who led the review?</a>" in markdown.render_markdown("See [[faq:who]].")
    page_cache._Local.clear()
