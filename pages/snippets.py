"""The text under each search result: plain words from the item's Markdown, cut at word boundaries, matches marked.

Only our own <mark> tags are HTML; everything else is escaped. Markdown is rendered (as readers see it) and then
reduced to its text, so no `**`, `## ` or `[link](address)` ever shows in a snippet.
"""

import functools
import html
import re
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from core.markdown import TextMemo, render_markdown

SNIPPET_CHARS = 240
HIGHLIGHT_CLASS = "review-highlight"
ELLIPSIS = "…"

# Where a block ends in the rendered HTML, something between it and the next: "<li>a</li><li>b</li>" must not read
# "ab", and a heading must not run into the sentence after it. A heading ends with a colon, a list item or a table
# row with a semicolon (the last one with a full stop), a table cell with a comma, unless the writer ended it with
# punctuation already.
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|td|th|tr|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_SEPARATORS = {"li": ";", "tr": ";", "td": ",", "th": ","} | {f"h{n}": ":" for n in range(1, 7)}
# What follows the last of its kind: a list's last item, a row's last cell, a table's last row.
_LAST = {"li": r"\s*</[ou]l>", "td": r"\s*</tr>", "th": r"\s*</tr>", "tr": r"\s*</t(?:head|body)>\s*(?:</table>)"}
_LAST_SEPARATOR = {"li": ".", "td": "", "th": "", "tr": "."}
_ENDS_WITH_PUNCTUATION = re.compile(r"[.!?:;,…]\s*$")


def _separate(html):
    pieces, last, text_before = [], 0, ""
    for match in _BLOCK_END.finditer(html):
        piece = html[last : match.start()]
        # The words just before this end (a row's end follows its last cell's end, with only space between).
        text_before = strip_tags(piece).strip() or text_before
        tag = (match.group(1) or "").lower()
        separator = _SEPARATORS.get(tag, "")
        if tag in _LAST and re.match(_LAST[tag], html[match.end() :]):
            separator = _LAST_SEPARATOR[tag]
        if separator and not _ENDS_WITH_PUNCTUATION.search(text_before):
            pieces.append(piece)
            while pieces and not pieces[-1].strip():
                pieces.pop()  # the separator goes straight after the words, not after the space that followed them
            pieces += [pieces.pop().rstrip() if pieces else "", separator, " "]
            text_before += separator
        else:
            pieces += [piece, " "]
        last = match.end()
    pieces.append(html[last:])
    return "".join(pieces)


def plain_text(markdown_text):
    """Markdown as the words a reader sees: rendered, tags removed, entities decoded, one space between words.

    A search reduces every result's body and summary: each worker keeps the words of each rendering it reduced."""
    return _plain_texts.get(str(render_markdown(markdown_text or "")), _words)


def _words(html):
    return " ".join(unescape(strip_tags(_separate(html))).split())


_plain_texts = TextMemo()


def _mark(html_escaped_text):
    return f'<mark class="{HIGHLIGHT_CLASS}">{html_escaped_text}</mark>'


def word_pattern(words):
    """Whole words only, any case: "care" marks "Care" but not "careful" or "childcare"."""
    return _pattern(tuple(words)) if words else None


@functools.lru_cache(maxsize=256)  # a search asks for the same words' pattern once or twice per result
def _pattern(words):
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def highlight(text, words):
    """Escape text and wrap every whole-word, case-insensitive occurrence of the words in <mark>."""
    pattern = word_pattern(words)
    if pattern is None:
        return escape(text)
    # The standard library's escape, as Django's does, without its lazy-string wrapper on every piece.
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        pieces.append(_mark(html.escape(match.group(0))))
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def window(text, first, size=SNIPPET_CHARS):
    """About `size` characters of text around position `first`, starting and ending on whole words."""
    if len(text) <= size:
        return text, False, False
    start = max(0, first - size // 3)
    if start:
        # Begin at the next word (never after the match itself).
        space = text.find(" ", start, first + 1)
        start = space + 1 if space >= 0 else text.rfind(" ", 0, first) + 1
    end = start + size
    if end < len(text):
        # End on the last whole word that fits; a single giant word is cut rather than dropped.
        space = text.rfind(" ", max(start, first) + 1, end + 1)
        end = space if space > start else end
    return text[start:end].strip(), start > 0, end < len(text)


def word_snippet(body_text, summary_text, words):
    """A result's snippet: the body around its first whole-word match, else the summary, highlighted. The words are the
    query's (the fallback) or those PostgreSQL matched to it in these texts, stems included."""
    pattern = word_pattern(words)
    for text in (body_text, summary_text):
        match = pattern.search(text) if pattern and text else None
        if match:
            return _with_ellipses(*window(text, match.start()), words)
    text = summary_text or body_text
    return _with_ellipses(*window(text, 0), words) if text else ""


def _with_ellipses(text, cut_before, cut_after, words):
    html = highlight(text, words)
    return mark_safe(f"{ELLIPSIS} " * cut_before + html + f" {ELLIPSIS}" * cut_after)  # noqa: S308 - escaped
