"""`manage.py restore ARCHIVE`: replace the database and stored files with a backup's (core/backup.py)."""

import os

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore, backups_storage


class Command(BaseCommand):
    help = (
        "Replace every row of the database and write back every stored file from a backup archive: a file path, or "
        "the name of an archive in the backups storage. The archive is checked whole before anything changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="Do not ask to confirm.")

    def handle(self, *args, archive, interactive=True, **options):
        if interactive:
            answer = input(f"This deletes everything in the database and replaces it with {archive}. Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            with self.open(archive) as source:
                manifest = backup_restore(archive=source)
        except BackupError as error:
            raise CommandError(f"Nothing restored: {error}") from error
        self.stdout.write(f"Restored {archive}: made {manifest['created_at']}, {len(manifest['files'])} files.")

    @staticmethod
    def open(archive):
        if os.path.exists(archive):
            return open(archive, "rb")
        storage = backups_storage()
        if storage.exists(archive):
            return storage.open(archive, "rb")
        raise CommandError(f"No such archive: {archive}")
