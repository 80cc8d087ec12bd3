"""Site search over FAQs, published news and blogs, content pages and calls, and what other apps register here
(register_source: publications adds its own in PublicationsConfig.ready(), as pages may not import it; analysis,
which may not import pages, offers its own on its AppConfig: register_app_sources).

On PostgreSQL: full-text search ("english" configuration: stemmed, stop words dropped) over a weighted vector
per model, stored in a column a trigger keeps current and served by a GIN index on it (core/search_vector.py; the
weights are in the migrations that add it: pages/migrations/0009_stored_search_vectors and the like;
tests/pages/test_search.py proves with EXPLAIN that the indexes are used). Every word that counts must match.
Elsewhere (SQLite in development): whole words, case-insensitive, with the same English stop words left out;
when some items have every word only they are shown, as on PostgreSQL, and otherwise the items with most of them.

Either way the number of queries is fixed, whatever the number of items: on PostgreSQL one for every source at once,
and one more when the results hold words this worker has not stemmed yet (the words to mark: pages/stems.py);
elsewhere one per model. Snippets are plain text, cut the same way for both (pages/snippets.py).

On PostgreSQL each source's query is built by the ORM once per worker (postgres_queryset, with stand-ins for the
words and the clock) and only run after that: building it cost ten times running it (compiled_source).
"""

import datetime
import json
import re
import threading
import time
from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Func, Q
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from consultations.models import Call
from core.search_vector import StoredVector

from . import snippets, stems
from .models import FAQ, Page, Post
from .snippets import plain_text, word_snippet
from .stopwords import ENGLISH_STOP_WORDS

CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10  # the fallback builds one LIKE per word and field


class TitleWords(Func):
    """A vector's title words alone: every source weights its title, and nothing else, A."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


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


def register_source(source: Source) -> None:
    """Search another app's items too. Its queryset must hold only what the public may see, and be the same query
    every time but for the clock (on PostgreSQL it is compiled once: compiled_source); a table of more than a few
    rows wants its vector stored, with a GIN index (core/search_vector.py)."""
    if source not in SOURCES:
        SOURCES.append(source)


def register_app_sources() -> None:
    """Sources of apps that may not import pages either (analysis): their AppConfig's search_sources() returns
    dicts of Source's fields. Added at the first search, once every app is ready."""
    global _app_sources_added
    if not _app_sources_added:
        for config in apps.get_app_configs():
            for fields in getattr(config, "search_sources", list)():
                register_source(Source(**fields))
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


# PostgreSQL


@dataclass
class _Hit:
    source: Source
    obj: object
    rank: float
    title_match: bool

    @property
    def title(self):
        return getattr(self.obj, self.source.title_field)


def _search_postgres(query, limit):
    hits = _postgres_hits(query, limit)
    # Every result matches every word that counts: a title match first, then the weighted rank.
    hits.sort(key=lambda h: (not h.title_match, -h.rank, h.title.lower()))
    hits = hits[:limit]
    texts = [
        (plain_text(getattr(hit.obj, hit.source.snippet_field)), plain_text(getattr(hit.obj, "summary", "")))
        for hit in hits
    ]
    words = stems.matching_words(query, [text for pair in texts for text in pair], config=CONFIG)
    return [
        _result(hit.source, hit.obj, word_snippet(body, summary, words), hit.rank, hit.title_match)
        for hit, (body, summary) in zip(hits, texts, strict=True)
    ]


def _postgres_hits(query, limit):
    """Every source's matches (at most `limit` each) in one query: each source's compiled SQL with this search's
    words and clock, its rows as JSON objects."""
    now, parts, params, built = timezone.now(), [], [], []
    for number, source in enumerate(SOURCES):
        compiled = compiled_source(source, limit)
        if compiled is None:  # its SQL changes with more than the clock: built by the ORM every time
            search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
            queryset = postgres_queryset(source, search_query)[:limit]
            built += [_Hit(source, obj, obj.rank, obj.title_match) for obj in queryset]
            continue
        parts.append(f"SELECT {number}, row_to_json(r)::text FROM ({compiled.sql}) r")
        params += compiled.bind(query, now)
    rows = []
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
    hits = []
    for number, row in rows:
        source = SOURCES[number]
        compiled, values = compiled_source(source, limit), json.loads(row)
        obj = compiled.model(**{field: values[field] for field in ("pk", *source.only)})
        hits.append(_Hit(source, obj, values["rank"], values["title_match"]))
    return hits + built


@dataclass(frozen=True)
class CompiledSource:
    """A source's search as SQL: its params, with the places of the searched words and of the clock in them."""

    sql: str
    params: tuple
    words_at: frozenset
    now_at: frozenset
    model: type

    def bind(self, words, now):
        return [
            words if i in self.words_at else now if i in self.now_at else param for i, param in enumerate(self.params)
        ]


_STANDIN = "\ue002 the words searched for \ue002"
_compiled = {}
_compiled_lock = threading.Lock()


def compiled_source(source, limit):
    """The source's compiled search, built once per worker; None when its SQL changes with more than the clock.

    Built twice, a moment apart: a param that is a moment of that build is the clock (a source showing only what
    is published by now) and takes each search's time; any other param that differs between the two builds would
    be frozen wrongly, so such a source is built by the ORM on every search instead."""
    key = (source, limit)
    if key not in _compiled:
        builds = []
        for _ in range(2):
            before = timezone.now()
            queryset = postgres_queryset(source, SearchQuery(_STANDIN, search_type="websearch", config=CONFIG))
            # Each row's columns are named after its fields (values_list): row_to_json keeps the names.
            values = queryset.values_list("pk", *source.only, "rank", "title_match")[:limit]
            sql, params = values.query.sql_with_params()
            builds.append((sql, params, before, timezone.now()))
            time.sleep(0.001)
        (sql, params, before, after), (sql_again, params_again, before_again, after_again) = builds

        def clock(param, start, end):
            return isinstance(param, datetime.datetime) and start <= param <= end

        now_at = {i for i, p in enumerate(params) if clock(p, before, after)}
        same = sql == sql_again and len(params) == len(params_again)
        for i, (param, param_again) in enumerate(zip(params, params_again, strict=False)):
            if i in now_at:
                same = same and clock(param_again, before_again, after_again)
            else:
                same = same and param == param_again
        compiled = None
        words_at = frozenset(i for i, p in enumerate(params) if p == _STANDIN)
        if same and words_at:
            compiled = CompiledSource(sql, tuple(params), words_at, frozenset(now_at), queryset.model)
        with _compiled_lock:
            _compiled[key] = compiled
    return _compiled[key]


def postgres_queryset(source, search_query):
    """One source's matches, best first. Its WHERE clause is the vector the GIN index holds."""
    vector = source.vector()
    title_rank = SearchRank(TitleWords(vector), search_query)
    return (
        source.queryset()
        .only(*source.only)
        .alias(search=vector)
        .filter(search=search_query)
        .annotate(rank=SearchRank(vector, search_query), title_match=GreaterThan(title_rank, 0))
        .order_by("-title_match", "-rank")
    )


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
