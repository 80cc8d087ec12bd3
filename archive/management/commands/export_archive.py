from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.export import ArchiveError, export_site


class Command(BaseCommand):
    help = (
        "Write the public site as static files, rendered as the closed site, for the archive to keep: "
        "every public page, the feed, the sitemap and their static files, with relative links."
    )

    def add_arguments(self, parser):
        parser.add_argument("output_dir", type=Path, help="Folder to write (made if missing; must be empty).")
        parser.add_argument(
            "--zip",
            nargs="?",
            const=True,
            default=None,
            metavar="PATH",
            help="Also write one zip file: PATH, or OUTPUT_DIR.zip beside the folder. Its SHA-256 goes beside it.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace the folder if it holds an earlier export.",
        )

    def handle(self, *args, output_dir, zip=None, overwrite=False, **options):
        output_dir = output_dir.resolve()
        zip_path = None
        if zip is True:
            zip_path = output_dir.with_name(output_dir.name + ".zip")
        elif zip:
            zip_path = Path(zip)
        try:
            report = export_site(output_dir, zip_path=zip_path, overwrite=overwrite)
        except ArchiveError as error:
            raise CommandError(str(error)) from error

        for url, referrer in sorted(report.unlinked.items()):
            self.stdout.write(f"Not archived, link made plain text: {url} (first linked from {referrer})")
        for url, (status, referrer) in sorted(report.missing.items()):
            self.stderr.write(
                self.style.WARNING(f"Linked but not found ({status}): {url} (first linked from {referrer})")
            )
        self.stdout.write(
            f"Wrote {report.pages} pages, {report.other_files} other files (feed, sitemap, robots.txt) and "
            f"{report.static_files} static files: {report.total_bytes:,} bytes in {report.output_dir}"
        )
        self.stdout.write("Link check: every internal link resolves to a written file.")
        self.stdout.write("Privacy check: no respondent's or subscriber's email address, no CSRF token.")
        if report.zip_path:
            self.stdout.write(f"Zip: {report.zip_path} ({report.zip_bytes:,} bytes)")
            self.stdout.write(f"SHA-256: {report.zip_sha256}")
        phases = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in report.seconds.items())
        self.stdout.write(self.style.SUCCESS(f"Archive written in {sum(report.seconds.values()):.1f} s ({phases})."))
