"""Two real gunicorn servers and two worker processes sharing one database and one cache, as behind a load
balancer: a journey moves between servers without losing answers, the Submit rate limit counts across both, and
two workers running at once send each receipt once while the web servers send none."""

import pytest

from .processes import Respondent, Site, wait_until
from .worker_process import send_times

CALL = """
from consultations.models import Question
from tests.factories import CallFactory, QuestionFactory
call = CallFactory(slug="two-servers", title="Call for Advice")
QuestionFactory(call=call, position=1, prompt="What would help?", answer_type=Question.AnswerType.LONG_TEXT)
print(call.slug)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    # Each send takes 0.3 s, so two workers started together are both sending at once.
    site = Site(folder, RESPONSE_RATE_LIMIT="3/h", RESPONSE_TRUSTED_PROXY_COUNT="1", EMAIL_SEND_SECONDS="0.3")
    try:
        site.slug = site.set_up(CALL)
        site.urls = [site.start_server("server-a"), site.start_server("server-b")]
        yield site
    finally:
        site.stop()


def walk(site, number, address):
    """A journey with each request on the next server; its answer reached check your answers through both."""
    respondent = Respondent(site.urls, site.slug, number, address=address)
    check = respondent.walk_to_check()
    assert f"A plain answer from respondent {number}." in check.text
    return respondent, check


def test_the_rate_limit_reached_through_one_server_refuses_the_next_submit_on_the_other(site):
    a, b = site.urls
    address = "203.0.113.10"
    references = []
    for number in range(1, 4):
        respondent, check = walk(site, number, address)
        # The confirmation comes from the other server: the session is shared too.
        (press,) = respondent.submit(check, [a])
        assert press.status == 302 and press.reference, press.text[:500]
        references.append(press.reference)

    # Only a real 429 counts as refused (a dropped connection is tried once more, never taken for a refusal).
    fourth, check = walk(site, 4, address)
    (refused,) = fourth.submit(check, [b])
    assert refused.status == 429 and "too many" in refused.text.lower()
    assert fourth.submit(check, [a])[0].status == 429

    # Another address is not held back by this one's limit, on either server.
    other, check = walk(site, 5, "198.51.100.7")
    (press,) = other.submit(check, [b])
    assert press.status == 302
    references.append(press.reference)

    stored = {row[0] for row in site.query("SELECT reference FROM submissions_submission")}
    assert stored == set(references) and len(references) == 4


def test_receipts_wait_for_the_worker_and_two_workers_send_each_one_once(site):
    for number in range(10, 16):
        respondent, check = walk(site, number, f"192.0.2.{number}")
        assert respondent.submit(check)[0].status == 302
    references = [row[0] for row in site.query("SELECT reference FROM submissions_submission WHERE email != ''")]
    # The web servers only queued the receipts.
    assert site.sent_emails() == []
    assert site.query("SELECT count(*) FROM outbox_emailjob WHERE status = 'ready'") == [(len(references),)]

    # Both running (Django set up, database connected) before either claims an email.
    workers = site.start_workers("worker-1", "worker-2")
    assert wait_until(lambda: site.query("SELECT count(*) FROM outbox_emailjob WHERE status != 'done'") == [(0,)])
    # Stopped as a service manager would (SIGTERM): each finishes the email in hand and exits cleanly. Nothing can
    # be sent after this, so the files hold the final count.
    assert workers.stop() == {"worker-1": 0, "worker-2": 0}

    emails = site.sent_emails()
    assert len(emails) == len(references) == 10
    for reference in references:
        assert sum(reference in email for email in emails) == 1, reference
    assert site.query("SELECT DISTINCT status, attempts FROM outbox_emailjob") == [("done", 1)]
    # Both sent, at the same time: a send of one worker overlapped a send of the other.
    assert {row[0] for row in site.query("SELECT locked_by FROM outbox_emailjob")} == {"worker-1", "worker-2"}
    sends = send_times(site.send_times)
    assert sorted(sends) == sorted(process.pid for process in workers.processes.values())
    first, second = sends.values()
    assert any(a0 < b1 and b0 < a1 for a0, a1 in first for b0, b1 in second), sends
