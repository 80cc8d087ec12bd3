"""Publications keep their search vector in a column a trigger fills (core/search_vector.py), on PostgreSQL only:
search no longer parses every matching publication's text again to check and rank it. The GIN index keeps its name
and now covers the column; the weights are 0002's (the files' titles as the summary)."""

from django.db import migrations

from core.search_vector import add_stored_vector, remove_stored_vector

INDEX = "publications_publication_search_gin"
WEIGHTS = [("title", "A"), ("summary", "B"), ("attachment_titles", "B"), ("body", "C")]


def add(apps, schema_editor):
    add_stored_vector(schema_editor, apps.get_model("publications", "Publication"), WEIGHTS, index=INDEX)


def remove(apps, schema_editor):
    remove_stored_vector(schema_editor, apps.get_model("publications", "Publication"), WEIGHTS, index=INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0004_help_text_examples"),
    ]

    operations = [
        migrations.RunPython(add, remove),
    ]
