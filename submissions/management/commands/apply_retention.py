import getpass

from django.core.management.base import BaseCommand
from django.utils import timezone

from submissions.services.data_rights import retention_apply


class Command(BaseCommand):
    help = (
        "Remove names, email addresses, organisation names and attachments from responses to calls that closed "
        "more than their retention period ago. Answers and ideas are kept. Calls without a retention period are "
        "skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; change nothing.")
        parser.add_argument("--actor", default="", help="Who is running this, for the audit log (default: OS user).")

    def handle(self, *args, dry_run, actor, **options):
        result = retention_apply(now=timezone.now(), dry_run=dry_run, actor=actor or getpass.getuser())
        remove, delete = ("would remove", "would delete") if dry_run else ("removed", "deleted")
        for call, responses, attachments in result.calls:
            self.stdout.write(
                f"{call.title}: {remove} personal data from {responses} responses; "
                f"{delete} {attachments} attachments (files and records)"
            )
        if not result.calls:
            self.stdout.write("No call is past its retention period.")
        summary = (
            f"{remove.capitalize()} names, email addresses and organisation names from {result.responses} responses; "
            f"{delete} {result.attachments} attachments, files and records. Answers and ideas are kept."
        )
        if dry_run:
            self.stdout.write(summary + " Dry run: nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(summary))
