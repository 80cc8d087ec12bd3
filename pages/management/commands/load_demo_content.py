import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from pages import demo

# Other apps' demo modules, loaded after the pages when they exist: (module, takes the --historical flag).
OTHER_DEMO_MODULES = [("consultations.demo", True), ("submissions.demo", False)]


class Command(BaseCommand):
    help = "Load the demo content (pages, FAQs, news, closure notice, calls, responses). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--historical",
            action="store_true",
            help="Use the calls' real 2021 dates instead of dates around today.",
        )
        parser.add_argument(
            "--closure-days",
            type=int,
            default=demo.CLOSURE_DAYS,
            help="Days from now until the site closes, when a closure notice is created (default: %(default)s).",
        )

    def handle(self, *args, historical=False, closure_days=demo.CLOSURE_DAYS, **options):
        with transaction.atomic():
            demo.load(self.stdout, closure_days=closure_days)
            for name, takes_historical in OTHER_DEMO_MODULES:
                # Skip an app whose demo module is not written yet; any error inside one still surfaces.
                if importlib.util.find_spec(name) is None:
                    continue
                module = importlib.import_module(name)
                if takes_historical:
                    module.load(self.stdout, historical=historical)
                else:
                    module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
