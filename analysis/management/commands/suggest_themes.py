import json

from django.core.management.base import BaseCommand, CommandError

from analysis.clustering import MAX_THEMES, NotEnoughText
from analysis.services.suggestions import themes_suggest
from consultations.models import Call


class Command(BaseCommand):
    help = (
        "Suggest themes for a call: group its ideas and free-text answers by the words they share (TF-IDF and "
        "k-means, on this machine; nothing is downloaded or sent anywhere). The same data gives the same themes. "
        "To keep them for staff to accept in the admin, start the run there instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("call_slug", help="The call, by its slug (as in /calls/<slug>/).")
        parser.add_argument(
            "--count", type=int, default=None, help=f"How many themes (2 to {MAX_THEMES}); default: the data decides."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print only {"themes": [{"label", "top_words", "idea_ids", "answer_ids"}]} to stdout.',
        )

    def handle(self, *args, call_slug, count, json: bool, **options):
        call = Call.objects.filter(slug=call_slug).first()
        if call is None:
            raise CommandError(f"No call has the slug {call_slug!r}.")
        as_json = json
        try:
            themes, items = themes_suggest(call=call, count=count)
        except NotEnoughText as exc:
            if as_json:
                # stdout stays the promised JSON; the reason goes to stderr.
                self.stdout.write(_dumps({"themes": []}))
                self.stderr.write(str(exc))
                return
            self.stdout.write(str(exc))
            return
        if as_json:
            self.stdout.write(_dumps({"themes": [theme.as_json() for theme in themes]}))
            return
        self.stdout.write(f"{len(themes)} suggested themes from {items:,} ideas and answers in {call.title}:\n")
        for number, theme in enumerate(themes, start=1):
            self.stdout.write(
                f"{number:>2}. {theme.label} ({theme.size:,} items: {len(theme.idea_ids):,} ideas, "
                f"{len(theme.answer_ids):,} answers)\n    top words: {', '.join(theme.top_words)}"
            )


def _dumps(data):
    return json.dumps(data, ensure_ascii=False)
