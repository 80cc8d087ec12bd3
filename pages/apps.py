from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site content"

    def ready(self):
        from core import data_rights as core_data_rights
        from outbox import registry

        from . import data_rights, emails, services, updates

        registry.register(emails.SIGN_UP, services.subscriber_email_send, label="Sign-up email for updates")
        registry.register(emails.UPDATE_QUEUE, updates.update_queue_all, label="Queue an update's emails")
        registry.register(emails.UPDATE, updates.update_email_send, label="Update to a subscriber")
        registry.register(emails.UPDATE_TEST, updates.update_test_send, label="Test of an update")
        core_data_rights.register(
            "subscriber",
            count=data_rights.subscriber_count,
            erase=data_rights.subscriber_erase,
            export=data_rights.subscriber_export,
        )
