"""GIN indexes for site search, on PostgreSQL only (SQLite has no full-text index of this kind).

Each index expression is the weighted vector pages/search.py builds in faq_vector() and
titled_vector(): the planner uses an expression index only when the query's expression is the same.
If you change one of those functions, add a migration that rebuilds its index the same way
(tests/pages/test_search.py fails with EXPLAIN if they drift apart).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"


def weighted(*fields_and_weights):
    vector = None
    for field, weight in fields_and_weights:
        part = SearchVector(field, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


INDEXES = {
    "FAQ": ("pages_faq_search_gin", [("question", "A"), ("answer", "B")]),
    "Post": ("pages_post_search_gin", [("title", "A"), ("summary", "B"), ("body", "C")]),
    "Page": ("pages_page_search_gin", [("title", "A"), ("summary", "B"), ("body", "C")]),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("pages", model_name)
        schema_editor.add_index(model, GinIndex(weighted(*fields), name=name))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("pages", model_name)
        schema_editor.remove_index(model, GinIndex(weighted(*fields), name=name))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
