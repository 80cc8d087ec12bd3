"""A job names what it is about by kind and subject_id, not by a foreign key to a response.

The outbox then depends on no app that sends through it (receipts, alerts, sign-up emails). The rows are filled in
by submissions' migration 0008, and the foreign key goes in 0005.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_administrators_see_email_jobs"),
    ]

    operations = [
        migrations.AlterField(
            model_name="emailjob",
            name="kind",
            field=models.CharField(help_text="Which registered sender sends it (outbox.registry).", max_length=50),
        ),
        migrations.AddField(
            model_name="emailjob",
            name="subject_id",
            field=models.PositiveBigIntegerField(
                null=True, help_text="The id of the row it is about, in the kind's own table."
            ),
        ),
        migrations.AddField(
            model_name="emailjob",
            name="about",
            field=models.CharField(
                blank=True,
                default="",
                help_text="What it is about, for staff and the logs, e.g. a response's reference.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="emailjob",
            name="dedupe_key",
            field=models.CharField(
                blank=True,
                help_text="Jobs queued with the same key are one job, e.g. one receipt per response.",
                max_length=100,
                null=True,
                unique=True,
            ),
        ),
        migrations.AddIndex(
            model_name="emailjob",
            index=models.Index(fields=["kind", "subject_id"], name="emailjob_kind_subject_idx"),
        ),
        migrations.AddConstraint(
            model_name="emailjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("dedupe_key", ""), _negated=True), name="emailjob_dedupe_key_not_empty"
            ),
        ),
    ]
