from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site content"

    def ready(self):
        from outbox import registry

        from . import emails, services

        registry.register(emails.SIGN_UP, services.subscriber_email_send, label="Sign-up email for updates")
