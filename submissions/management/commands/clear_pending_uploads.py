from django.conf import settings
from django.core.management.base import BaseCommand

from submissions import uploads


class Command(BaseCommand):
    help = "Delete uploaded files from journeys never submitted (older than PENDING_UPLOAD_MAX_AGE_HOURS). Run daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help="Delete pending files older than this many hours (default: PENDING_UPLOAD_MAX_AGE_HOURS, 24).",
        )

    def handle(self, *args, hours=None, **options):
        hours = settings.PENDING_UPLOAD_MAX_AGE_HOURS if hours is None else hours
        deleted = uploads.clear_pending(max_age_hours=hours)
        self.stdout.write(f"Deleted {deleted} pending upload(s) older than {hours} hours.")
