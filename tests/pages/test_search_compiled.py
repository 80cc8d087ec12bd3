"""Search on PostgreSQL runs each source's query compiled once per worker, every source in one query: it must find
exactly what the ORM's query finds, take each search's clock, and leave to the ORM a source it cannot compile."""

import datetime

import pytest
import time_machine
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.search_vector import StoredVector
from pages import search, search_postgres, stems
from pages.models import FAQ
from tests.factories import CallFactory, FAQFactory, PageFactory, PostFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search only"),
]


def found_by_the_orm(query):
    search_query = SearchQuery(query, search_type="websearch", config=search_postgres.CONFIG)
    return sorted(
        (source.kind_label, obj.pk, round(obj.rank, 6), obj.title_match)
        for source in search.SOURCES
        for obj in search_postgres.postgres_queryset(source, search_query)[:50]
    )


def found(query):
    return sorted(
        (hit.source.kind_label, hit.item.values["pk"], round(hit.rank, 6), hit.title_match)
        for hit in search_postgres.found(query, 50, search.SOURCES)
    )


@pytest.mark.parametrize("query", ["care", "care leavers", "foster -care", '"social worker"', "advocacy OR housing"])
def test_every_source_at_once_finds_what_each_source_finds_alone(query):
    FAQFactory(question="Who helps care leavers?", answer="A social worker and an advocate.")
    PostFactory(title="Foster care week", body="Foster carers and social workers met.")
    PageFactory(title="Housing", body="Care leavers need housing and advocacy.")
    CallFactory(title="Call for Evidence", body="What works in care?")
    assert found(query) == found_by_the_orm(query)
    assert found("care")


def test_all_sources_are_searched_in_one_query_and_what_is_new_to_the_worker_fetched_once():
    FAQFactory(answer="Care leavers.")
    PostFactory(body="Care leavers.")
    stems.forget()
    search_postgres.forget()
    with CaptureQueriesContext(connection) as queries:
        results = search.search_site("care")
    assert len(results) == 2
    assert len(queries) == 4, "the search, the FAQ and the post as they are now, the words to mark"
    with CaptureQueriesContext(connection) as queries:
        search.search_site("care")
    assert len(queries) == 1, "the worker knows these rows and words now"


def test_a_result_shows_its_row_as_it_is_now_even_when_changed_twice_in_one_transaction():
    faq = FAQFactory(question="Who helps?", answer="A personal adviser helps care leavers.")
    assert [r.title for r in search.search_site("adviser")] == ["Who helps?"]

    FAQ.objects.filter(pk=faq.pk).update(question="Who helps care leavers?")
    assert [r.title for r in search.search_site("adviser")] == ["Who helps care leavers?"]
    FAQ.objects.filter(pk=faq.pk).update(answer="A personal adviser, until 25.")
    [result] = search.search_site("adviser")
    assert "until 25" in result.snippet


def test_a_post_dated_later_is_found_once_its_time_comes():
    PostFactory(title="Care in the future", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert search.search_site("future") == []
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert [r.title for r in search.search_site("future")] == ["Care in the future"]


def test_a_source_whose_query_changes_with_more_than_the_clock_is_built_every_time(monkeypatch):
    recent = search.Source(
        queryset=lambda: FAQ.objects.filter(updated_at__gte=timezone.now() - datetime.timedelta(days=30)),
        vector=StoredVector,
        title_field="question",
        text_fields=("question", "answer"),
        snippet_field="answer",
        only=("question", "answer", "slug"),
        kind_label="Recent FAQ",
    )
    monkeypatch.setattr(search, "SOURCES", [recent])
    FAQFactory(question="Where is the archive?", answer="At the National Archives.")
    assert search_postgres.compiled_source(recent, 50) is None
    assert [r.title for r in search.search_site("archive")] == ["Where is the archive?"]
