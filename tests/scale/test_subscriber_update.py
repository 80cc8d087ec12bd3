"""An update to 500 confirmed subscribers sent by two real `run_worker` processes through a real SMTP server, one
worker killed (SIGKILL) while it holds an email: no address gets it twice, and every one gets it once, but for the
email the kill cut off after it was handed to the server, which is counted as not known rather than sent again. The
bench does the same with 10,000 (bench/updates.py)."""

import collections
import re
import time

import pytest

from tests.smtp_sink import SmtpSink

from .processes import Site, wait_until

SUBSCRIBERS = 500
SET_UP = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from pages import updates
from pages.models import Subscriber, SubscriberUpdate
now = timezone.now()
rows = [Subscriber(email=f"reader{{n}}@example.org", confirmed_at=now) for n in range({SUBSCRIBERS})]
Subscriber.objects.bulk_create(rows)
Subscriber.objects.create(email="never-confirmed@example.org")
Subscriber.objects.create(email="unsubscribed@example.org", confirmed_at=now, unsubscribed_at=now)
editor = get_user_model().objects.create_user("editor", is_staff=True)
update = SubscriberUpdate.objects.create(subject="The final report is out", body="Read it on the website.")
updates.update_request_send(update=update, user=editor)
print(update.pk)
"""
TO = re.compile(r"^To: (\S+)\r?$", re.MULTILINE)


@pytest.fixture
def relay():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def site(tmp_path, relay):
    # A lease of 3 s, so the survivor takes the killed worker's job over within the test.
    smtp = {"EMAIL_BACKEND": "core.mail.EmailBackend", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(relay.port)}
    site = Site(tmp_path, EMAIL_JOB_LEASE_SECONDS="3", UPDATES_SEND_PER_MINUTE="100000", **smtp)
    try:
        site.update_id = int(site.set_up(SET_UP))
        yield site
    finally:
        site.stop()


def test_two_workers_one_killed_mid_send_never_send_an_update_twice(site, relay):
    began = time.monotonic()
    workers = site.start_workers("worker-1", "worker-2")

    def sent():
        return site.query("SELECT count(*) FROM pages_updatedelivery WHERE status = 'sent'")[0][0]

    assert wait_until(lambda: sent() >= SUBSCRIBERS // 5, 120, 0.05)
    # Killed while it holds an email, as a machine that dies would be.
    assert wait_until(
        lambda: (
            site.query("SELECT count(*) FROM outbox_emailjob WHERE status = 'running' AND locked_by = 'worker-1'")
            != [(0,)]
        ),
        30,
        0.001,
    )
    workers.kill("worker-1")
    killed_at = sent()
    assert wait_until(lambda: site.query("SELECT count(*) FROM outbox_emailjob WHERE status != 'done'") == [(0,)], 120)
    workers.stop()
    seconds = round(time.monotonic() - began, 1)

    per_address = collections.Counter(m for email in relay.messages for m in TO.findall(email.decode()))
    statuses = dict(site.query("SELECT status, count(*) FROM pages_updatedelivery GROUP BY status"))
    print(f"{SUBSCRIBERS} subscribers, killed after {killed_at} sent, {seconds} s: {statuses}")  # for the report
    assert killed_at < SUBSCRIBERS  # the kill came in the middle
    assert max(per_address.values()) == 1  # never twice
    assert "never-confirmed@example.org" not in per_address and "unsubscribed@example.org" not in per_address
    # Killed before it handed its email over, the email is sent by the survivor; after, it is "not known" (at most one).
    unknown = statuses.get("unknown", 0)
    assert unknown <= 1
    assert statuses["sent"] + unknown == SUBSCRIBERS
    assert statuses["sent"] <= len(per_address) <= statuses["sent"] + unknown
    assert site.query("SELECT recipients, status FROM pages_subscriberupdate") == [(SUBSCRIBERS, "queued")]
    # Two workers really shared the sending: each claimed some.
    assert {row[0] for row in site.query("SELECT DISTINCT locked_by FROM outbox_emailjob")} >= {"worker-1", "worker-2"}
