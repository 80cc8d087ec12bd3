"""One receipt per response is now the dedupe_key's rule; the foreign key may be empty until it goes in 0005."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0003_emailjob_subject"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="emailjob", name="one_receipt_job"),
        migrations.AlterField(
            model_name="emailjob",
            name="submission",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="email_jobs",
                to="submissions.submission",
                verbose_name="response",
            ),
        ),
    ]
