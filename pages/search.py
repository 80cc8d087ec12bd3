"""Site search over FAQs, published news and blogs, content pages and calls, and what other apps offer on their
AppConfig's search_sources() (publications and analysis, which pages may not import: register_app_sources).

On PostgreSQL: full-text search ("english" configuration: stemmed, stop words dropped) over a weighted vector
per model, stored in a column a trigger keeps current and served by a GIN index on it (core/search_vector.py; the
weights are in the migrations that add it: pages/migrations/0009_stored_search_vectors and the like;
tests/pages/test_search.py proves with EXPLAIN that the indexes are used). Every word that counts must match.
Elsewhere (SQLite in development): whole words, case-insensitive, with the same English stop words left out;
when some items have every word only they are shown, as on PostgreSQL, and otherwise the items with most of them.

Either way the number of queries is fixed, whatever the number of items: on PostgreSQL one for every source at once,
one more per source with results this worker has not seen as they are now (pages/search_postgres.py), and one more
when the results hold words it has not stemmed yet (the words to mark: pages/stems.py); elsewhere one per model.
Snippets are plain text, cut the same way for both (pages/snippets.py).
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models import Q

from consultations.models import Call
from core.search_vector import StoredVector

from . import search_postgres, snippets
from .models import FAQ, Page, Post
from .snippets import plain_text, word_snippet
from .stopwords import ENGLISH_STOP_WORDS

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10  # the fallback builds one LIKE per word and field


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: str  # FAQ, News, Blog, Page or Call
    snippet: str  # safe HTML: escaped plain text with <mark class="review-highlight"> around the matches
    rank: float
    title_match: bool


@dataclass(frozen=True)
class Source:
    queryset: callable
    vector: callable  # the weighted vector searched, its title (alone) weight A: StoredVector for a stored one
    title_field: str
    text_fields: tuple  # every searched field, title first
    snippet_field: str
    only: tuple  # the fields a result needs: its texts and what its address is made of
    kind_label: str  # what the results page calls it (posts say News or Blog themselves)

    def kind(self, obj):
        return obj.get_kind_display() if isinstance(obj, Post) else self.kind_label


SOURCES = [
    Source(
        queryset=lambda: FAQ.objects.all(),
        vector=StoredVector,
        title_field="question",
        text_fields=("question", "answer"),
        snippet_field="answer",
        only=("question", "answer", "slug"),
        kind_label="FAQ",
    ),
    Source(
        queryset=lambda: Post.objects.published(),
        vector=StoredVector,
        title_field="title",
        text_fields=("title", "summary", "body"),
        snippet_field="body",
        only=("title", "summary", "body", "slug", "kind"),
        kind_label="Post",
    ),
    Source(
        queryset=lambda: Page.objects.all(),
        vector=StoredVector,
        title_field="title",
        text_fields=("title", "summary", "body"),
        snippet_field="body",
        only=("title", "summary", "body", "slug"),
        kind_label="Page",
    ),
    Source(
        queryset=lambda: Call.objects.all(),
        vector=StoredVector,
        title_field="title",
        text_fields=("title", "summary", "body"),
        snippet_field="body",
        only=("title", "summary", "body", "slug"),
        kind_label="Call",
    ),
]


def register_app_sources() -> None:
    """Every other app's sources: its AppConfig's search_sources() returns Sources, or dicts of their fields (an app
    that may not import pages, analysis). Added at the first search, once every app is ready. A source's queryset
    must hold only what the public may see and be the same query every time but for the clock (on PostgreSQL it is
    compiled once); a table of more than a few rows wants its vector stored, with a GIN index
    (core/search_vector.py)."""
    global _app_sources_added
    if not _app_sources_added:
        for config in apps.get_app_configs():
            for source in getattr(config, "search_sources", list)():
                source = source if isinstance(source, Source) else Source(**source)
                if source not in SOURCES:
                    SOURCES.append(source)
        _app_sources_added = True


_app_sources_added = False


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(raw):
    """What we search for: no NUL or other control characters, single spaces, at most 200 characters."""
    query = " ".join(_CONTROL.sub(" ", raw or "").split())
    return query[:MAX_QUERY_LENGTH].strip()


def query_words(query):
    """The distinct words of a query that count, lower-cased, in order: punctuation, search syntax and
    English stop words ("for", "the", "who") dropped, as PostgreSQL's english configuration drops them."""
    words = []
    for word in re.findall(r"\w+", query.lower()):
        if word not in words and word not in ENGLISH_STOP_WORDS:
            words.append(word)
    return words[:MAX_WORDS]


def search_site(query, *, limit=50):
    """Ranked results for a query: title matches first, then by relevance. At most `limit` results."""
    query = clean_query(query)
    if not query:
        return []
    register_app_sources()
    if connection.vendor == "postgresql":
        return _search_postgres(query, limit)
    return _search_words(query, limit)


# PostgreSQL (pages/search_postgres.py)


def _search_postgres(query, limit):
    hits = search_postgres.found(query, limit, SOURCES)
    words = search_postgres.words_to_mark(query, hits)
    return [
        SearchResult(
            title=hit.item.title,
            url=hit.item.url(),
            kind=hit.item.kind,
            snippet=word_snippet(hit.item.body, hit.item.summary, words),
            rank=hit.rank,
            title_match=hit.title_match,
        )
        for hit in hits
    ]


# Elsewhere: the word-match fallback


def _search_words(query, limit):
    """Items with every word that counts (whole words, anywhere in the item); if none has them all, the items
    with most of them, ranked by how many."""
    words = query_words(query)
    if not words:
        return []
    pattern = snippets.word_pattern(words)
    results = []
    for source in SOURCES:
        # The database narrows by substring; whole words are then checked in the text a reader sees.
        condition = Q()
        for word in words:
            for field in source.text_fields:
                condition |= Q(**{f"{field}__icontains": word})
        # Enough candidates to rank; the site holds hundreds of items, not millions.
        for obj in source.queryset().only(*source.only).filter(condition)[: limit * 10]:
            texts = {field: plain_text(getattr(obj, field) or "") for field in source.text_fields}
            found = {field: [m.group(0).lower() for m in pattern.finditer(text)] for field, text in texts.items()}
            matched = {word for hits in found.values() for word in hits}
            if not matched:
                continue
            title_hits = len(set(found[source.title_field]))
            occurrences = sum(len(hits) for hits in found.values())
            snippet = word_snippet(texts[source.snippet_field], texts.get("summary", ""), words)
            # Words matched count most, then words in the title (at most 10 of them: below one whole word),
            # then occurrences (capped, so below one title word).
            rank = len(matched) + title_hits / 100 + min(occurrences, 99) / 100_000
            results.append(_result(source, obj, snippet, rank, title_hits > 0))
    if any(int(r.rank) == len(words) for r in results):
        # "Call for Evidence" shows what is about the Call for Evidence, not everything that says "call".
        results = [r for r in results if int(r.rank) == len(words)]
    results.sort(key=lambda r: (-r.rank, r.title.lower()))
    return results[:limit]


def _result(source, obj, snippet, rank, title_match):
    return SearchResult(
        title=getattr(obj, source.title_field),
        url=obj.get_absolute_url(),
        kind=source.kind(obj),
        snippet=snippet,
        rank=rank,
        title_match=title_match,
    )
