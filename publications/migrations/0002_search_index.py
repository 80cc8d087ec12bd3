"""A GIN index for searching publications, on PostgreSQL only (SQLite has no full-text index of this kind).

The expression is publications/search.py's publication_vector() (title A, summary B, files' titles B, body C): the
planner uses an expression index only when the query's expression is the same. If that function changes, add a
migration that rebuilds this index the same way (tests/pages/test_search.py fails with EXPLAIN if they drift apart).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"
NAME = "publications_publication_search_gin"


def index():
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("attachment_titles", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )
    return GinIndex(vector, name=NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("publications", "Publication"), index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("publications", "Publication"), index())


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
