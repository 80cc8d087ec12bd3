import importlib
import importlib.util

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from consultations.demo import Story
from pages import demo

# Other apps' demo modules, loaded after the pages when they exist: (module, takes the story).
OTHER_DEMO_MODULES = [("consultations.demo", True), ("submissions.demo", False), ("publications.demo", True)]


class Command(BaseCommand):
    help = (
        "Load the demo content (pages, FAQs, news, calls, responses, closure notice) as the review was on one day: "
        "by default with the Call for Ideas open today; with --archived after the review ended. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--archived",
            "--historical",
            action="store_true",
            dest="archived",
            help="Show the site after the review ended: the real dates (2021 to 2023), every call closed, the final "
            "report and the government's response published, and the closure notice up.",
        )
        parser.add_argument(
            "--closure-days",
            type=int,
            default=None,
            help="With --archived: the site closes this many days from today rather than on its real date "
            "(10 March 2023), so the notice says it will close and sign-ups still work.",
        )

    def handle(self, *args, archived=False, closure_days=None, **options):
        if closure_days is not None and not archived:
            raise CommandError("--closure-days goes with --archived: while the review runs, no closure is announced.")
        story = Story.on(timezone.localdate(), archived=archived)
        with transaction.atomic():
            demo.load(self.stdout, story, closure_days=closure_days)
            for name, takes_story in OTHER_DEMO_MODULES:
                # Skip an app whose demo module is not written yet; any error inside one still surfaces.
                if importlib.util.find_spec(name) is None:
                    continue
                module = importlib.import_module(name)
                if takes_story:
                    module.load(self.stdout, story)
                else:
                    module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
