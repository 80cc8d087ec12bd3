"""FAQs, posts and pages keep their search vector in a column a trigger fills (core/search_vector.py), on
PostgreSQL only: search no longer parses every matching row's text again to check and rank it. Each GIN index keeps
its name (pages_*_search_gin) and now covers the column; the weights are 0002's."""

from django.db import migrations

from core.search_vector import add_stored_vector, remove_stored_vector

VECTORS = {
    "FAQ": ("pages_faq_search_gin", [("question", "A"), ("answer", "B")]),
    "Post": ("pages_post_search_gin", [("title", "A"), ("summary", "B"), ("body", "C")]),
    "Page": ("pages_page_search_gin", [("title", "A"), ("summary", "B"), ("body", "C")]),
}


def add(apps, schema_editor):
    for model_name, (index, weights) in VECTORS.items():
        add_stored_vector(schema_editor, apps.get_model("pages", model_name), weights, index=index)


def remove(apps, schema_editor):
    for model_name, (index, weights) in VECTORS.items():
        remove_stored_vector(schema_editor, apps.get_model("pages", model_name), weights, index=index)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0008_delivery_handover"),
    ]

    operations = [
        migrations.RunPython(add, remove),
    ]
