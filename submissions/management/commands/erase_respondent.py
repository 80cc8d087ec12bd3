import getpass

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db.models import ProtectedError

from submissions.services.data_rights import respondent_erase


class Command(BaseCommand):
    help = (
        "Erase one person's personal data (name, email address, organisation name, attachments and any email "
        "subscription) from every response sent from that address. Answers stay unless --delete-responses is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's email address (any case).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be erased; change nothing.")
        parser.add_argument(
            "--delete-responses", action="store_true", help="Delete the responses themselves, answers included."
        )
        parser.add_argument("--actor", default="", help="Who is running this, for the audit log (default: OS user).")

    def handle(self, *args, email, dry_run, delete_responses, actor, **options):
        try:
            validate_email(email.strip())
        except Exception as exc:
            raise CommandError(f"{email!r} is not an email address.") from exc
        try:
            result = respondent_erase(
                email=email,
                actor=actor or getpass.getuser(),
                dry_run=dry_run,
                delete_responses=delete_responses,
            )
        except ProtectedError as exc:
            raise CommandError(
                "Some of these responses cannot be deleted because other records point to them. "
                "Run again without --delete-responses to erase the personal data and keep the answers."
            ) from exc
        if dry_run:
            done = "Would delete" if delete_responses else "Would erase personal data from"
            self.stdout.write(
                f"{done} {result.responses} responses; would delete {result.attachments} attachments "
                f"(files and records) and {result.subscribers} email subscriptions. Dry run: nothing was changed."
            )
            return
        done = "Deleted" if delete_responses else "Erased personal data from"
        kept = "" if delete_responses else " Their answers and ideas are kept, without the name or contact details."
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} {result.responses} responses; deleted {result.attachments} attachments (files and records) "
                f"and {result.subscribers} email subscriptions.{kept}"
            )
        )
