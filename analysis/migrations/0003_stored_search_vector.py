"""What we heard pages keep their search vector in a column a trigger fills (core/search_vector.py), on PostgreSQL
only, as every other searched model does: search no longer parses each page's text three times on every search
(to find, rank and title-rank it), and its query, one for every source, is a third shorter. There was no index
before; the weights are those analysis/search.py searched with."""

from django.db import migrations

from core.search_vector import add_stored_vector, remove_stored_vector

INDEX = "analysis_whatweheard_search_gin"
WEIGHTS = [("title", "A"), ("summary", "B"), ("body", "C")]


def add(apps, schema_editor):
    add_stored_vector(schema_editor, apps.get_model("analysis", "WhatWeHeard"), WEIGHTS, index=INDEX)


def remove(apps, schema_editor):
    model = apps.get_model("analysis", "WhatWeHeard")
    remove_stored_vector(schema_editor, model, WEIGHTS, index=INDEX, restore_index=False)


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0002_analysts"),
    ]

    operations = [
        migrations.RunPython(add, remove),
    ]
