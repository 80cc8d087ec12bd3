from django.core.management.base import BaseCommand

from submissions.services.receipts import receipts_backfill


class Command(BaseCommand):
    help = (
        "Queue a receipt for every response with an email address that has none queued or sent (responses stored "
        "before the email worker existed, or added by hand). The worker (run_worker) sends them and retries "
        "failures; this command sends nothing itself. Safe to run again."
    )

    def handle(self, *args, **options):
        queued = receipts_backfill()
        self.stdout.write(f"Receipts queued: {queued}. The email worker (manage.py run_worker) sends them.")
