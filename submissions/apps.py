from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Responses"

    def ready(self):
        from django.core import checks as django_checks

        from outbox import registry

        from . import checks, emails
        from .services import receipts, safeguarding

        django_checks.register(checks.safeguarding_leads_are_set_up, django_checks.Tags.security, deploy=True)
        registry.register(emails.RECEIPT, receipts.receipt_send, label="Receipt to a respondent")
        registry.register(
            emails.SAFEGUARDING_ALERT, safeguarding.safeguarding_alert_send, label="Safeguarding alert to the leads"
        )
