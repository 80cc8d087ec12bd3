import signal

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import scheduler
from core.models import ScheduledJob, ScheduledJobRun


class Command(BaseCommand):
    help = (
        "Run the jobs in SCHEDULED_JOBS at their times (management commands, run in this process). Runs until stopped "
        "(SIGTERM or Ctrl+C finish the job in hand first). Run one or more, on any machines that share the database: "
        "each run happens once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run every job due now, then exit (for cron or a systemd timer)."
        )
        parser.add_argument(
            "--mark-due",
            action="append",
            default=[],
            metavar="JOB",
            help="Make JOB due now (as 'run now' in the admin does); with --once, run it straight away. Repeatable.",
        )
        parser.add_argument(
            "--list", dest="show_list", action="store_true", help="Show each job, its next run and its last run."
        )
        parser.add_argument("--poll", type=float, default=None, help="Seconds between looks when nothing is due.")
        parser.add_argument("--name", default=None, help="This scheduler's name in the logs and the admin.")

    def handle(self, *args, once=False, mark_due=(), show_list=False, poll=None, name=None, **options):
        try:
            jobs = scheduler.configured_jobs()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if unknown := set(mark_due) - set(jobs):
            raise CommandError(f"No such job in SCHEDULED_JOBS: {', '.join(sorted(unknown))}.")
        runner = scheduler.Scheduler(name=name, poll_seconds=poll)
        if mark_due:
            scheduler.jobs_sync(jobs=jobs)
            marked = scheduler.jobs_mark_due(names=mark_due)
            self.stdout.write(f"Marked due now: {marked} of {len(mark_due)} (a job running now is left alone).")
        if show_list:
            scheduler.jobs_sync(jobs=jobs)
            self.list_jobs(jobs)
        if once:
            self.run_once(runner)
        elif not (show_list or mark_due):
            signal.signal(signal.SIGTERM, runner.stop)
            signal.signal(signal.SIGINT, runner.stop)
            runner.run_forever()

    def run_once(self, runner):
        runs = runner.run_due()
        failed = [run.job.name for run in runs if run.outcome == ScheduledJobRun.Outcome.FAILED]
        done = ", ".join(f"{run.job.name} {run.outcome}" for run in runs)
        self.stdout.write(f"Jobs run: {len(runs)}" + (f": {done}." if runs else "."))
        if failed:
            # A non-zero exit, so cron or a systemd timer reports it.
            raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}. See the admin for their output.")

    def list_jobs(self, jobs):
        rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=list(jobs))}
        last_runs = {}
        for run in ScheduledJobRun.objects.filter(job__name__in=list(jobs)).select_related("job").order_by("number"):
            last_runs[run.job.name] = run
        now = timezone.now()
        for name, job in jobs.items():
            row, last = rows[name], last_runs.get(name)
            if row.claimed_until and row.claimed_until > now:
                state = f"running on {row.claimed_by}"
            else:
                state = f"next {timezone.localtime(row.next_run_at):%Y-%m-%d %H:%M %Z}"
            if last is None:
                last_text = "never run"
            else:
                last_text = f"last {last.outcome} {timezone.localtime(last.started_at):%Y-%m-%d %H:%M}"
            self.stdout.write(f"{name}: {job.command_line} | {job.schedule} | {state} | {last_text}")
