"""A receipt's tries and last error are its outbox job's (0008 moved them there); receipt_sent_at stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0008_receipt_state_to_email_jobs"),
    ]

    operations = [
        migrations.RemoveField(model_name="submission", name="receipt_attempts"),
        migrations.RemoveField(model_name="submission", name="receipt_last_error"),
        migrations.RemoveField(model_name="submission", name="receipt_last_attempt_at"),
    ]
