from django.conf import settings
from django.core.management.base import BaseCommand

from submissions.services import receipts


class Command(BaseCommand):
    help = (
        "Send the receipts that could not be sent when the response arrived. Skips any tried in the last "
        "RECEIPT_RETRY_AFTER_MINUTES and gives up after RECEIPT_MAX_ATTEMPTS tries. Run it every few minutes."
    )

    def handle(self, *args, **options):
        sent, failed, given_up = receipts.receipts_retry()
        self.stdout.write(f"Receipts sent: {sent}, failed again: {failed}, given up: {given_up}.")
        if given_up:
            self.stderr.write(
                f"{given_up} receipt(s) failed {settings.RECEIPT_MAX_ATTEMPTS} times and will not be tried again; "
                "staff can see them in the admin's list of responses."
            )
