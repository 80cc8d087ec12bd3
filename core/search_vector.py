"""Full-text vectors stored beside the rows they describe, on PostgreSQL: a tsvector column, search_vector, that a
trigger fills on every insert and on every update of the searched fields, whatever does the writing (a save, the
admin, bulk_create, QuerySet.update, loaddata, SQL by hand), with a GIN index on it.

Search reads the column (StoredVector) instead of an expression index: with the expression, PostgreSQL parsed every
matching row's text again to recheck and rank it, most of a search's time. The column is not a model field: Django
never reads or writes it, so forms, the content history and the SQLite fallback are as they were; on SQLite the
migrations calling these functions do nothing.

Migrations call add_stored_vector and remove_stored_vector: change them only in ways old migrations can still run.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Expression

COLUMN = "search_vector"
CONFIG = "english"


class StoredVector(Expression):
    """The searched row's stored vector: the search_vector column of the query's own table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(COLUMN)}", []


def add_stored_vector(schema_editor, model, weights, *, index):
    """The column, its trigger, every existing row's vector, and a GIN index named `index` on the column (replacing
    an expression index of that name). weights: [(field name, "A" to "D")] in order, as SearchVector weights them."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote, table = schema_editor.quote_name, model._meta.db_table
    columns = [model._meta.get_field(name).column for name, _ in weights]
    assert all(weight in "ABCD" and len(weight) == 1 for _, weight in weights), weights
    # What SearchVector(field, weight=..., config=...) computes, field after field.
    vector = " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(NEW.{quote(column)}::text, '')), '{weight}')"
        for column, (_, weight) in zip(columns, weights, strict=True)
    )
    function = quote(f"{table}_{COLUMN}")
    schema_editor.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {COLUMN} tsvector")
    schema_editor.execute(
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN NEW.{COLUMN} := {vector}; RETURN NEW; END $$"
    )
    # An update that leaves the searched fields alone (a status, a date) keeps the vector as it is.
    schema_editor.execute(
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {', '.join(quote(c) for c in columns)} "
        f"ON {quote(table)} FOR EACH ROW EXECUTE FUNCTION {function}()"
    )
    schema_editor.execute(f"UPDATE {quote(table)} SET {quote(columns[0])} = {quote(columns[0])}")  # the trigger fills
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote(index)}")
    schema_editor.execute(f"CREATE INDEX {quote(index)} ON {quote(table)} USING gin ({COLUMN})")


def remove_stored_vector(schema_editor, model, weights, *, index, restore_index=True):
    """Back to the expression index named `index` over the same weighted vector (or to no index at all)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote, table = schema_editor.quote_name, model._meta.db_table
    function = quote(f"{table}_{COLUMN}")
    schema_editor.execute(f"DROP TRIGGER {function} ON {quote(table)}")
    schema_editor.execute(f"DROP FUNCTION {function}()")
    schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {COLUMN}")  # and its index
    if not restore_index:
        return
    vector = None
    for name, weight in weights:
        part = SearchVector(name, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    schema_editor.add_index(model, GinIndex(vector, name=index))
