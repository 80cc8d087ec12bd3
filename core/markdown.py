"""Markdown written by staff, rendered to a safe subset of HTML.

Staff paste text from anywhere; a `<script>` or a `javascript:` link must never reach a reader.

Shortcuts: `[[name:key]]` (or `[[name:key|link text]]`) becomes a link to something another app knows by key, e.g.
`[[publication:final-report]]`. Core knows no app: an app registers a resolver for its name in its AppConfig.ready()
(register_shortcut). A key its resolver does not know (or may not show) becomes its link text alone, or nothing.

Rendering is pure for text without a shortcut, so each worker keeps what it rendered by the text's digest: a page
rendered afresh (a visitor the page cache does not serve, search snippets) costs a look-up per Markdown field, not a
conversion. Text with a shortcut depends on other content: it is kept per content version (core.cache.remember).
"""

import hashlib
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown as md
import nh3
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from .cache import remember

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "blockquote", "code", "pre",
    "ul", "ol", "li", "a", "abbr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


SHORTCUT_RE = r"\[\[([a-z]+):([A-Za-z0-9_-]+)(?:\|([^\]\n]+))?\]\]"
# name -> resolve(key) giving (url, title), or None when there is nothing the public may see under that key.
_shortcuts: dict[str, Callable] = {}


def register_shortcut(name: str, resolve: Callable) -> None:
    """Let `[[name:key]]` link to what resolve(key) names: an (address, title) pair, or None."""
    _shortcuts[name] = resolve


class _ShortcutProcessor(InlineProcessor):
    def handleMatch(self, match, data):  # noqa: N802 - Markdown's name
        name, key, text = match.group(1), match.group(2), (match.group(3) or "").strip()
        resolve = _shortcuts.get(name)
        if resolve is None:
            return None, None, None  # not a shortcut anyone registered: left as written
        target = resolve(key)
        if target is None:
            # Missing, draft or not yet published: its words, or nothing, but never a link to a page that 404s.
            element = etree.Element("span")
            element.text = AtomicString(text)
            return element, match.start(0), match.end(0)
        url, title = target
        element = etree.Element("a")
        element.set("href", url)
        element.text = AtomicString(text or title)
        return element, match.start(0), match.end(0)


class _Shortcuts(Extension):
    def extendMarkdown(self, markdown):  # noqa: N802 - Markdown's name
        # Above links (160), below backticks and escapes: `[[publication:x]]` in code stays code.
        markdown.inlinePatterns.register(_ShortcutProcessor(SHORTCUT_RE, markdown), "review_shortcut", 175)


class TextMemo:
    """Text computed from text by a pure function, kept by the input's digest, the oldest forgotten first once the
    results hold `max_chars` characters (a few MB per worker at most)."""

    def __init__(self, max_chars=8_000_000):
        self.max_chars, self.chars = max_chars, 0
        self.results: dict[bytes, str] = {}
        self.lock = threading.Lock()

    def get(self, text, compute):
        key = hashlib.blake2b(text.encode(), digest_size=16).digest()
        result = self.results.get(key)
        if result is None:
            result = compute(text)
            with self.lock:
                if key not in self.results:
                    self.results[key] = result
                    self.chars += len(result)
                while self.chars > self.max_chars and len(self.results) > 1:
                    self.chars -= len(self.results.pop(next(iter(self.results))))
        return result


_rendered = TextMemo()
# Building a converter (its extensions, patterns and processors) costs more than converting a page of text, and a
# converter holds state while it works: one per thread and kind, reset between texts.
_converters = threading.local()


def _convert(text, shortcuts=False):
    name = "with_shortcuts" if shortcuts else "plain"
    converter = getattr(_converters, name, None)
    if converter is None:
        extensions = ["extra", "sane_lists", *([_Shortcuts()] if shortcuts else [])]
        converter = md.Markdown(extensions=extensions, output_format="html")
        setattr(_converters, name, converter)
    return converter.reset().convert(text)


def _sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text):
    """Markdown to sanitised HTML, marked safe for templates."""
    text = text or ""
    if _shortcuts and "[[" in text:
        # Its links name other content: kept per content version (core.cache.remember), as pages are.
        key = ("markdown", hashlib.blake2b(text.encode(), digest_size=16).digest())
        return mark_safe(remember(key, lambda: _sanitise(_convert(text, shortcuts=True))))  # noqa: S308 - nh3
    return mark_safe(_rendered.get(text, lambda t: _sanitise(_convert(t))))  # noqa: S308 - sanitised by nh3
