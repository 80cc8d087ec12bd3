"""The updates part: an update to BENCH_UPDATE_SUBSCRIBERS (10,000) confirmed subscribers, sent by two real
`run_worker` processes sharing PostgreSQL through a real SMTP server (tests/smtp_sink.py, what a relay accepted), one
worker killed (SIGKILL, a crashed machine) half way while it holds an email. Every address must get the update once:
an email the kill cut off before it was handed to the server is sent by the other worker; one cut off after it (one
round trip and one commit long) may have gone or not, and is counted "not known", never sent again (pages/updates.py).

Part of `make bench` (bench/run.py, PostgreSQL pass), or alone on a database of its own: `python -m bench.updates`.
"""

import collections
import os
import re
import sys
import time
from pathlib import Path

if not __package__:  # run as `python bench/updates.py`
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.base import RESULTS, django_env, log, run, sql
from tests.scale.processes import Workers, wait_until
from tests.smtp_sink import SmtpSink

SUBSCRIBERS = int(os.environ.get("BENCH_UPDATE_SUBSCRIBERS", "10000"))
LEASE_SECONDS = 10  # short, so the job of the worker killed half way is taken over within the bench
EMAIL_PREFIX = "bench-update-reader"
TO = re.compile(rf"^To: ({EMAIL_PREFIX}\d+@example\.org)\r?$", re.MULTILINE)
SET_UP = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from pages import updates
from pages.models import Subscriber, SubscriberUpdate
now = timezone.now()
rows = [Subscriber(email=f"{EMAIL_PREFIX}{{n}}@example.org", confirmed_at=now) for n in range({SUBSCRIBERS})]
Subscriber.objects.bulk_create(rows, batch_size=5000)
Subscriber.objects.create(email="bench-update-unconfirmed@example.org")
editor, _ = get_user_model().objects.get_or_create(username="bench-update-editor", defaults={{"is_staff": True}})
body = "Read **the report** on [the site](/publications/)."
update = SubscriberUpdate.objects.create(subject="The final report is out", body=body)
updates.update_request_send(update=update, user=editor)
print(update.pk)
"""


def _wait(condition, seconds, every, what):
    """wait_until, but a run that stalls is a failed part, not a figure."""
    if not wait_until(condition, seconds, every):
        raise RuntimeError(f"not {what} within {seconds} s")


def _count(query, *params):
    return sql(query, params or None)[0][0]


def updates_part():
    with SmtpSink() as relay:
        env = django_env(
            EMAIL_BACKEND="core.mail.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(relay.port),
            EMAIL_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
            EMAIL_WORKER_POLL_SECONDS="1",
            # Everything due at once: the rate limit would make the bench last SUBSCRIBERS / 600 minutes.
            UPDATES_SEND_PER_MINUTE="0",
        )
        return _send_and_count(env, relay)


def _send_and_count(env, relay):
    log(f"{SUBSCRIBERS} confirmed subscribers and an update, Send pressed")
    update_id = int(run([sys.executable, "manage.py", "shell", "-c", SET_UP], env, 300).strip().splitlines()[-1])
    deliveries = "SELECT count(*) FROM pages_updatedelivery WHERE update_id = %s AND status = %s"
    workers, killed = None, {}
    try:
        workers = Workers(env, RESULTS, ["update-worker-1", "update-worker-2"], poll=0.5)
        began = time.monotonic()
        _wait(lambda: _count(deliveries, update_id, "sent") >= SUBSCRIBERS // 2, 600, 0.05, "half the emails sent")
        queued_s = sql(
            "SELECT extract(epoch FROM finished_at - created_at) FROM outbox_emailjob "
            "WHERE kind = 'subscriber_update_queue' AND subject_id = %s",
            (update_id,),
        )[0][0]
        running = "SELECT count(*) FROM outbox_emailjob WHERE status = 'running' AND locked_by = 'update-worker-1'"
        _wait(lambda: _count(running) > 0, 30, 0.01, "update-worker-1 holding an email")
        workers.kill("update-worker-1")
        killed = {"after_s": round(time.monotonic() - began, 1), "sent_before": _count(deliveries, update_id, "sent")}
        log(f"killed update-worker-1 after {killed['sent_before']} sent")
        left = "SELECT count(*) FROM outbox_emailjob WHERE kind = 'subscriber_update' AND status <> 'done'"
        _wait(lambda: _count(left) == 0, 900, 0.5, "every email sent")
        sent_s = round(time.monotonic() - began, 1)
    finally:
        if workers:
            workers.stop()
    per_address = collections.Counter(to for email in relay.messages for to in TO.findall(email.decode()))
    by_status = "SELECT status, count(*) FROM pages_updatedelivery WHERE update_id = %s GROUP BY status"
    statuses = dict(sql(by_status, (update_id,)))
    once = sum(1 for n in per_address.values() if n == 1)
    twice = sum(1 for n in per_address.values() if n > 1)
    unknown = statuses.get("unknown", 0)
    missing = SUBSCRIBERS - len(per_address)
    taken_over = _count("SELECT count(*) FROM outbox_emailjob WHERE kind = 'subscriber_update' AND attempts > 1")
    r = {
        "subscribers": SUBSCRIBERS,
        "queueing_s": round(float(queued_s), 2),
        "sending_s": sent_s,
        "emails_per_s": round(SUBSCRIBERS / sent_s, 1) if sent_s else None,
        "worker_killed": killed,
        "delivery_statuses": statuses,
        "addresses_once": once,
        "addresses_twice_or_more": twice,
        "addresses_missing": missing,
        "not_known": unknown,
        "unconfirmed_sent": per_address.get("bench-update-unconfirmed@example.org", 0),
        "jobs_taken_over_after_the_kill": taken_over,
    }
    r["rows"] = [
        (
            "update",
            f"{SUBSCRIBERS:,} subscribers: queued in {r['queueing_s']} s, all sent in {sent_s} s "
            f"({r['emails_per_s']}/s) by two workers; update-worker-1 killed after {killed.get('sent_before')} sent",
            "",
            None,
        ),
        (
            "never twice",
            f"{once:,} addresses once, {twice} twice or more, {missing} missing, {unknown} not known (cut off by the "
            f"kill after the hand-over, not resent); {taken_over} job(s) taken over after the kill",
            "0 twice, missing <= not known <= 1",
            twice == 0 and missing <= unknown <= 1 and statuses.get("sent", 0) + unknown == SUBSCRIBERS,
        ),
        (
            "exactly once",
            f"{once:,} of {SUBSCRIBERS:,} addresses got it exactly once",
            "all (unless the kill fell in the hand-over window)",
            once == SUBSCRIBERS,
        ),
    ]
    return r


def main():
    from bench.base import create_database, drop_database, ensure_postgres, manage

    ensure_postgres()
    create_database()
    try:
        for command in (["migrate", "--noinput"], ["createcachetable"]):
            manage(*command)
        result = updates_part()
    finally:
        if os.environ.get("BENCH_KEEP_DB") != "1":
            drop_database()
    for label, value, target, ok in result["rows"]:
        print(f"{label:12} {value}  {target}  {'' if ok is None else ('ok' if ok else 'MISSED')}")


if __name__ == "__main__":
    main()
