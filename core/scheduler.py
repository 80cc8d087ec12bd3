"""Scheduled jobs: management commands run at set times by `manage.py run_scheduler`, each run exactly once however
many schedulers are running, on however many machines.

Jobs are declared in settings.SCHEDULED_JOBS, by management command NAME (core imports no other app):

    SCHEDULED_JOBS = {
        "clear_pending_uploads": {"command": "clear_pending_uploads", "every": "1h"},
        "apply_retention": {"command": "apply_retention", "args": ["--actor", "scheduler"], "at": "03:15"},
    }

"every": "<n>m" or "<n>h", counted from midnight UTC ("15m" runs at :00, :15, :30 and :45; "1h" on the hour).
"at": a time of day "HH:MM" in TIME_ZONE, or a list of them; a time the clocks skip in spring runs an hour later.

Each job has a row (ScheduledJob) holding its next run. A scheduler runs a job only after claiming that row: on
PostgreSQL the row is locked with SELECT ... FOR UPDATE SKIP LOCKED, so another scheduler skips it rather than waits;
on every database the claim is a conditional UPDATE that counts only if nobody claimed the row since it was read. The
claim is committed before the command starts and lasts SCHEDULER_LEASE_SECONDS, renewed while the command runs: if the
scheduler dies, another runs the job again once the claim has run out. When the run ends (well or not) the row gets
the job's next time and the run (ScheduledJobRun) its outcome and the end of its output.
"""

import datetime
import io
import logging
import math
import os
import re
import shlex
import socket
import threading
import traceback
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import ScheduledJob, ScheduledJobRun

logger = logging.getLogger(__name__)

# How much of a run's output (stdout, stderr, the traceback) is kept: the end, where the summary and errors are.
OUTPUT_TAIL = 4000
EVERY = re.compile(r"^([1-9][0-9]*)([mh])$")
AT = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
KEYS = {"command", "args", "every", "at"}


@dataclass(frozen=True)
class Job:
    """One entry of SCHEDULED_JOBS, checked."""

    name: str
    command: str
    args: tuple[str, ...] = ()
    every: datetime.timedelta | None = None
    at: tuple[datetime.time, ...] = ()

    @property
    def command_line(self):
        return shlex.join([self.command, *self.args])

    @property
    def schedule(self):
        if self.every is not None:
            minutes = int(self.every.total_seconds() // 60)
            return f"every {minutes // 60}h" if minutes % 60 == 0 else f"every {minutes}m"
        return "daily at " + ", ".join(f"{time:%H:%M}" for time in self.at) + f" ({settings.TIME_ZONE})"

    def next_after(self, moment):
        """The job's first time strictly after `moment` (aware), in UTC."""
        if self.every is not None:
            seconds = self.every.total_seconds()
            slot = (math.floor(moment.timestamp() / seconds) + 1) * seconds
            return datetime.datetime.fromtimestamp(slot, tz=datetime.UTC)
        zone = timezone.get_default_timezone()
        today = moment.astimezone(zone).date()
        for days in range(3):
            for time in self.at:
                candidate = datetime.datetime.combine(today + datetime.timedelta(days=days), time, tzinfo=zone)
                # Converted first: two datetimes in one zone compare by wall clock, which repeats in autumn.
                candidate = candidate.astimezone(datetime.UTC)
                if candidate > moment:
                    return candidate
        raise AssertionError("a time of day comes round within two days")  # pragma: no cover


def parse_jobs(config):
    """{name: Job} from a SCHEDULED_JOBS value; ImproperlyConfigured says what is wrong with an entry."""
    if not isinstance(config, dict):
        raise ImproperlyConfigured("SCHEDULED_JOBS must be a dict of job name to job.")
    commands = get_commands()
    jobs = {}
    for name, entry in config.items():
        where = f"SCHEDULED_JOBS[{name!r}]"
        if not isinstance(entry, dict) or not isinstance(name, str) or not 0 < len(name) <= 100:
            raise ImproperlyConfigured(f"{where} must be a dict, under a name of 1 to 100 characters.")
        if unknown := set(entry) - KEYS:
            raise ImproperlyConfigured(f"{where} has unknown keys {sorted(unknown)}; it may have {sorted(KEYS)}.")
        command = entry.get("command")
        if command not in commands:
            raise ImproperlyConfigured(f"{where}: {command!r} is not a management command of this site.")
        args = entry.get("args", [])
        if not isinstance(args, list | tuple) or not all(isinstance(arg, str) for arg in args):
            raise ImproperlyConfigured(f"{where}: args must be a list of strings, as typed after the command.")
        if ("every" in entry) == ("at" in entry):
            raise ImproperlyConfigured(f"{where} needs either 'every' (like '15m' or '1h') or 'at' (like '03:15').")
        every, at = None, ()
        if "every" in entry:
            match = EVERY.match(str(entry["every"]))
            if not match:
                raise ImproperlyConfigured(f"{where}: every must be minutes or hours, like '15m' or '1h'.")
            every = datetime.timedelta(**{"minutes" if match[2] == "m" else "hours": int(match[1])})
        else:
            times = [entry["at"]] if isinstance(entry["at"], str) else entry["at"]
            if not isinstance(times, list | tuple) or not times or not all(AT.match(str(time)) for time in times):
                raise ImproperlyConfigured(f"{where}: at must be a time of day 'HH:MM' (24-hour clock), or a list.")
            at = tuple(sorted({datetime.time.fromisoformat(time) for time in times}))
        jobs[name] = Job(name=name, command=command, args=tuple(args), every=every, at=at)
    return jobs


def configured_jobs():
    return parse_jobs(getattr(settings, "SCHEDULED_JOBS", {}))


def scheduler_name():
    """Unique per scheduler: which machine and process claimed a run, in the admin and the logs."""
    return f"scheduler:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:100]


def lease():
    return datetime.timedelta(seconds=settings.SCHEDULER_LEASE_SECONDS)


def claimable(now):
    """Not claimed, or claimed by a scheduler that stopped renewing its claim."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)


def jobs_sync(*, jobs=None, now=None):
    """Give every configured job its row; a job whose schedule changed gets its next time by the new schedule."""
    jobs = configured_jobs() if jobs is None else jobs
    now = now or timezone.now()
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=list(jobs))}
    new = [
        ScheduledJob(name=job.name, command=job.command_line, schedule=job.schedule, next_run_at=job.next_after(now))
        for job in jobs.values()
        if job.name not in rows
    ]
    if new:
        # Another scheduler may be adding them at this moment too: the first one's rows stand.
        ScheduledJob.objects.bulk_create(new, ignore_conflicts=True)
    for name, row in rows.items():
        job = jobs[name]
        if (row.command, row.schedule) == (job.command_line, job.schedule):
            continue
        changes = {"command": job.command_line, "schedule": job.schedule}
        if row.schedule != job.schedule:
            changes["next_run_at"] = job.next_after(now)
        # Only if no other scheduler has just done the same.
        ScheduledJob.objects.filter(pk=row.pk, command=row.command, schedule=row.schedule).update(**changes)


def _take(job, *, scheduler, now):
    """Claim the row `job` was read from, if it is still as read: due, unclaimed (or its claim ran out), and claimed
    no more times since. One UPDATE, so of two schedulers that read the same row only the first to write gets it."""
    return bool(
        ScheduledJob.objects.filter(pk=job.pk, runs=job.runs, next_run_at=job.next_run_at)
        .filter(claimable(now))
        .update(runs=F("runs") + 1, claimed_by=scheduler, claimed_until=now + lease())
    )


@dataclass
class Claim:
    job: ScheduledJob
    run: ScheduledJobRun

    @property
    def number(self):
        return self.run.number


def job_claim(*, scheduler, names, now=None):
    """Claim the job among `names` due longest ago for `scheduler`, recording its run as started; None if none is due.

    Committed before the command runs, so no lock is held while it runs: the claim's lease protects it instead.
    """
    now = now or timezone.now()
    due = (
        ScheduledJob.objects.filter(name__in=list(names), next_run_at__lte=now)
        .filter(claimable(now))
        .order_by("next_run_at", "name")
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            # Rows another scheduler is claiming at this moment are skipped, not waited for.
            candidates = list(due.select_for_update(skip_locked=True)[:1])
        else:
            candidates = list(due)
        for job in candidates:
            if _take(job, scheduler=scheduler, now=now):
                break
        else:
            return None
        if job.claimed_by:
            logger.warning("Scheduled job %s: the claim of %s ran out; running it again", job.name, job.claimed_by)
            ScheduledJobRun.objects.filter(job=job, outcome=ScheduledJobRun.Outcome.RUNNING).update(
                outcome=ScheduledJobRun.Outcome.LOST, finished_at=now
            )
        job.runs, job.claimed_by, job.claimed_until = job.runs + 1, scheduler, now + lease()
        (run,) = ScheduledJobRun.objects.bulk_create(
            [ScheduledJobRun(job=job, number=job.runs, due_at=job.next_run_at, scheduler=scheduler, started_at=now)]
        )
    return Claim(job=job, run=run)


def _still_ours(claim, scheduler):
    return ScheduledJob.objects.filter(pk=claim.job.pk, claimed_by=scheduler, runs=claim.number)


class _Renewal(threading.Thread):
    """Renews a claim every third of the lease while its command runs, so only a stopped scheduler loses one."""

    def __init__(self, claim, scheduler):
        super().__init__(name=f"renew-{claim.job.name}", daemon=True)
        self.claim, self.scheduler = claim, scheduler
        self.done = threading.Event()

    def run(self):
        try:
            while not self.done.wait(settings.SCHEDULER_LEASE_SECONDS / 3):
                try:
                    _still_ours(self.claim, self.scheduler).update(claimed_until=timezone.now() + lease())
                except Exception:  # noqa: BLE001 - tried again at the next renewal; the lease covers a blip
                    logger.warning("Scheduled job %s: could not renew the claim", self.claim.job.name, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.done.set()
        self.join()


def job_run(*, claim, scheduler, job=None):
    """Run a claimed job's command in this process and record how it went; never raises for the command's failure."""
    job = job or configured_jobs()[claim.job.name]
    output = io.StringIO()
    with _Renewal(claim, scheduler):
        try:
            call_command(job.command, *job.args, stdout=output, stderr=output)
            outcome = ScheduledJobRun.Outcome.SUCCEEDED
        except (Exception, SystemExit):  # noqa: BLE001 - recorded; a failing job never stops the scheduler
            output.write(traceback.format_exc())
            outcome = ScheduledJobRun.Outcome.FAILED
    return job_finish(claim=claim, scheduler=scheduler, job=job, outcome=outcome, output=output.getvalue())


def job_finish(*, claim, scheduler, job, outcome, output, now=None):
    """Record the run's outcome and give the job its next time (after a failure too: it runs again at its next
    time, not at once). A scheduler whose claim was taken over records its run but leaves the job alone."""
    now = now or timezone.now()
    tail = output[-OUTPUT_TAIL:]
    next_run_at = job.next_after(now)
    still_ours = _still_ours(claim, scheduler).update(next_run_at=next_run_at, claimed_by="", claimed_until=None)
    run = ScheduledJobRun.objects.filter(pk=claim.run.pk)
    if still_ours:
        run.update(outcome=outcome, finished_at=now, output=tail)
    else:
        # Another scheduler took the job over, and marked this run lost: keep what it printed for the admin.
        run.update(finished_at=now, output=tail)
        logger.warning("Scheduled job %s: %s lost its claim before the run ended", job.name, scheduler)
    claim.run.refresh_from_db()
    seconds = (now - claim.run.started_at).total_seconds()
    local_next = timezone.localtime(next_run_at)
    if outcome == ScheduledJobRun.Outcome.SUCCEEDED:
        logger.info(
            "Scheduled job %s (%s) succeeded in %.1fs; next run %s",
            job.name,
            job.command_line,
            seconds,
            f"{local_next:%Y-%m-%d %H:%M %Z}",
        )
    else:
        last_line = next((line for line in reversed(tail.splitlines()) if line.strip()), "")
        logger.error(
            "Scheduled job %s (%s) failed in %.1fs: %s; next run %s",
            job.name,
            job.command_line,
            seconds,
            last_line,
            f"{local_next:%Y-%m-%d %H:%M %Z}",
        )
    _forget_runs(job_id=claim.job.pk, before=now - datetime.timedelta(days=settings.SCHEDULER_HISTORY_DAYS))
    return claim.run


def _forget_runs(*, job_id, before):
    """Delete the job's runs that finished before `before`, in plain SQL: a delete through the ORM sends post_delete,
    which (core/cache.py) empties the public page cache. (So do save() and create(): runs are added by bulk_create.)"""
    table, quote = ScheduledJobRun._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(table)} WHERE {quote('job_id')} = %s AND {quote('finished_at')} < %s",
            [job_id, connection.ops.adapt_datetimefield_value(before)],
        )


def jobs_mark_due(*, names, now=None):
    """Staff's "run now": the jobs become due at once (a scheduler runs them within SCHEDULER_POLL_SECONDS).
    A job running now is left alone. Returns how many were marked."""
    now = now or timezone.now()
    return ScheduledJob.objects.filter(name__in=list(names)).filter(claimable(now)).update(next_run_at=now)


class Scheduler:
    """One scheduler. Run as many as you like, on any machines that share the database: none runs a job's run twice."""

    def __init__(self, *, name=None, poll_seconds=None):
        self.name = name or scheduler_name()
        self.poll_seconds = settings.SCHEDULER_POLL_SECONDS if poll_seconds is None else poll_seconds
        self.stopping = threading.Event()

    def run_due(self):
        """Run every job due now, one after another; return their runs. Each job runs at most once per call."""
        jobs = configured_jobs()
        jobs_sync(jobs=jobs)
        runs, left = [], set(jobs)
        while left and not self.stopping.is_set():
            claim = job_claim(scheduler=self.name, names=left)
            if claim is None:
                break
            left.discard(claim.job.name)
            runs.append(job_run(claim=claim, scheduler=self.name, job=jobs[claim.job.name]))
        return runs

    def seconds_to_wait(self):
        """Until the next job is due (or a running one's claim runs out), or SCHEDULER_POLL_SECONDS if sooner."""
        now = timezone.now()
        rows = ScheduledJob.objects.filter(name__in=list(configured_jobs())).values_list("next_run_at", "claimed_until")
        times = [claimed_until if claimed_until and claimed_until > now else due for due, claimed_until in rows]
        if not times:
            return self.poll_seconds
        return min(self.poll_seconds, max((min(times) - now).total_seconds(), 0.5))

    def run_forever(self):
        jobs = configured_jobs()  # a mistake in SCHEDULED_JOBS stops the scheduler at once, not at the job's time
        logger.info("Scheduler %s started: %s", self.name, ", ".join(f"{j.name} {j.schedule}" for j in jobs.values()))
        while not self.stopping.is_set():
            # A long-running process: drop connections the database closed, as a request would.
            close_old_connections()
            try:
                self.run_due()
                wait = self.seconds_to_wait()
            except Exception:  # noqa: BLE001 - a database blip must not end the scheduler; leases cover runs
                logger.exception("Scheduler %s could not claim or record a job", self.name)
                wait = self.poll_seconds
            self.stopping.wait(wait)
        close_old_connections()
        logger.info("Scheduler %s stopped", self.name)

    def stop(self, *args):
        """Finish the job in hand, then stop (SIGTERM, SIGINT)."""
        self.stopping.set()
