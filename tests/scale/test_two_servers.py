"""Two real gunicorn servers and a separate worker process sharing one database and one cache, as behind a
load balancer: a journey moves between servers without losing answers, the Submit rate limit counts across both,
and the worker sends each receipt once while the web servers send none."""

import time

import pytest

from .processes import Respondent, Site

CALL = """
from consultations.models import Question
from tests.factories import CallFactory, QuestionFactory
call = CallFactory(slug="two-servers", title="Call for Advice")
QuestionFactory(call=call, position=1, prompt="What would help?", answer_type=Question.AnswerType.LONG_TEXT)
print(call.slug)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("two-servers"), RESPONSE_RATE_LIMIT="3/h", RESPONSE_TRUSTED_PROXY_COUNT="1")
    try:
        slug = site.set_up(CALL)
        site.slug = slug
        site.servers = [site.start_server("server-a"), site.start_server("server-b")]
        yield site
    finally:
        site.stop()


def wait_for(condition, seconds=90):
    """Poll until true; generous, as two fresh processes start Django on a machine that may be busy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_the_rate_limit_reached_through_one_server_refuses_the_next_submit_on_the_other(site):
    a, b = site.servers
    address = "203.0.113.10"
    references = []
    for _ in range(3):
        respondent = Respondent(site.slug, address)
        check = respondent.walk_to_check(site.servers)
        response = respondent.submit(a, check)
        assert response.status_code == 302, response.text[:500]
        # The confirmation comes from the other server: the session is shared too.
        references.append(respondent.reference(b))

    fourth = Respondent(site.slug, address)
    refused = fourth.submit(b, fourth.walk_to_check(site.servers))
    assert refused.status_code == 429
    assert "too many" in refused.text.lower()
    assert fourth.submit(a, fourth.walk_to_check(site.servers)).status_code == 429

    # Another address is not held back by this one's limit, on either server.
    other = Respondent(site.slug, "198.51.100.7")
    assert other.submit(b, other.walk_to_check(site.servers)).status_code == 302
    references.append(other.reference(a))

    stored = {row[0] for row in site.query("SELECT reference FROM submissions_submission")}
    assert stored == set(references) and len(references) == 4


def test_receipts_wait_for_the_worker_and_two_workers_send_each_one_once(site):
    respondents = [Respondent(site.slug, f"192.0.2.{n}") for n in range(1, 5)]
    for n, respondent in enumerate(respondents):
        assert respondent.submit(site.servers[n % 2], respondent.walk_to_check(site.servers)).status_code == 302
    total = site.query("SELECT count(*) FROM submissions_submission WHERE email != ''")[0][0]
    # The web servers only queued the receipts.
    assert site.sent_emails() == []
    assert site.query("SELECT count(*) FROM outbox_emailjob WHERE status = 'ready'")[0][0] == total

    workers = [site.start_worker("worker-1"), site.start_worker("worker-2")]
    assert wait_for(lambda: len(site.sent_emails()) >= total), site.sent_emails()
    time.sleep(0.5)  # a duplicate would have been sent by now
    emails = site.sent_emails()
    assert len(emails) == total
    for (reference,) in site.query("SELECT reference FROM submissions_submission"):
        assert sum(reference in email for email in emails) == 1, reference
    assert site.query("SELECT DISTINCT status FROM outbox_emailjob") == [("done",)]

    # Stopped as a service manager would (SIGTERM): they finish and exit cleanly.
    for worker in workers:
        worker.terminate()
    for worker in workers:
        assert worker.wait(timeout=10) == 0
