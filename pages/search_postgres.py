"""Site search on PostgreSQL (pages/search.py says what is searched and how it is ranked).

One query finds every source's matches at once and returns only what ranks them: each row's source, key, rank,
whether its title matched, and its row version. What a result shows of an item (its title, kind, address fields,
and its texts as plain words) is kept in each worker's memory by row version, and fetched (one query per source)
only for rows this worker has not seen as they are now. Sending every result's whole body as JSON on every search,
and reducing it to plain words again, cost more than the search itself.

The row version is PostgreSQL's own: the transaction that wrote the row (xmin) and where the row is stored (ctid).
Every save, update or bulk update writes a new row, so a new version, even twice in one transaction; nothing else
changes what a result shows of a row, but for its address (a What we heard page's is its call's): that is kept for
the content version, as the site's pages keep their links (Item.url).

Each source's query is built by the ORM once per worker (compiled_source, with stand-ins for the words and the
clock) and only run after that: building it cost ten times running it.
"""

import datetime
import re
import threading
import time
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import CharField, Func
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from core.cache import remember
from core.db import prepared_cursor

from . import stems
from .snippets import plain_text

CONFIG = "english"
MAX_ITEMS_KEPT = 20_000  # rows of every source: a few MB per worker at most, then forgotten
_WORD = re.compile(r"\w+")


class TitleWords(Func):
    """A vector's title words alone: every source weights its title, and nothing else, A."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


def row_version(model):
    """The version of a row as it is now: which transaction wrote it, and where (see the module doc)."""
    table = connection.ops.quote_name(model._meta.db_table)
    return RawSQL(f"{table}.xmin::text || '/' || {table}.ctid::text", (), output_field=CharField())


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


@dataclass(frozen=True)
class Item:
    """What a result shows of one row, as the row was at `version`."""

    version: str
    model: type
    values: dict  # pk and the source's `only` fields: enough to build the row's address
    title: str
    kind: str
    body: str  # the snippet field as plain words
    summary: str  # the summary (if the source has one) as plain words
    words: dict  # {first letter: the distinct lower-cased words of body and summary}

    @classmethod
    def of(cls, source, obj, version=""):
        body, summary = plain_text(getattr(obj, source.snippet_field)), plain_text(getattr(obj, "summary", ""))
        words = {}
        for word in {word.lower() for text in (body, summary) for word in _WORD.findall(text)}:
            words.setdefault(word[0], set()).add(word)
        return cls(
            version=version,
            model=type(obj),
            values={field: getattr(obj, field) for field in ("pk", *source.only)},
            title=getattr(obj, source.title_field),
            kind=source.kind(obj),
            body=body,
            summary=summary,
            words={initial: frozenset(found) for initial, found in words.items()},
        )

    def url(self):
        """Built from the row, and remembered for the content version (core.cache.remember), as pages remember their
        links: an address may also depend on another row (a What we heard page's is its call's)."""
        key = ("search-result-url", self.model._meta.label, self.values["pk"], self.version)
        return remember(key, lambda: self.model(**self.values).get_absolute_url())


@dataclass(frozen=True)
class Hit:
    source: object
    item: Item
    rank: float
    title_match: bool


def found(query, limit, sources):
    """At most `limit` matches of every word that counts: title matches first, then by the weighted rank."""
    hits = _hits(query, limit, sources)
    hits.sort(key=lambda h: (not h.title_match, -h.rank, h.item.title.lower()))
    return hits[:limit]


def words_to_mark(query, hits):
    """The words of these results' texts that PostgreSQL counts as a word of the query (pages/stems.py)."""
    initials = {word[0] for word in _WORD.findall(query.lower())}
    candidates = set()
    for hit in hits:
        for initial in initials:
            candidates |= hit.item.words.get(initial, frozenset())
    return stems.matching_words(query, candidates, config=CONFIG)


def _hits(query, limit, sources):
    """Every source's matches (at most `limit` each) in one query, with this search's words and clock."""
    now, parts, params, built, models = timezone.now(), [], [], [], {}
    for number, source in enumerate(sources):
        compiled = compiled_source(source, limit)
        if compiled is None:  # its SQL changes with more than the clock: built by the ORM every time
            queryset = postgres_queryset(source, SearchQuery(query, search_type="websearch", config=CONFIG))
            built += [Hit(source, Item.of(source, obj), obj.rank, obj.title_match) for obj in queryset[:limit]]
            continue
        models[number] = compiled.model
        parts.append(f'SELECT {number}, r."pk", r."rank", r."title_match", r."row_version" FROM ({compiled.sql}) r')
        params += compiled.bind(query, now)
    rows = []
    if parts:
        with prepared_cursor() as cursor:  # the same SQL every time: planned once per connection (core/db.py)
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
    items = _items(sources, models, [(number, pk, version) for number, pk, _, _, version in rows])
    hits = [
        Hit(sources[number], items[number, pk], rank, title_match)
        for number, pk, rank, title_match, _ in rows
        if (number, pk) in items  # deleted since the search ran: left out
    ]
    return hits + built


_kept: dict[tuple, Item] = {}
_kept_lock = threading.Lock()


def _items(sources, models, rows):
    """{(source number, pk): Item} for these rows, from memory when this worker has seen the row's version."""
    items, missing = {}, {}
    for number, pk, version in rows:
        item = _kept.get((models[number], pk))
        if item is not None and item.version == version:
            items[number, pk] = item
        else:
            missing.setdefault(number, []).append(pk)
    for number, pks in missing.items():
        source, model = sources[number], models[number]
        # As the rows are now, whether or not they are still public: the search just found them.
        fetched = model._base_manager.only(*source.only).annotate(row_version=row_version(model)).filter(pk__in=pks)
        learned = {(model, obj.pk): Item.of(source, obj, obj.row_version) for obj in fetched}
        with _kept_lock:
            if len(_kept) + len(learned) > MAX_ITEMS_KEPT:
                _kept.clear()
            _kept.update(learned)
        items.update(((number, pk), learned[model, pk]) for pk in pks if (model, pk) in learned)
    return items


def forget():
    """Forget every row this worker has kept (as a new worker starts): the tests count the queries a search runs."""
    with _kept_lock:
        _kept.clear()


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
            queryset = queryset.annotate(row_version=row_version(queryset.model))
            values = queryset.values_list("pk", "rank", "title_match", "row_version")[:limit]
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
