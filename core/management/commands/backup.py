"""`manage.py backup`: the database and every stored file in one archive (core/backup.py, docs/operations.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backup import backup_create, backup_write


class Command(BaseCommand):
    help = "Write the database and every stored file into one zip archive, in the backups storage or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write the archive to this file instead of the backups storage.")
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="Keep the newest this many archives in the backups storage (default BACKUP_KEEP; 0 keeps all).",
        )

    def handle(self, *args, output=None, keep=None, **options):
        if output:
            with open(output, "wb") as archive:
                manifest = backup_write(archive=archive)
            where = output
        else:
            where = backup_create(keep=keep)
            manifest = None
        counted = f" ({len(manifest['files'])} files)" if manifest else ""
        self.stdout.write(f"Backup written: {where}{counted}")
