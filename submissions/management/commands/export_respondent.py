import contextlib
import getpass
import json
import os
import tempfile
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
        try:
            write_private(path, text + "\n")
        except OSError as exc:
            raise CommandError(f"Could not write {path}: {exc}") from exc
        self.stderr.write(
            f"Wrote {len(data['responses'])} responses"
            f"{' and an email subscription' if data['subscriber'] else ''} to {path}. "
            "It holds personal data: send it securely and delete it afterwards."
        )


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` as a new file only its owner can read (0600), replacing any file already there.

    It holds someone's personal data. A new file rather than the old one rewritten: an existing file would keep its
    looser mode, its owner and anyone's open handle on it.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)  # mkstemp's own mode, said out loud: the rule does not hang on a library default
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
