"""Every job names its subject (submissions' migration 0008 filled them in): the foreign key goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0004_emailjob_submission_optional"),
    ]

    operations = [
        migrations.RemoveField(model_name="emailjob", name="submission"),
        migrations.AlterField(
            model_name="emailjob",
            name="subject_id",
            field=models.PositiveBigIntegerField(help_text="The id of the row it is about, in the kind's own table."),
        ),
    ]
