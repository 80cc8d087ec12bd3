"""Scheduled jobs (core/scheduler.py, `manage.py run_scheduler`): each runs at its times, once per time however many
schedulers run; a failure is recorded and stops nothing; a run whose scheduler died is run again by another."""

import datetime
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import cache as page_cache
from core import scheduler
from core.models import ScheduledJob, ScheduledJobRun
from core.scheduler import Scheduler, job_claim, job_finish, job_run, jobs_sync, parse_jobs
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
ROOT = Path(__file__).resolve().parents[2]
SUCCEEDED, FAILED, LOST = (
    ScheduledJobRun.Outcome.SUCCEEDED,
    ScheduledJobRun.Outcome.FAILED,
    ScheduledJobRun.Outcome.LOST,
)


@pytest.fixture(autouse=True)
def _london(settings):
    settings.TIME_ZONE = "Europe/London"
    settings.SCHEDULER_LEASE_SECONDS = 300


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


def travel(moment):
    return time_machine.travel(moment, tick=False)


def session(key, expires):
    return Session.objects.create(session_key=key.ljust(32, "0"), session_data="", expire_date=expires)


def sessions_left():
    """Which of the two sessions clearsessions_at() made are still there."""
    keys = {name.ljust(32, "0"): name for name in ("expired", "live")}
    return {keys[key] for key in Session.objects.filter(session_key__in=keys).values_list("session_key", flat=True)}


def clearsessions_at(settings, time="03:15"):
    settings.SCHEDULED_JOBS = {"clearsessions": {"command": "clearsessions", "at": time}}
    session("expired", london(2025, 6, 1, 12, 0))
    session("live", london(2025, 6, 9, 12, 0))


# Running at its times ------------------------------------------------------------------------------------------------


def test_a_due_job_runs_once_and_its_next_run_is_set(settings, caplog):
    clearsessions_at(settings)
    with travel(london(2025, 6, 2, 3, 0)):
        assert Scheduler(name="a").run_due() == []  # its row is made; it is not due until 03:15
    assert ScheduledJob.objects.get().next_run_at == london(2025, 6, 2, 3, 15)

    caplog.set_level(logging.INFO, logger="core.scheduler")
    with travel(london(2025, 6, 2, 3, 15)):
        (run,) = Scheduler(name="a").run_due()
        assert Scheduler(name="a").run_due() == []
        assert Scheduler(name="b").run_due() == []

    assert (run.outcome, run.number, run.scheduler) == (SUCCEEDED, 1, "a"), run.output
    assert run.due_at == run.started_at == run.finished_at == london(2025, 6, 2, 3, 15)
    assert sessions_left() == {"live"}  # the real command ran
    job = ScheduledJob.objects.get()
    assert job.next_run_at == london(2025, 6, 3, 3, 15)
    assert (job.claimed_by, job.claimed_until, job.runs) == ("", None, 1)
    assert ScheduledJobRun.objects.count() == 1
    # One line per run in the log.
    assert [record.getMessage() for record in caplog.records if record.name == "core.scheduler"] == [
        "Scheduled job clearsessions (clearsessions) succeeded in 0.0s; next run 2025-06-03 03:15 BST"
    ]


def test_a_job_not_due_does_not_run(settings):
    clearsessions_at(settings)
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    with travel(london(2025, 6, 2, 3, 14, 59)):
        assert Scheduler().run_due() == []
        call_command("run_scheduler", "--once")

    assert sessions_left() == {"expired", "live"}
    assert not ScheduledJobRun.objects.exists()
    assert ScheduledJob.objects.get().next_run_at == london(2025, 6, 2, 3, 15)


def test_an_interval_job_runs_on_the_clock_with_its_arguments_and_a_missed_run_happens_once(settings):
    settings.SCHEDULED_JOBS = {
        "uploads": {"command": "clear_pending_uploads", "args": ["--hours", "6"], "every": "15m"},
    }
    with travel(datetime.datetime(2025, 1, 6, 10, 7, tzinfo=UTC)):
        assert Scheduler().run_due() == []
    job = ScheduledJob.objects.get()
    assert job.next_run_at == datetime.datetime(2025, 1, 6, 10, 15, tzinfo=UTC)
    assert (job.command, job.schedule) == ("clear_pending_uploads --hours 6", "every 15m")

    with travel(datetime.datetime(2025, 1, 6, 10, 15, tzinfo=UTC)):
        (run,) = Scheduler().run_due()
    assert "older than 6 hours" in run.output
    job.refresh_from_db()
    assert job.next_run_at == datetime.datetime(2025, 1, 6, 10, 30, tzinfo=UTC)

    # No scheduler ran at 10:30, 10:45 or 11:00: the job runs once when one starts, then keeps to its times.
    with travel(datetime.datetime(2025, 1, 6, 11, 2, tzinfo=UTC)):
        assert len(Scheduler().run_due()) == 1
        assert Scheduler().run_due() == []
    job.refresh_from_db()
    assert job.next_run_at == datetime.datetime(2025, 1, 6, 11, 15, tzinfo=UTC)
    assert ScheduledJobRun.objects.count() == 2


def test_times_of_day_are_in_the_site_time_zone_and_run_once_on_the_days_the_clocks_change():
    job = parse_jobs({"job": {"command": "check", "at": ["03:15", "01:30"]}})["job"]
    assert job.schedule == "daily at 01:30, 03:15 (Europe/London)"

    # 03:15 in London is 03:15 UTC in winter and 02:15 UTC in summer.
    assert job.next_after(london(2025, 1, 10, 3, 0)) == datetime.datetime(2025, 1, 10, 3, 15, tzinfo=UTC)
    assert job.next_after(london(2025, 7, 10, 3, 0)) == datetime.datetime(2025, 7, 10, 2, 15, tzinfo=UTC)
    # 30 March 2025: London skips from 01:00 to 02:00; the 01:30 run happens at 02:30, once.
    first = job.next_after(datetime.datetime(2025, 3, 30, 0, 0, tzinfo=UTC))
    assert first == london(2025, 3, 30, 2, 30)
    assert job.next_after(first) == london(2025, 3, 30, 3, 15)
    # 26 October 2025: London goes through 01:30 twice; the job runs at the first only.
    first = job.next_after(datetime.datetime(2025, 10, 25, 23, 0, tzinfo=UTC))
    assert first == datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert job.next_after(first) == datetime.datetime(2025, 10, 26, 3, 15, tzinfo=UTC)


def test_a_changed_schedule_moves_the_next_run(settings):
    clearsessions_at(settings, "03:15")
    with travel(london(2025, 6, 2, 1, 0)):
        jobs_sync()
        settings.SCHEDULED_JOBS = {"clearsessions": {"command": "clearsessions", "at": "02:00"}}
        jobs_sync()
    job = ScheduledJob.objects.get()
    assert (job.next_run_at, job.schedule) == (london(2025, 6, 2, 2, 0), "daily at 02:00 (Europe/London)")


def test_a_job_taken_out_of_the_settings_is_not_run(settings):
    clearsessions_at(settings)
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    settings.SCHEDULED_JOBS = {}
    with travel(london(2025, 6, 3, 3, 15)):
        assert Scheduler().run_due() == []
    assert sessions_left() == {"expired", "live"}


# Never twice -------------------------------------------------------------------------------------------------------


def test_a_second_scheduler_finds_nothing_to_claim_in_a_run_the_first_has_claimed(settings):
    clearsessions_at(settings)
    settings.SCHEDULED_JOBS["check"] = {"command": "check", "at": "03:15"}
    names = ["check", "clearsessions"]
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    with travel(london(2025, 6, 2, 3, 15)):
        first = job_claim(scheduler="a", names=names)
        assert job_claim(scheduler="b", names=[first.job.name]) is None
        # The other scheduler gets the other job, and a third nothing.
        second = job_claim(scheduler="b", names=names)
        assert {first.job.name, second.job.name} == set(names)
        assert job_claim(scheduler="c", names=names) is None

        job_run(claim=first, scheduler="a")
        job_run(claim=second, scheduler="b")
        # Done, the jobs wait for their next time.
        assert job_claim(scheduler="c", names=names) is None

    assert sorted(ScheduledJobRun.objects.values_list("job__name", "number", "outcome")) == [
        ("check", 1, SUCCEEDED),
        ("clearsessions", 1, SUCCEEDED),
    ]


def test_a_claim_made_on_a_stale_reading_of_the_job_counts_for_nothing(settings):
    """How a claim is made on SQLite, which has no row locks: an UPDATE that counts only if the row is as read."""
    clearsessions_at(settings)
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    with travel(london(2025, 6, 2, 3, 15)):
        read_by_b = ScheduledJob.objects.get()  # b reads the due job; before b writes, a claims it
        assert job_claim(scheduler="a", names=["clearsessions"]) is not None

        assert not scheduler._take(read_by_b, scheduler="b", now=timezone.now())
    assert ScheduledJob.objects.get().claimed_by == "a"


def database_url():
    """The test database, as DATABASE_URL, for processes started by a test."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.skipif(
    not connection.features.has_select_for_update_skip_locked,
    reason="Two processes need a database they can share: pytest's SQLite database is in memory (the sequential "
    "claims above cover SQLite)",
)
@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_started_together_run_each_due_job_exactly_once(settings, tmp_path):
    trace = tmp_path / "runs.txt"
    # Real commands, each taking a moment and noting (process, job, began, ended): what really ran, where and when.
    code = (
        "import os, time\nbegan = time.time()\ntime.sleep(0.25)\n"
        f"with open({str(trace)!r}, 'a') as f:\n"
        "    f.write('%d %s %f %f\\n' % (os.getpid(), JOB, began, time.time()))\n"
    )
    names = [f"job{number:02}" for number in range(12)]
    settings.SCHEDULED_JOBS = {
        name: {"command": "shell", "args": ["-c", f"JOB = {name!r}\n" + code], "every": "1h"} for name in names
    }
    jobs_sync()
    ScheduledJob.objects.update(next_run_at=timezone.now() - datetime.timedelta(minutes=1))

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.scheduler_settings",
        "DATABASE_URL": database_url(),
        "SCHEDULED_JOBS_JSON": json.dumps(settings.SCHEDULED_JOBS),
    }
    go = tmp_path / "go"
    processes = {}
    for name in ("scheduler-a", "scheduler-b"):
        command = [sys.executable, "-m", "tests.core.scheduler_process", str(tmp_path / name), str(go)]
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed below
        processes[name] = (
            subprocess.Popen(
                [*command, "--once", "--name", name], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            ),
            log,
        )
    try:
        deadline = time.monotonic() + 90
        while not all((tmp_path / name).exists() for name in processes):
            assert all(process.poll() is None for process, _ in processes.values()), "a scheduler exited early"
            assert time.monotonic() < deadline, "the schedulers did not get ready"
            time.sleep(0.05)
        go.touch()  # both have Django set up and a database connection: they claim at the same moment
        codes = {name: process.wait(timeout=120) for name, (process, _) in processes.items()}
    finally:
        for process, log in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()
    logs = {name: (tmp_path / f"{name}.log").read_text() for name in processes}
    assert codes == {"scheduler-a": 0, "scheduler-b": 0}, logs

    ran = [line.split() for line in trace.read_text().splitlines()]
    assert sorted(job for _, job, _, _ in ran) == names  # every job ran, none twice
    by_process = {}
    for pid, _, began, ended in ran:
        by_process.setdefault(pid, []).append((float(began), float(ended)))
    # Both schedulers ran jobs, at the same time: rows one was claiming were skipped by the other, not waited for.
    assert len(by_process) == 2, logs
    first, second = by_process.values()
    assert any(a0 < b1 and b0 < a1 for a0, a1 in first for b0, b1 in second)
    runs = ScheduledJobRun.objects.all()
    assert sorted(runs.values_list("job__name", "number", "outcome")) == [(name, 1, SUCCEEDED) for name in names]
    assert set(runs.values_list("scheduler", flat=True)) == {"scheduler-a", "scheduler-b"}
    assert not ScheduledJob.objects.filter(next_run_at__lte=timezone.now()).exists()


# Failures and crashes -------------------------------------------------------------------------------------------------


def test_a_failing_command_is_recorded_and_the_next_job_still_runs(settings, caplog):
    clearsessions_at(settings)
    # Runs first (same time, name first in order), and fails for real: there is no such check tag.
    settings.SCHEDULED_JOBS["a_failing_check"] = {"command": "check", "args": ["--tag", "no-such-tag"], "at": "03:15"}
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    with travel(london(2025, 6, 2, 3, 15)), pytest.raises(CommandError, match="1 job.s. failed: a_failing_check"):
        call_command("run_scheduler", "--once")

    failed = ScheduledJobRun.objects.get(job__name="a_failing_check")
    succeeded = ScheduledJobRun.objects.get(job__name="clearsessions")
    assert failed.outcome == FAILED and "no-such-tag" in failed.output and "Traceback" in failed.output
    assert succeeded.outcome == SUCCEEDED
    assert sessions_left() == {"live"}
    # A failed job waits for its next time like any other, rather than failing again at once.
    assert set(ScheduledJob.objects.values_list("next_run_at", flat=True)) == {london(2025, 6, 3, 3, 15)}
    (error,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "a_failing_check" in error.getMessage() and "no-such-tag" in error.getMessage()


def test_a_run_whose_lease_ran_out_is_taken_over_by_another_scheduler(settings):
    clearsessions_at(settings)
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    with travel(london(2025, 6, 2, 3, 15)):
        # Claimed, then the process was killed before the command finished.
        crashed = job_claim(scheduler="crashed", names=["clearsessions"])
    assert crashed is not None

    with travel(london(2025, 6, 2, 3, 19, 59)):
        assert Scheduler(name="survivor").run_due() == []  # the claim holds for SCHEDULER_LEASE_SECONDS
    assert sessions_left() == {"expired", "live"}

    with travel(london(2025, 6, 2, 3, 20, 1)):
        (run,) = Scheduler(name="survivor").run_due()
    assert (run.outcome, run.number, run.scheduler) == (SUCCEEDED, 2, "survivor")
    assert run.due_at == london(2025, 6, 2, 3, 15)  # the same run, done late
    assert sessions_left() == {"live"}
    crashed.run.refresh_from_db()
    assert crashed.run.outcome == LOST

    # Had the first scheduler only been very slow, its late report changes nothing but its own run's output.
    job = scheduler.configured_jobs()["clearsessions"]
    with travel(london(2025, 6, 2, 3, 30)):
        job_finish(claim=crashed, scheduler="crashed", job=job, outcome=SUCCEEDED, output="finished late")
    crashed.run.refresh_from_db()
    assert (crashed.run.outcome, crashed.run.output) == (LOST, "finished late")
    row = ScheduledJob.objects.get()
    assert (row.next_run_at, row.claimed_by, row.runs) == (london(2025, 6, 3, 3, 15), "", 2)


@pytest.mark.django_db(transaction=True)
def test_a_scheduler_running_a_long_job_keeps_its_claim_past_the_lease(settings, monkeypatch):
    settings.SCHEDULED_JOBS = {"long": {"command": "check", "every": "1h"}}
    settings.SCHEDULER_LEASE_SECONDS = 1  # renewed every third of a second while the command runs
    jobs_sync()
    ScheduledJob.objects.update(next_run_at=timezone.now())
    seen = {}

    def long_command(*args, **kwargs):
        time.sleep(1.6)  # well past the first lease
        seen["claimed_until"] = ScheduledJob.objects.get().claimed_until
        seen["now"] = timezone.now()
        seen["other"] = job_claim(scheduler="other", names=["long"])

    monkeypatch.setattr(scheduler, "call_command", long_command)
    (run,) = Scheduler(name="busy").run_due()

    assert run.outcome == SUCCEEDED and run.scheduler == "busy"
    assert seen["claimed_until"] > seen["now"]
    assert seen["other"] is None


# Settings ----------------------------------------------------------------------------------------------------------


def test_the_site_schedules_its_cleanups_with_real_commands(settings):
    from review_site.settings import base

    jobs = parse_jobs(base.SCHEDULED_JOBS)

    assert {"clear_pending_uploads", "clearsessions", "apply_retention", "send_receipts"} <= set(jobs)
    assert jobs["apply_retention"].command_line == "apply_retention --actor scheduler"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"command": "no_such_command", "every": "1h"}, "not a management command"),
        ({"command": "check"}, "needs either 'every'"),
        ({"command": "check", "every": "1h", "at": "03:15"}, "needs either 'every'"),
        ({"command": "check", "every": "15x"}, "every must be minutes or hours"),
        ({"command": "check", "every": "0m"}, "every must be minutes or hours"),
        ({"command": "check", "at": "25:00"}, "at must be a time of day"),
        ({"command": "check", "at": "3:15"}, "at must be a time of day"),
        ({"command": "check", "args": "--deploy", "at": "03:15"}, "args must be a list of strings"),
        ({"command": "check", "at": "03:15", "when": "daily"}, "unknown keys"),
    ],
)
def test_a_mistake_in_the_schedule_stops_the_scheduler_before_it_runs_anything(settings, entry, message):
    settings.SCHEDULED_JOBS = {"job": entry}

    with pytest.raises(ImproperlyConfigured, match=message):
        parse_jobs(settings.SCHEDULED_JOBS)
    with pytest.raises(CommandError, match=message):
        call_command("run_scheduler", "--once")
    assert not ScheduledJob.objects.exists()


# What a run leaves behind ---------------------------------------------------------------------------------------------


def test_runs_are_kept_for_the_history_period_then_forgotten(settings):
    clearsessions_at(settings)
    settings.SCHEDULER_HISTORY_DAYS = 90
    with travel(london(2025, 3, 1, 3, 15)):
        jobs_sync()
        ScheduledJob.objects.update(next_run_at=timezone.now())
        (old,) = Scheduler().run_due()
    with travel(london(2025, 5, 30, 3, 15)):  # 90 days later: kept
        ScheduledJob.objects.update(next_run_at=timezone.now())
        (kept,) = Scheduler().run_due()
    assert ScheduledJobRun.objects.count() == 2
    with travel(london(2025, 5, 31, 3, 15)):
        (new,) = Scheduler().run_due()

    assert set(ScheduledJobRun.objects.values_list("pk", flat=True)) == {kept.pk, new.pk}


def test_a_run_leaves_the_public_page_cache_alone(settings):
    """Every save in core empties the public page cache (core/cache.py): the scheduler's own records must not."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    clearsessions_at(settings)
    cache.set(page_cache.VERSION_KEY, "before")
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()  # its row made
    with travel(london(2025, 6, 2, 3, 15)):
        assert len(Scheduler().run_due()) == 1  # a run recorded
    with travel(london(2030, 6, 2, 3, 15)):
        assert len(Scheduler().run_due()) == 1  # and the first, years old, forgotten
    assert ScheduledJobRun.objects.count() == 1

    assert cache.get(page_cache.VERSION_KEY) == "before"


# The admin ----------------------------------------------------------------------------------------------------------


def test_administrators_see_the_jobs_and_their_last_runs_in_the_admin(client, settings):
    clearsessions_at(settings)
    settings.SCHEDULED_JOBS["a_failing_check"] = {"command": "check", "args": ["--tag", "no-such-tag"], "at": "03:15"}
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    with travel(london(2025, 6, 2, 3, 15)):
        Scheduler().run_due()
    client.force_login(staff_user("Administrators"))

    listing = client.get(reverse("admin:core_scheduledjob_changelist")).content.decode()
    assert "clearsessions" in listing and "daily at 03:15 (Europe/London)" in listing
    assert "Succeeded" in listing and "Failed" in listing
    failing = ScheduledJob.objects.get(name="a_failing_check")
    page = client.get(reverse("admin:core_scheduledjob_change", args=[failing.pk])).content.decode()
    assert "no-such-tag" in page and "Every run kept" in page
    run = ScheduledJobRun.objects.get(job=failing)
    assert "no-such-tag" in client.get(reverse("admin:core_scheduledjobrun_change", args=[run.pk])).content.decode()
    # Read-only: nothing to add, and no delete.
    assert client.get(reverse("admin:core_scheduledjob_add")).status_code == 403
    assert client.get(reverse("admin:core_scheduledjobrun_delete", args=[run.pk])).status_code == 403


def test_staff_without_the_permission_do_not_see_the_jobs(client, settings):
    clearsessions_at(settings)
    jobs_sync()
    client.force_login(staff_user("Moderators"))

    assert client.get(reverse("admin:core_scheduledjob_changelist")).status_code == 403


def test_run_now_in_the_admin_only_makes_the_job_due_and_a_scheduler_runs_it(client, settings):
    clearsessions_at(settings)
    with travel(london(2025, 6, 2, 12, 0)):
        jobs_sync()
        job = ScheduledJob.objects.get()
        client.force_login(staff_user("Administrators"))
        response = client.post(
            reverse("admin:core_scheduledjob_changelist"), {"action": "run_now", "_selected_action": [job.pk]}
        )
        assert response.status_code == 302
        job.refresh_from_db()
        assert job.next_run_at == london(2025, 6, 2, 12, 0)
        assert not ScheduledJobRun.objects.exists() and sessions_left() == {"expired", "live"}

        (run,) = Scheduler().run_due()
    assert run.outcome == SUCCEEDED and sessions_left() == {"live"}
    job.refresh_from_db()
    assert job.next_run_at == london(2025, 6, 3, 3, 15)


def test_run_now_leaves_a_running_job_alone(settings):
    clearsessions_at(settings)
    with travel(london(2025, 6, 2, 3, 0)):
        jobs_sync()
    with travel(london(2025, 6, 2, 3, 15)):
        job_claim(scheduler="a", names=["clearsessions"])
    with travel(london(2025, 6, 2, 3, 16)):
        call_command("run_scheduler", "--mark-due", "clearsessions")
    assert ScheduledJob.objects.get().next_run_at == london(2025, 6, 2, 3, 15)
