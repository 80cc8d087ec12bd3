"""Site search over FAQs, published news and blogs, and content pages.

On PostgreSQL: full-text search ("english" configuration) over a weighted vector per model, served by
a GIN expression index (migration 0002_search_indexes builds the same expressions as the *_vector()
functions below; tests/pages/test_search.py proves with EXPLAIN that the index is used). Elsewhere
(SQLite in development): every word matched case-insensitively, ranked in Python.

Either way: one query per model (three in all) whatever the number of items, and snippets in which
only our own <mark> tags are HTML; everything else is escaped.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.db.models.lookups import GreaterThan
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import FAQ, Page, Post

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10  # the fallback builds one LIKE per word and field
SNIPPET_CHARS = 240
HIGHLIGHT_CLASS = "review-highlight"
# Characters from Unicode's private use area mark the matches in PostgreSQL's headline, so that the
# text around them can be escaped before they become <mark> tags.
START, STOP = "\ue000", "\ue001"


def faq_vector():
    return SearchVector("question", weight="A", config=CONFIG) + SearchVector("answer", weight="B", config=CONFIG)


def titled_vector():
    """Posts and pages alike: title, then summary, then body (their GIN indexes use this same expression)."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: str  # FAQ, News, Blog or Page
    snippet: str  # safe HTML: escaped text with <mark class="review-highlight"> around the matches
    rank: float
    title_match: bool


@dataclass(frozen=True)
class Source:
    queryset: callable
    vector: callable
    title_field: str
    text_fields: tuple  # every searched field, title first
    snippet_field: str
    only: tuple

    def kind(self, obj):
        if isinstance(obj, Post):
            return obj.get_kind_display()
        return "FAQ" if isinstance(obj, FAQ) else "Page"

    def summary(self, obj):
        return getattr(obj, "summary", "")


SOURCES = [
    Source(
        queryset=lambda: FAQ.objects.all(),
        vector=faq_vector,
        title_field="question",
        text_fields=("question", "answer"),
        snippet_field="answer",
        only=("question", "slug"),
    ),
    Source(
        queryset=lambda: Post.objects.published(),
        vector=titled_vector,
        title_field="title",
        text_fields=("title", "summary", "body"),
        snippet_field="body",
        only=("title", "slug", "kind", "summary"),
    ),
    Source(
        queryset=lambda: Page.objects.all(),
        vector=titled_vector,
        title_field="title",
        text_fields=("title", "summary", "body"),
        snippet_field="body",
        only=("title", "slug", "summary"),
    ),
]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(raw):
    """What we search for: no NUL or other control characters, single spaces, at most 200 characters."""
    query = " ".join(_CONTROL.sub(" ", raw or "").split())
    return query[:MAX_QUERY_LENGTH].strip()


def query_words(query):
    """The distinct words of a query, lower-cased, in order (punctuation and search syntax dropped)."""
    words = []
    for word in re.findall(r"\w+", query.lower()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_site(query, *, limit=50):
    """Ranked results for a query: title matches first, then by relevance. At most `limit` results."""
    query = clean_query(query)
    if not query:
        return []
    if connection.vendor == "postgresql":
        # Every result matches every word (websearch semantics): a title match first, then the weighted rank.
        results = _search_postgres(query, limit)
        results.sort(key=lambda r: (not r.title_match, -r.rank, r.title.lower()))
    else:
        # Any word matches: more words matched first, then words in the title (both are in the rank).
        results = _search_words(query, limit)
        results.sort(key=lambda r: (-r.rank, r.title.lower()))
    return results[:limit]


def _search_postgres(query, limit):
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    results = []
    for source in SOURCES:
        rows = postgres_queryset(source, search_query)[:limit]
        for obj in rows:
            if START in obj.headline or not source.summary(obj):
                snippet = _marked_snippet(obj.headline)
            else:
                # Matched on the title or summary alone: the summary says more than the body's first words.
                snippet = highlight(source.summary(obj), query_words(query))
            results.append(
                SearchResult(
                    title=getattr(obj, source.title_field),
                    url=obj.get_absolute_url(),
                    kind=source.kind(obj),
                    snippet=snippet,
                    rank=obj.rank,
                    title_match=obj.title_match,
                )
            )
    return results


def postgres_queryset(source, search_query):
    """One source's matches, best first. Its WHERE clause is the expression the GIN index holds."""
    title_rank = SearchRank(SearchVector(source.title_field, config=CONFIG), search_query)
    return (
        source.queryset()
        .only(*source.only)
        .alias(search=source.vector())
        .filter(search=search_query)
        .annotate(
            rank=SearchRank(source.vector(), search_query),
            title_match=GreaterThan(title_rank, 0),
            headline=SearchHeadline(
                source.snippet_field,
                search_query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-title_match", "-rank")
    )


def _search_words(query, limit):
    """The fallback: any word, anywhere, case-insensitive; more words matched ranks higher."""
    words = query_words(query)
    if not words:
        return []
    results = []
    for source in SOURCES:
        condition = None
        for word in words:
            for field in source.text_fields:
                term = _q(field, word)
                condition = term if condition is None else condition | term
        # Enough candidates to rank; the site holds hundreds of items, not millions.
        rows = source.queryset().only(*source.only, *source.text_fields).filter(condition)[: limit * 10]
        for obj in rows:
            texts = {field: (getattr(obj, field) or "").lower() for field in source.text_fields}
            matched = [w for w in words if any(w in text for text in texts.values())]
            title_hits = sum(1 for w in words if w in texts[source.title_field])
            occurrences = sum(text.count(w) for w in words for text in texts.values())
            results.append(
                SearchResult(
                    title=getattr(obj, source.title_field),
                    url=obj.get_absolute_url(),
                    kind=source.kind(obj),
                    snippet=_word_snippet(getattr(obj, source.snippet_field) or "", source.summary(obj), words),
                    # Words matched count most, then words in the title (at most 10 of them: below one
                    # whole word), then occurrences (capped, so below one title word).
                    rank=len(matched) + title_hits / 100 + min(occurrences, 99) / 100_000,
                    title_match=title_hits > 0,
                )
            )
    return results


def _q(field, word):
    return Q(**{f"{field}__icontains": word})


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(\*\*|__|`|^#+\s*|^>\s*)", re.MULTILINE)


def plain_text(markdown_text):
    """Markdown as readable plain text for a snippet: link text without the address, no emphasis marks."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown_text or "")
    text = _MARKDOWN_MARKS.sub("", text)
    return " ".join(text.split())


def _mark(html_escaped_text):
    return f'<mark class="{HIGHLIGHT_CLASS}">{html_escaped_text}</mark>'


def _marked_snippet(headline):
    """PostgreSQL's headline (matches between START and STOP) as safe HTML."""
    text = escape(plain_text(headline))
    text = re.sub(f"{START}(.*?){STOP}", lambda m: _mark(m.group(1)), text)
    # A stray marker (one that came from the text itself) must not show.
    return mark_safe(text.replace(START, "").replace(STOP, ""))  # noqa: S308 - escaped above


def highlight(text, words):
    """Escape text and wrap every case-insensitive occurrence of the words in <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(_mark(escape(match.group(0))))
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def _word_snippet(body, summary, words):
    """About SNIPPET_CHARS of text around the first match in the body (or the summary), highlighted."""
    text = plain_text(body)
    lowered = text.lower()
    positions = [p for p in (lowered.find(w) for w in words) if p >= 0]
    if not positions and summary:
        text, lowered = summary, summary.lower()
        positions = [p for p in (lowered.find(w) for w in words) if p >= 0]
    first = min(positions, default=0)
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    snippet = text[start:end].strip()
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(snippet, words) + suffix)  # noqa: S308 - highlight() escapes
