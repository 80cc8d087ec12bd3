from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site content"

    def ready(self):
        from core import data_rights as core_data_rights
        from outbox import registry

        from . import data_rights, emails, services

        registry.register(emails.SIGN_UP, services.subscriber_email_send, label="Sign-up email for updates")
        core_data_rights.register(
            "subscriber",
            count=data_rights.subscriber_count,
            erase=data_rights.subscriber_erase,
            export=data_rights.subscriber_export,
        )
