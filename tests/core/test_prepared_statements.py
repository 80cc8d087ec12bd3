"""Site search's query is prepared once per connection on PostgreSQL (core/db.py), and only where the settings allow:
behind PgBouncer in transaction mode a prepared statement may be missing on the next server connection."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.db import prepared_cursor
from pages.search import search_site
from tests.factories import FAQFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


@pytest.fixture(autouse=True)
def no_statement_prepared_yet():
    """Prepared statements outlive transactions: forget those earlier tests left on this connection."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # psycopg sees this and forgets its own list too


def prepared_statements_naming(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{table}%"])
        return cursor.fetchone()[0]


def test_a_search_is_prepared_once_and_runs_prepared_after_that():
    FAQFactory(question="Who is a care leaver?", answer="Someone who was in care.")

    first, again = search_site("leaver"), search_site("care leaver")

    assert prepared_statements_naming("pages_faq") == 1
    assert [r.title for r in first] == [r.title for r in again] == ["Who is a care leaver?"]


def test_the_prepared_query_is_in_the_query_log_with_its_sql():
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute("SELECT %s::int + 1", [41])
        cursor.execute("SELECT %s::int + 1", [1])
        assert cursor.fetchone() == (2,)
    assert [q["sql"] for q in queries] == ["SELECT $1::int + 1"] * 2


def test_nothing_is_prepared_where_the_connection_does_not_allow_it(monkeypatch):
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    FAQFactory(question="Who is a care leaver?", answer="Someone who was in care.")

    assert [r.title for r in search_site("leaver")] == ["Who is a care leaver?"]
    assert prepared_statements_naming("pages_faq") == 0
