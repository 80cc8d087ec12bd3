"""Prepared statements on PostgreSQL, for the few queries worth them (site search).

Django binds parameters on the client and PostgreSQL parses and plans every query afresh; for site search's query
(every source at once) that was most of its time: 1.2 ms a search, 0.6 ms prepared. A prepared statement lives on
its connection (persistent: DB_CONN_MAX_AGE), so it is on by default only there; PgBouncer in transaction mode keeps
prepared statements only with its max_prepared_statements set (DB_PREPARED_STATEMENTS, docs/configuration.md).
"""

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor


def prepared_cursor():
    """On PostgreSQL, a cursor whose queries it prepares, once per connection, where the database settings allow it
    (a prepare_threshold in its OPTIONS: review_site/settings/base.py); else a plain one."""
    # As connection.cursor() does before giving a cursor out.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        return connection.cursor()
    with connection.wrap_database_errors:
        cursor = _PreparingCursor(connection.connection)
    cursor.logged = connection.queries_logged
    # Wrapped as Django wraps its own (query logging, errors as django.db errors, execute_wrappers).
    return connection._prepare_cursor(cursor)


class _PreparingCursor(ServerBindingCursor):
    """Server-side binding (which prepared statements need), each query prepared on its first run."""

    logged = False

    def execute(self, query, params=None, *, prepare=True, **kwargs):
        result = super().execute(query, params, prepare=prepare, **kwargs)
        if self.logged:  # Django's query log reads the SQL here, which running a prepared statement leaves unset
            self._query = self._convert_query(query, params)
        return result
