"""The words of a search's results that PostgreSQL counts as the words searched for ("leavers" for "leaver"), to
mark them in the snippets.

PostgreSQL's own headline (ts_headline) parsed every result's whole text again on every search: most of a search's
time. Here PostgreSQL stems single words instead (to_tsvector: stemmed, stop words dropped, as search does), and each
worker keeps the stems of every word it has asked about: the site's vocabulary is a few thousand words, so a search
asks about new words (one query) only now and then. Search offers only the words that begin with a query word's
first letter (pages/search_postgres.py): stemming never changes it.
"""

import re

from django.db import connection

MAX_WORDS_KEPT = 100_000  # queries bring words of their own: a few MB per worker at most, then forgotten
_WORD = re.compile(r"\w+")
_lexemes: dict[tuple[str, str], frozenset] = {}


def matching_words(query, candidates, *, config):
    """Those of the candidate words (lower-cased words of the results) that share a lexeme with a word of the query."""
    query_words = {word.lower() for word in _WORD.findall(query)}
    if not query_words or not candidates:
        return []
    lexemes = _lexemes_of(query_words | candidates, config)
    wanted = frozenset().union(*(lexemes[word] for word in query_words))
    return sorted(word for word in candidates if not wanted.isdisjoint(lexemes[word]))


def _lexemes_of(words, config):
    """{word: its lexemes}, asking PostgreSQL only about the words this worker has not seen."""
    known = {word: _lexemes.get((config, word)) for word in words}
    unknown = sorted(word for word, lexemes in known.items() if lexemes is None)
    if unknown:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, tsvector_to_array(to_tsvector(%s::regconfig, w)) FROM unnest(%s::text[]) AS w",
                [config, unknown],
            )
            learned = {word: frozenset(lexemes) for word, lexemes in cursor.fetchall()}
        if len(_lexemes) + len(learned) > MAX_WORDS_KEPT:
            forget()
        _lexemes.update(((config, word), lexemes) for word, lexemes in learned.items())
        known.update(learned)
    return known


def forget():
    """Forget every word's stems (as a new worker starts): the tests count the queries a first search runs."""
    _lexemes.clear()
