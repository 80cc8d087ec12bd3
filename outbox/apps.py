from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every email the site sends, queued in the transaction of what it is about and sent by `run_worker`.

    It imports no other app: each app registers a sender for its kinds of email in its AppConfig.ready().
    """

    name = "outbox"
    verbose_name = "Emails waiting to be sent"
