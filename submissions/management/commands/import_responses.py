from django.core.management.base import BaseCommand, CommandError

from consultations.models import Call
from submissions.models import Submission
from submissions.services.imports import IMPORT_CHANNELS, ImportRefused, responses_import


class Command(BaseCommand):
    help = (
        "Import responses that came by email, by post or at an event, from a CSV laid out as the responses export "
        "writes it (UTF-8; one column per question; Idea N title / Idea N pairs). They go to the moderation queue "
        "and get a reference but no receipt. Any invalid row refuses the whole file, and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("call_slug", help="The call the responses answer, by its slug (as in /calls/<slug>/).")
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the whole file; store nothing.")
        parser.add_argument(
            "--channel",
            choices=IMPORT_CHANNELS,
            default=Submission.Channel.OTHER,
            help="How these responses reached the review (default: other).",
        )

    def handle(self, *args, call_slug, file, dry_run, channel, **options):
        call = Call.objects.filter(slug=call_slug).first()
        if call is None:
            slugs = ", ".join(Call.objects.order_by("opens_at").values_list("slug", flat=True))
            raise CommandError(f"No call has the slug {call_slug!r}. The calls are: {slugs or 'none yet'}.")
        try:
            with open(file, "rb") as binary:
                result = responses_import(call=call, binary=binary, channel=channel, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from exc
        except ImportRefused as exc:
            raise CommandError("Nothing was imported.\n" + "\n".join(exc.messages)) from exc
        counts = f"{result.rows:,} responses ({result.answers:,} answers, {result.ideas:,} ideas)"
        if dry_run:
            self.stdout.write(f"The file is valid: it would import {counts} to {call.title}. Dry run: nothing stored.")
            return
        examples = ", ".join(result.references)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts} to {call.title}, by {channel}; they wait for moderation. References: {examples}"
                + (", …" if result.rows > len(result.references) else "")
            )
        )
