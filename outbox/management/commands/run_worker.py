import signal

from django.core.management.base import BaseCommand

from outbox.worker import Worker


class Command(BaseCommand):
    help = (
        "Send the emails queued by the web servers (receipts, safeguarding alerts, sign-up emails). Runs until "
        "stopped (SIGTERM or Ctrl+C finish the email in hand first). Run one or more, on any machines that share "
        "the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send every email due now, then exit (for cron).")
        parser.add_argument("--poll", type=float, default=None, help="Seconds to wait when nothing is due.")
        parser.add_argument("--name", default=None, help="This worker's name in the logs and the admin.")

    def handle(self, *args, once=False, poll=None, name=None, **options):
        worker = Worker(name=name, poll_seconds=poll)
        if once:
            tried = worker.drain()
            self.stdout.write(f"Emails tried: {tried}.")
            return
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        worker.run_forever()
