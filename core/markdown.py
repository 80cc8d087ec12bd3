"""Markdown written by staff, rendered to a safe subset of HTML.

Staff paste text from anywhere; a `<script>` or a `javascript:` link must never reach a reader.

Shortcuts: `[[name:key]]` (or `[[name:key|link text]]`) becomes a link to something another app knows by key, e.g.
`[[publication:final-report]]`. Core knows no app: an app registers a resolver for its name in its AppConfig.ready()
(register_shortcut). A key its resolver does not know (or may not show) becomes its link text alone, or nothing.

Rendering is pure for text without a shortcut, so each worker keeps what it rendered by the text's digest: a page
rendered afresh (a visitor the page cache does not serve, search snippets) costs a look-up per Markdown field, not a
conversion. Text with a shortcut depends on other content and is converted every time.
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


# Enough for every Markdown field of this site several times over; a few MB per worker at most.
RENDERED_MAX_CHARS = 8_000_000
_rendered: dict[bytes, str] = {}
_rendered_chars = 0
_rendered_lock = threading.Lock()
# Building a converter (its extensions, patterns and processors) costs more than converting a page of text, and a
# converter holds state while it works: one per thread, reset between texts.
_converters = threading.local()


def _convert(text):
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = md.Markdown(extensions=["extra", "sane_lists"], output_format="html")
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
        html = md.markdown(text, extensions=["extra", "sane_lists", _Shortcuts()], output_format="html")
        return mark_safe(_sanitise(html))  # noqa: S308 - sanitised by nh3
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    clean = _rendered.get(key)
    if clean is None:
        clean = _sanitise(_convert(text))
        _keep(key, clean)
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3


def _keep(key, clean):
    global _rendered_chars
    with _rendered_lock:
        if key in _rendered:
            return
        _rendered[key] = clean
        _rendered_chars += len(clean)
        while _rendered_chars > RENDERED_MAX_CHARS and len(_rendered) > 1:
            _rendered_chars -= len(_rendered.pop(next(iter(_rendered))))  # the oldest first
