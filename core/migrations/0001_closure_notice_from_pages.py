"""ClosureNotice moves from pages to core: the model's state moves, its table (pages_closurenotice) stays.

Its content type is renamed too, so permissions granted on it (Content editors) and admin history carry over.
"""

from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="closurenotice").exists():
        ContentType.objects.filter(app_label="pages", model="closurenotice").update(app_label="core")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model="closurenotice").update(app_label="pages")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("pages", "0002_search_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClosureNotice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "message",
                            models.TextField(
                                help_text="Markdown. Shown at the top of every page while the notice is active."
                            ),
                        ),
                        (
                            "closes_at",
                            models.DateTimeField(
                                help_text=(
                                    "From this moment the site is in archive mode: it accepts nothing from the public."
                                ),
                                verbose_name="closing date",
                            ),
                        ),
                        ("archive_url", models.URLField(max_length=500, verbose_name="archive address")),
                        ("is_active", models.BooleanField(default=False, verbose_name="active")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "pages_closurenotice",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("is_active", True)),
                                fields=("is_active",),
                                name="one_active_closure_notice",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
