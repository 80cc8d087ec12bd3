from django.core.management.base import BaseCommand

from pages.services import subscribers_clear_unconfirmed


class Command(BaseCommand):
    help = "Delete sign-ups for email updates that nobody confirmed before their link expired (run hourly)."

    def handle(self, *args, **options):
        deleted = subscribers_clear_unconfirmed()
        self.stdout.write(f"{deleted} unconfirmed sign-up{'s' if deleted != 1 else ''} deleted")
