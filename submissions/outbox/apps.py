from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "submissions.outbox"
    # The label (and so the table names and migrations) stay "outbox".
    label = "outbox"
    verbose_name = "Emails waiting to be sent"
