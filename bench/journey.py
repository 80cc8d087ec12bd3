"""Respondents answering a call at once through the real pages (tests/scale/processes.Respondent): the journey part,
the same while the database connections are killed, and two servers with two email workers (scale)."""

import os
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.scale.processes import Respondent, Workers, sent_emails, wait_until

from .base import PORT, RESULTS, django_env, log, percentile, server, sql, terminate_connections

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "50"))
JOURNEY_SECONDS = int(os.environ.get("BENCH_JOURNEY_SECONDS", "60"))
ALONE_SECONDS = int(os.environ.get("BENCH_ALONE_SECONDS", "10"))
FAULT_SECONDS = int(os.environ.get("BENCH_FAULT_SECONDS", "40"))
FAULT_KILLS = int(os.environ.get("BENCH_FAULT_KILLS", "3"))
# A pause before each answer, as a person reads and types (shortened: a real one takes minutes).
THINK_SECONDS = float(os.environ.get("BENCH_THINK_SECONDS", "2"))
# Presses again after "Sorry, the service is unavailable" (the 503 page asks them to), a second apart.
PATIENCE = 30
UNAVAILABLE = "Sorry, the service is unavailable"
SCALE_RESPONDENTS = int(os.environ.get("BENCH_SCALE_RESPONDENTS", "40"))
SCALE_CONCURRENCY = int(os.environ.get("BENCH_SCALE_CONCURRENCY", "8"))
SCALE_LIMIT = int(os.environ.get("BENCH_SCALE_LIMIT", "3"))
LEASE_SECONDS = 10  # short, so the job of the worker killed half way is sent again within the bench
# As the respondents saw it, with BENCH_RESPONDENTS (50) of them at once (docs/benchmarks.md).
SUBMIT_P95_MS = 150


class Tally:
    """What the respondents saw: every answer, the references acknowledged, the journeys done and failed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events, self.acknowledged, self.failures, self.bad_pages = [], set(), [], []
        self.done = self.failed = self.doubles = self.double_mismatch = 0

    def record(self, kind, status, seconds, body):
        with self.lock:
            self.events.append((time.monotonic(), kind, status, seconds))
            if status >= 500 and not (status == 503 and UNAVAILABLE in (body or "")):
                self.bad_pages.append((kind, status, (body or "")[:300]))

    def journey(self, respondent, servers):
        """One journey to Submit (pressed on each of `servers` at once); counted, never raised."""
        try:
            presses = respondent.submit(respondent.walk_to_check(), servers)
        except Exception as exc:  # noqa: BLE001 - count it; the respondent starts again
            with self.lock:
                self.failed += 1
                self.failures.append(f"respondent {respondent.number}: {exc}"[:300])
            return None
        references = {press.reference for press in presses}
        with self.lock:
            if len(presses) > 1:
                self.doubles += 1
                self.double_mismatch += len(references) > 1
            references.discard(None)
            self.acknowledged |= references
            if references:
                self.done += 1
            else:
                self.failed += 1
                self.failures.append(f"respondent {respondent.number}: Submit answered {presses[0].status}"[:300])
        return presses


def stored():
    rows = sql("SELECT reference, journey_token FROM submissions_submission")
    return {r[0] for r in rows}, len(rows) - len({r[1] for r in rows})


def run_respondents(gunicorn, slug, seconds, respondents=RESPONDENTS, think=THINK_SECONDS, during=None):
    """`respondents` people for `seconds`, each starting again with a new session after Submit, a fifth pressing
    Submit twice at once (a double click); then stored must equal acknowledged. `during(started)` runs alongside."""
    before, _ = stored()
    offset, tally = gunicorn.access_log_size(), Tally()
    deadline = time.monotonic() + seconds

    def person(n):
        while time.monotonic() < deadline:
            respondent = Respondent(gunicorn.url, slug, n, patience=PATIENCE, think=think, on_response=tally.record)
            if tally.journey(respondent, [gunicorn.url] * (2 if n % 5 == 0 else 1)) is None:
                time.sleep(1)

    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(1, respondents + 1)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    extra = during(started) if during else None
    for thread in threads:
        thread.join(timeout=max(1, deadline + 120 - time.monotonic()))  # a journey under way gets two minutes
    elapsed = time.monotonic() - started
    after, duplicated = stored()
    statuses = {}
    for _, _, status, _ in tally.events:
        statuses[status] = statuses.get(status, 0) + 1
    submits = [s * 1000 for _, kind, status, s in tally.events if kind == "submit" and 300 <= status < 400]
    steps = [s * 1000 for _, kind, status, s in tally.events if kind == "step" and status]
    worker_ms = gunicorn.server_times(offset, "POST", "/respond/submit/")
    result = {
        "respondents": respondents,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 1),
        "journeys_completed": tally.done,
        "journeys_failed": tally.failed,
        "failures": tally.failures[:20],
        "double_submits": tally.doubles,
        "double_submit_different_references": tally.double_mismatch,
        "acknowledged": len(tally.acknowledged),
        "stored": len(after - before),
        "lost": len(tally.acknowledged - after),
        "stored_never_acknowledged": len(after - before - tally.acknowledged),
        "duplicated_journeys": duplicated,
        "requests_per_s": round(len(tally.events) / elapsed, 1),
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "http_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "http_503": statuses.get(503, 0),
        "connection_errors": statuses.get(0, 0),
        "tracebacks_or_bare_5xx": tally.bad_pages[:5],
        "stuck_respondents": sum(thread.is_alive() for thread in threads),
        "submit_count": len(submits),
        **{f"submit_p{p}_ms": round(percentile(submits, p) or 0, 1) for p in (50, 95, 99)},
        "step_p95_ms": round(percentile(steps, 95) or 0, 1),
        # The same Submits as the workers saw them: the rest of the respondents' time is queueing.
        "submit_worker_p50_ms": percentile(worker_ms, 50),
        "submit_worker_p95_ms": percentile(worker_ms, 95),
        "events": tally.events,
    }
    result.update(extra() if extra else {})
    result["nothing_lost"] = (
        result["lost"] == result["stored_never_acknowledged"] == result["duplicated_journeys"] == 0
        and result["journeys_completed"] > 0
    )
    return result


def journey_part(gunicorn, slug):
    # One respondent alone first: what a Submit costs when nothing waits for the CPU.
    alone = run_respondents(gunicorn, slug, ALONE_SECONDS, respondents=1, think=0)
    log(f"alone: Submit p50 {alone['submit_p50_ms']} ms, p95 {alone['submit_p95_ms']} ms")
    log(f"{RESPONDENTS} respondents for {JOURNEY_SECONDS} s, {THINK_SECONDS} s between pages")
    r = run_respondents(gunicorn, slug, JOURNEY_SECONDS)
    r.pop("events")
    r["alone"] = {k: v for k, v in alone.items() if k != "events"}
    r["rows"] = [
        (
            "respondents",
            f"{RESPONDENTS} for {JOURNEY_SECONDS} s: {r['journeys_completed']} journeys done, {r['journeys_failed']} "
            f"failed, {r['double_submits']} double Submits ({r['double_submit_different_references']} showed two "
            "references)",
            "",
            None,
        ),
        (
            "stored = acknowledged",
            f"{r['stored']} stored, {r['acknowledged']} acknowledged: lost {r['lost']}, stored unacknowledged "
            f"{r['stored_never_acknowledged']}, duplicated {r['duplicated_journeys']}, 5xx {r['http_5xx']}",
            "0 lost, 0 dup, 0 5xx",
            r["nothing_lost"] and r["http_5xx"] == 0 and r["double_submit_different_references"] == 0,
        ),
        (
            "Submit latency",
            f"p50 {r['submit_p50_ms']} ms, p95 {r['submit_p95_ms']} ms, p99 {r['submit_p99_ms']} ms over "
            f"{r['submit_count']} Submits (in the worker: p50 {r['submit_worker_p50_ms']} ms, p95 "
            f"{r['submit_worker_p95_ms']} ms); other steps p95 {r['step_p95_ms']} ms, {r['requests_per_s']} requests/s",
            f"p95 < {SUBMIT_P95_MS} ms",
            r["submit_count"] > 0 and r["submit_p95_ms"] < SUBMIT_P95_MS,
        ),
        (
            "Submit, one respondent alone",
            f"p50 {alone['submit_p50_ms']} ms, p95 {alone['submit_p95_ms']} ms over {alone['submit_count']} Submits "
            f"(in the worker: p95 {alone['submit_worker_p95_ms']} ms): the cost without waiting for the CPU",
            "",
            None,
        ),
    ]
    return r


def faults_part(gunicorn, slug):
    kills = []

    def killer(started):
        def kill_loop():
            for i in range(FAULT_KILLS):
                time.sleep(max(0, started + (i + 1) * FAULT_SECONDS / (FAULT_KILLS + 1) - time.monotonic()))
                kills.append((time.monotonic(), terminate_connections()))
                log(f"killed {kills[-1][1]} database connections")

        thread = threading.Thread(target=kill_loop, daemon=True)
        thread.start()
        return lambda: thread.join(timeout=FAULT_SECONDS + 10) or {}

    log(f"{RESPONDENTS} respondents for {FAULT_SECONDS} s, killing the database connections {FAULT_KILLS} times")
    r = run_respondents(gunicorn, slug, FAULT_SECONDS, during=killer)
    events = r.pop("events")
    r["kills"] = []
    for i, (at, killed) in enumerate(kills):
        until = kills[i + 1][0] if i + 1 < len(kills) else float("inf")
        errors = [t for t, _, status, _ in events if at <= t < until and (status >= 500 or status == 0)]
        r["kills"].append(
            {"connections": killed, "errors": len(errors), "recovered_s": round(max(errors) - at, 2) if errors else 0}
        )
    other_5xx = r["http_5xx"] - r["http_503"]
    clean = other_5xx == 0 and not r["tracebacks_or_bare_5xx"]
    r["rows"] = [
        (
            "kills",
            f"{len(kills)} times ({', '.join(str(k['connections']) for k in r['kills'])} connections) during "
            f"{FAULT_SECONDS} s with {RESPONDENTS} respondents: {r['journeys_completed']} journeys done, "
            f"{r['journeys_failed']} failed",
            "",
            None,
        ),
        (
            "503 page, not a traceback",
            f"{r['http_503']} answered 503 (the site's page), {other_5xx} other 5xx, {r['connection_errors']} dropped "
            f"connections, {len(r['tracebacks_or_bare_5xx'])} bare errors",
            "503 page only",
            clean,
        ),
        (
            "recovery",
            f"errors stop {max((k['recovered_s'] for k in r['kills']), default=None)} s after a kill at worst "
            f"({', '.join(str(k['recovered_s']) for k in r['kills'])} s), no restart",
            "by itself",
            r["journeys_completed"] > 0,
        ),
        (
            "nothing lost",
            f"{r['stored']} stored, {r['acknowledged']} acknowledged: lost {r['lost']}, stored unacknowledged "
            f"{r['stored_never_acknowledged']}, duplicated {r['duplicated_journeys']}",
            "lost = 0",
            r["nothing_lost"] and clean,
        ),
    ]
    return r


def ensure_redis():
    def ping():
        return subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, text=True).stdout.strip()

    if ping() != "PONG":
        os.makedirs("/var/lib/redis", exist_ok=True)
        command = "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no"
        subprocess.run(f"{command} --dir /var/lib/redis --logfile {RESULTS / 'redis.log'}", shell=True, check=True)
        if not wait_until(lambda: ping() == "PONG", 10, 0.2):
            raise RuntimeError("Redis did not start")


def scale_part(slug):
    """Two gunicorn servers sharing PostgreSQL and Redis, as behind a load balancer, and two email workers.

    Respondents spread their requests over both servers (a fifth pressing Submit on both at once); then one address
    goes over the Submit limit alternating servers; worker-1 is killed (SIGKILL, a crashed machine) while it holds
    an email. Every reference acknowledged must be stored once, and every receipt sent exactly once (the one in
    flight at the kill: at least once).
    """
    ensure_redis()
    emails = RESULTS / "scale-emails"
    for old in emails.glob("*.log"):
        old.unlink()
    env = {
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
        "CACHE_KEY_PREFIX": f"bench-scale-{uuid.uuid4().hex[:8]}",
        "RESPONSE_RATE_LIMIT": f"{SCALE_LIMIT}/h",
        # Each respondent sends its own X-Forwarded-For, as the load balancer in front would.
        "RESPONSE_TRUSTED_PROXY_COUNT": "1",
        "EMAIL_FILE_PATH": str(emails),
        "EMAIL_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "EMAIL_WORKER_POLL_SECONDS": "1",
    }
    servers = [server(f"scale-{name}", PORT + n, 2, **env) for n, name in ((1, "a"), (2, "b"))]
    started_at = sql("SELECT now()")[0][0]
    backlog = sql("SELECT count(*) FROM outbox_emailjob WHERE status = 'ready'")[0][0]  # the earlier parts'
    workers, tally, killed = None, Tally(), {}
    try:
        urls = [s.start() for s in servers]
        workers = Workers(django_env(**env), RESULTS, ["worker-1", "worker-2"], poll=0.5)
        log(f"two servers ({', '.join(urls)}) sharing PostgreSQL and Redis; two email workers")
        over = threading.Event()
        began = time.monotonic()

        def kill_worker_mid_send():
            held = []
            while not over.is_set() and not held:
                held = sql("SELECT id FROM outbox_emailjob WHERE status = 'running' AND locked_by = 'worker-1'")
                time.sleep(0.002)
            workers.kill("worker-1")
            killed.update(held=len(held), after_s=round(time.monotonic() - began, 1))

        killer = threading.Thread(target=kill_worker_mid_send, daemon=True)
        killer.start()

        def respond(n):
            respondent = Respondent(urls, slug, n, address=f"10.{n // 250}.{n % 250}.1")
            tally.journey(respondent, urls if n % 5 == 0 else None)

        with ThreadPoolExecutor(SCALE_CONCURRENCY) as pool:
            list(pool.map(respond, range(1, SCALE_RESPONDENTS + 1)))
        journeys_s = round(time.monotonic() - began, 1)
        over.set()
        killer.join(timeout=30)

        # One address over the Submit limit, Submit i on server i % 2: one count for both servers, not one each.
        limit_statuses = []
        for i in range(SCALE_LIMIT + 2):
            respondent = Respondent(urls, slug, 10_000 + i, address="203.0.113.66")
            (press,) = respondent.submit(respondent.walk_to_check(), [urls[i % 2]])
            limit_statuses.append(press.status)
            tally.acknowledged |= {press.reference} - {None}

        # Until no job is left to send (worker-2 takes worker-1's after the lease); then the workers are stopped,
        # so nothing more can be sent and the files hold the final count.
        wait_until(lambda: sql("SELECT count(*) FROM outbox_emailjob WHERE status <> 'done'")[0][0] == 0, 240, 0.5)
    finally:
        if workers:
            workers.stop()
        for s in servers:
            s.stop()
    rows = sql(
        "SELECT reference, email, submitted_at, receipt_sent_at FROM submissions_submission WHERE submitted_at >= %s",
        (started_at,),
    )
    references, with_email = {r[0] for r in rows}, {r[0] for r in rows if r[1]}
    receipts = {}
    for email in sent_emails(emails):
        for reference in with_email:
            receipts[reference] = receipts.get(reference, 0) + (reference in email)
    lags = sorted((r[3] - r[2]).total_seconds() for r in rows if r[1] and r[3])
    retaken = sql("SELECT count(*) FROM outbox_emailjob WHERE attempts > 1")[0][0]  # no worker ran before this part
    _, duplicated = stored()
    r = {
        "respondents": SCALE_RESPONDENTS,
        "journeys_s": journeys_s,
        "journeys_failed": tally.failed,
        "failures": tally.failures[:10],
        "double_submit_different_references": tally.double_mismatch,
        "acknowledged": len(tally.acknowledged),
        "stored": len(references),
        "lost": len(tally.acknowledged - references),
        "stored_never_acknowledged": len(references - tally.acknowledged),
        "duplicated_journeys": duplicated,
        "limit_statuses": limit_statuses,
        "receipts_backlog_at_start": backlog,
        "receipts_expected": len(with_email),
        "receipts_sent_once": sum(receipts.get(x) == 1 for x in with_email),
        "receipts_sent_twice_or_more": sum(receipts.get(x, 0) > 1 for x in with_email),
        "receipts_missing": sum(not receipts.get(x) for x in with_email),
        "jobs_taken_over_after_a_crash": retaken,
        "worker_killed": killed,
        "receipt_lag_p50_s": round(lags[len(lags) // 2], 2) if lags else None,
        "receipt_lag_max_s": round(lags[-1], 2) if lags else None,
    }
    expected_limit = [302] * SCALE_LIMIT + [429] * 2
    r["rows"] = [
        (
            "two servers",
            f"{SCALE_RESPONDENTS} respondents spread over 2 gunicorn servers (Redis, PostgreSQL), {SCALE_CONCURRENCY} "
            f"at a time, in {journeys_s} s; {tally.failed} journeys failed",
            "",
            None,
        ),
        (
            "stored = acknowledged",
            f"{r['stored']} stored, {r['acknowledged']} acknowledged: lost {r['lost']}, stored unacknowledged "
            f"{r['stored_never_acknowledged']}, duplicated {duplicated}, double Submits across servers with two "
            f"references {tally.double_mismatch}",
            "0 lost, 0 dup",
            r["lost"] == r["stored_never_acknowledged"] == duplicated == tally.double_mismatch == tally.failed == 0,
        ),
        (
            "shared rate limit",
            f"one address, Submits alternating servers, limit {SCALE_LIMIT}/h: {limit_statuses}",
            f"{expected_limit}",
            limit_statuses == expected_limit,
        ),
        (
            "receipts by 2 workers",
            f"{r['receipts_sent_once']} of {len(with_email)} sent exactly once, {r['receipts_sent_twice_or_more']} "
            f"more than once, {r['receipts_missing']} missing; worker-1 killed (SIGKILL) at {killed.get('after_s')} s "
            f"holding {killed.get('held', 0)} job(s), {retaken} taken over after the {LEASE_SECONDS} s lease; "
            f"{backlog} receipts from the earlier parts sent first; lag p50 {r['receipt_lag_p50_s']} s, max "
            f"{r['receipt_lag_max_s']} s",
            "each once (the one in flight at the kill: at least once)",
            # At least once, by design: a receipt whose worker died after the mail server took it but before the
            # worker recorded it is sent again by the next worker. Only the one in flight at the kill may be twice.
            bool(with_email)
            and r["receipts_missing"] == 0
            and r["receipts_sent_twice_or_more"] <= killed.get("held", 0),
        ),
    ]
    return r
