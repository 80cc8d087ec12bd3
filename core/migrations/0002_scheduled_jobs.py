"""Scheduled jobs (core/scheduler.py): a row per job with its next run and its claim, and a row per run.

Administrators have every permission (the roles migration grants what exists when it runs): these models' too, when
that group exists already; if it does not yet, the roles migration grants them itself when it makes the group.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant_to_administrators(apps, schema_editor):
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators = Group.objects.filter(name="Administrators").first()
    if administrators is not None:
        administrators.permissions.add(
            *Permission.objects.filter(content_type__app_label="core", content_type__model__startswith="scheduledjob")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_closure_notice_from_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScheduledJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True)),
                ("command", models.CharField(help_text="The management command and its arguments.", max_length=500)),
                ("schedule", models.CharField(max_length=200)),
                ("next_run_at", models.DateTimeField(verbose_name="next run")),
                ("claimed_by", models.CharField(blank=True, max_length=100, verbose_name="running on")),
                ("claimed_until", models.DateTimeField(blank=True, null=True, verbose_name="claimed until")),
                ("runs", models.PositiveIntegerField(default=0)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="ScheduledJobRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("due_at", models.DateTimeField(verbose_name="due")),
                ("scheduler", models.CharField(max_length=100)),
                ("started_at", models.DateTimeField(verbose_name="started")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("running", "Running"),
                            ("succeeded", "Succeeded"),
                            ("failed", "Failed"),
                            ("lost", "Lost (its scheduler stopped; run again)"),
                        ],
                        default="running",
                        max_length=20,
                    ),
                ),
                (
                    "output",
                    models.TextField(
                        blank=True, help_text="The end of what the command printed, and the error if it failed."
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="run_history", to="core.scheduledjob"
                    ),
                ),
            ],
            options={
                "ordering": ["-started_at", "-id"],
                "constraints": [models.UniqueConstraint(fields=("job", "number"), name="one_run_per_claim")],
            },
        ),
        migrations.RunPython(grant_to_administrators, migrations.RunPython.noop),
    ]
