from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Responses"

    def ready(self):
        from submissions.outbox import registry

        from . import emails
        from .services import receipts, safeguarding

        registry.register(emails.RECEIPT, receipts.receipt_send, label="Receipt to a respondent")
        registry.register(
            emails.SAFEGUARDING_ALERT, safeguarding.safeguarding_alert_send, label="Safeguarding alert to the leads"
        )
