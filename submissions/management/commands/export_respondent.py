import getpass
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from submissions.services.data_rights import respondent_export


class Command(BaseCommand):
    help = (
        "Write everything held about one email address (responses, answers, ideas, attachment names and any "
        "email subscription) as JSON, for a subject access request."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's email address (any case).")
        parser.add_argument("--output", help="The file to write; without it, the JSON goes to standard output.")
        parser.add_argument("--actor", default="", help="Who is running this, for the audit log (default: OS user).")

    def handle(self, *args, email, output, actor, **options):
        try:
            validate_email(email.strip())
        except Exception as exc:
            raise CommandError(f"{email!r} is not an email address.") from exc
        data = respondent_export(email=email, actor=actor or getpass.getuser())
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if not output:
            self.stdout.write(text)
            return
        path = Path(output)
        # Only the person running the command may read the file: it holds someone's personal data.
        path.touch(mode=0o600)
        path.write_text(text + "\n", encoding="utf-8")
        self.stderr.write(
            f"Wrote {len(data['responses'])} responses"
            f"{' and an email subscription' if data['subscriber'] else ''} to {path}. "
            "It holds personal data: send it securely and delete it afterwards."
        )
