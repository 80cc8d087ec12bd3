"""Part "scale": two gunicorn servers sharing PostgreSQL and Redis, with two email workers, as behind a load balancer.

Respondents are spread across both servers (each request of a journey to the next server in turn, a fifth pressing
Submit on both servers at once). Afterwards: every reference shown on a confirmation page is stored, nothing is
stored twice; one address sending more than the Submit limit is refused on whichever server it reaches; and the two
workers (one killed with SIGKILL half way, as a crashed machine) send each receipt exactly once.

Call scale_part(call_slug) from bench/run.py once review_bench is migrated and holds an open call.
Knobs: BENCH_SCALE_RESPONDENTS [40], BENCH_SCALE_CONCURRENCY [8], BENCH_SCALE_LIMIT [3] Submits per address.
"""

import os
import re
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from urllib.parse import urljoin

import requests
from journey import REFERENCE, FormParser, fill
from server import GUNICORN, PORT, PYTHON, RESULTS, ROOT, Gunicorn, bench_sql, django_env, log

RESPONDENTS = int(os.environ.get("BENCH_SCALE_RESPONDENTS", "40"))
CONCURRENCY = int(os.environ.get("BENCH_SCALE_CONCURRENCY", "8"))
LIMIT = int(os.environ.get("BENCH_SCALE_LIMIT", "3"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
EMAILS = RESULTS / "scale-emails"
# Short, so the job of the worker killed half way is sent again within the bench.
LEASE_SECONDS = 10


def ensure_redis():
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True, text=True)
    if ping.stdout.strip() == "PONG":
        return
    os.makedirs("/var/lib/redis", exist_ok=True)
    os.makedirs("/var/log/redis", exist_ok=True)
    subprocess.run(
        "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no "
        "--dir /var/lib/redis --logfile /var/log/redis/bench.log",
        shell=True,
        check=True,
    )
    for _ in range(50):
        if subprocess.run(["redis-cli", "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
            return
        time.sleep(0.2)
    raise RuntimeError("Redis did not start")


class Server(Gunicorn):
    """The bench's gunicorn (2 workers) on a port of its own, with the scale settings (Redis, Submit limit)."""

    def __init__(self, name, port, env):
        super().__init__(RESULTS / f"scale-{name}.log")
        self.port = port
        self.env = env
        self.base = f"http://127.0.0.1:{port}"

    def start(self):
        env = django_env(
            WEB_CONCURRENCY="2",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_MAX_REQUESTS="0",
            GUNICORN_ACCESS_LOG=str(self.access_log),
            GUNICORN_LOG_LEVEL="warning",
        )
        env.update(self.env)
        self.log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py", "review_site.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200 and len(self.worker_pids()) >= 2:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn on {self.base} did not answer /healthz within 60 s")


class Respondent:
    """One browser; the load balancer sends each of its requests to the next server in turn."""

    def __init__(self, number, servers, call_slug, address):
        self.number = number
        self.servers = servers
        self.call_slug = call_slug
        self.session = requests.Session()
        self.session.headers["X-Forwarded-For"] = address
        self.turn = number

    def server(self):
        self.turn += 1
        return self.servers[self.turn % len(self.servers)]

    def request(self, method, path, **kwargs):
        return self.session.request(method, self.server() + path, timeout=30, allow_redirects=False, **kwargs)

    def follow(self, response):
        while response.is_redirect:
            response = self.request("GET", response.headers["Location"])
        return response

    def walk_to_check(self):
        page = self.follow(self.request("GET", f"/calls/{self.call_slug}/respond/"))
        for _ in range(12):
            if page.status_code != 200:
                raise RuntimeError(f"{page.url} answered {page.status_code}")
            path = "/" + page.url.split("/", 3)[3]
            if path.rstrip("/").endswith("check-your-answers"):
                return page
            forms = [f for f in self._forms(page) if f["method"] == "post"]
            action = urljoin(path, forms[0]["action"]) if forms[0]["action"] else path
            response = self.request("POST", action, data=fill(forms[0], self.number))
            if response.status_code == 200:
                raise RuntimeError(f"{path} refused the answers")
            page = self.follow(response)
        raise RuntimeError("the journey did not reach check your answers")

    @staticmethod
    def _forms(page):
        parser = FormParser()
        parser.feed(page.text)
        return parser.forms

    def submit(self, check, both=False):
        """Press Submit (on both servers at once when `both`); return the statuses and references shown."""
        form = next(f for f in self._forms(check) if f["action"].rstrip("/").endswith("submit"))
        data = fill(form, self.number)
        path = "/" + urljoin(check.url, form["action"]).split("/", 3)[3]

        def press(server):
            response = self.session.post(server + path, data=data, timeout=30, allow_redirects=False)
            if response.status_code != 302:
                return response.status_code, None
            confirmation = self.session.get(server + response.headers["Location"], timeout=30)
            match = REFERENCE.search(confirmation.text)
            return 302, unescape(match.group(1)).strip() if match else None

        if both:
            with ThreadPoolExecutor(2) as pool:
                return list(pool.map(press, self.servers))
        return [press(self.server())]


def start_worker(name, env):
    log_file = open(RESULTS / f"scale-{name}.log", "ab")  # noqa: SIM115 - closed by stop_worker
    process = subprocess.Popen(
        [PYTHON, "manage.py", "run_worker", "--name", name, "--poll", "0.5"],
        cwd=ROOT,
        env=django_env(**env),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log_file = log_file
    return process


def stop_worker(process, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log_file.close()


REFERENCE_TEXT = re.compile(r"\b[A-Z]+-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def receipts_in_files():
    """Reference -> how many receipt emails carry it.

    Django's file backend ends each email with a line of 79 dashes; two processes can pick the same file name
    (same second, same forked object id) and append to one file, so emails are counted by that line, not by file.
    """
    counts = {}
    for path in EMAILS.glob("*.log"):
        for email in path.read_text(errors="replace").split("-" * 79 + "\n"):
            for reference in set(REFERENCE_TEXT.findall(email)):
                counts[reference] = counts.get(reference, 0) + 1
    return counts


def scale_part(call_slug):
    if not call_slug:
        return {"status": "not measured: no open call to answer"}
    ensure_redis()
    EMAILS.mkdir(parents=True, exist_ok=True)
    for old in EMAILS.glob("*.log"):
        old.unlink()
    env = {
        "DJANGO_SETTINGS_MODULE": "scale_settings",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"bench-scale-{uuid.uuid4().hex[:8]}",
        "RESPONSE_RATE_LIMIT": f"{LIMIT}/h",
        "EMAIL_FILE_PATH": str(EMAILS),
        "EMAIL_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "EMAIL_WORKER_POLL_SECONDS": "1",
    }
    servers = [Server("a", PORT + 1, env), Server("b", PORT + 2, env)]
    workers = []
    started_at = bench_sql("SELECT now()")[0][0]
    # Receipts of the earlier parts, queued while no worker ran: the workers send these first.
    backlog = bench_sql("SELECT count(*) FROM outbox_emailjob WHERE status = 'ready'")[0][0]
    result = {}
    try:
        for server in servers:
            server.start()
        bases = [s.base for s in servers]
        log(f"two servers ({', '.join(bases)}) sharing PostgreSQL and Redis; two email workers")
        workers = [start_worker("worker-1", env), start_worker("worker-2", env)]

        acknowledged, statuses, failures, double_mismatch = set(), {}, [], 0
        lock = threading.Lock()

        def respond(n):
            nonlocal double_mismatch
            respondent = Respondent(n, bases, call_slug, f"10.{n // 250}.{n % 250}.1")
            try:
                outcome = respondent.submit(respondent.walk_to_check(), both=n % 5 == 0)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    failures.append(f"respondent {n}: {exc}"[:200])
                return
            with lock:
                for status, reference in outcome:
                    statuses[status] = statuses.get(status, 0) + 1
                    if reference:
                        acknowledged.add(reference)
                if len({reference for _, reference in outcome}) > 1:
                    double_mismatch += 1

        began = time.monotonic()
        journeys_over = threading.Event()
        killed = {}

        def kill_worker_mid_send():
            """A crashed machine: SIGKILL worker-1 the moment it holds a claimed receipt (or at the end)."""
            while not journeys_over.is_set():
                held = bench_sql("SELECT id FROM outbox_emailjob WHERE status = 'running' AND locked_by = 'worker-1'")
                if held:
                    break
                time.sleep(0.002)
            os.killpg(workers[0].pid, signal.SIGKILL)
            killed["held"] = len(held or [])
            killed["after_s"] = round(time.monotonic() - began, 1)

        killer = threading.Thread(target=kill_worker_mid_send, daemon=True)
        killer.start()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(respond, range(1, RESPONDENTS + 1)))
        journeys_s = time.monotonic() - began
        journeys_over.set()
        killer.join(timeout=30)

        # One address over the Submit limit, alternating servers: the limit is one count, not one per server.
        spammer = [Respondent(10_000 + i, bases, call_slug, "203.0.113.66") for i in range(LIMIT + 2)]
        limit_statuses = []
        for i, respondent in enumerate(spammer):
            respondent.turn = i  # Submit i goes to server i % 2
            (outcome,) = respondent.submit(respondent.walk_to_check())
            limit_statuses.append(outcome[0])
            if outcome[1]:
                acknowledged.add(outcome[1])

        rows = bench_sql(
            "SELECT reference, journey_token, email, submitted_at, receipt_sent_at FROM submissions_submission "
            "WHERE submitted_at >= %s",
            (started_at,),
        )
        stored = {r[0] for r in rows}
        with_email = {r[0] for r in rows if r[2]}
        deadline = time.monotonic() + LEASE_SECONDS + 180
        # Until every receipt of this part has arrived (the files also hold the earlier parts' receipts).
        while time.monotonic() < deadline and not with_email <= set(receipts_in_files()):
            time.sleep(0.5)
        time.sleep(2)  # a duplicate sent late would show by now
        receipts = receipts_in_files()
        rows = bench_sql(
            "SELECT s.reference, s.submitted_at, s.receipt_sent_at FROM submissions_submission s "
            "WHERE s.submitted_at >= %s AND s.email <> ''",
            (started_at,),
        )
        lags = sorted((r[2] - r[1]).total_seconds() for r in rows if r[2])
        jobs = dict(
            bench_sql(
                "SELECT j.status, count(*) FROM outbox_emailjob j JOIN submissions_submission s "
                "ON s.id = j.submission_id WHERE s.submitted_at >= %s GROUP BY j.status",
                (started_at,),
            )
        )
        retaken = bench_sql(
            "SELECT count(*) FROM outbox_emailjob j JOIN submissions_submission s ON s.id = j.submission_id "
            "WHERE s.submitted_at >= %s AND j.attempts > 1",
            (started_at,),
        )[0][0]
        tokens = len({r[1] for r in bench_sql("SELECT reference, journey_token FROM submissions_submission")})
        total = bench_sql("SELECT count(*) FROM submissions_submission")[0][0]
        expected_limit = [302] * LIMIT + [429] * 2
        result = {
            "respondents": RESPONDENTS,
            "concurrency": CONCURRENCY,
            "journeys_s": round(journeys_s, 1),
            "failures": failures[:10],
            "journeys_failed": len(failures),
            "submit_statuses": {str(k): v for k, v in sorted(statuses.items())},
            "double_submit_different_references": double_mismatch,
            "acknowledged": len(acknowledged),
            "stored": len(stored),
            "lost": len(acknowledged - stored),
            "stored_never_acknowledged": len(stored - acknowledged),
            "duplicated_journeys": total - tokens,
            "limit_statuses": limit_statuses,
            "receipts_backlog_at_start": backlog,
            "receipts_expected": len(with_email),
            "receipts_sent_once": sum(1 for r in with_email if receipts.get(r) == 1),
            "receipts_sent_twice_or_more": sum(1 for r in with_email if receipts.get(r, 0) > 1),
            "receipts_missing": sum(1 for r in with_email if r not in receipts),
            "jobs": {str(k): v for k, v in jobs.items()},
            "jobs_taken_over_after_a_crash": retaken,
            "receipt_lag_p50_s": round(lags[len(lags) // 2], 2) if lags else None,
            "receipt_lag_max_s": round(lags[-1], 2) if lags else None,
        }
        ok_store = (
            result["lost"] == 0
            and result["stored_never_acknowledged"] == 0
            and result["duplicated_journeys"] == 0
            and double_mismatch == 0
            and not failures
        )
        # At least once, by design: a receipt whose worker died after the mail server took it but before the
        # worker recorded it is sent again by the next worker. Only the one in flight at the kill may be twice.
        in_flight = killed.get("held", 0)
        ok_receipts = (
            len(with_email) > 0
            and result["receipts_missing"] == 0
            and result["receipts_sent_twice_or_more"] <= in_flight
        )
        result["worker_killed_holding_jobs"] = in_flight
        result["worker_killed_after_s"] = killed.get("after_s")
        result["rows"] = [
            (
                "two servers",
                f"{RESPONDENTS} respondents spread over 2 gunicorn servers (Redis, PostgreSQL), "
                f"{CONCURRENCY} at a time, in {result['journeys_s']} s; {len(failures)} journeys failed",
                "",
                None,
            ),
            (
                "stored = acknowledged",
                f"{len(stored)} stored, {len(acknowledged)} acknowledged: lost {result['lost']}, stored "
                f"unacknowledged {result['stored_never_acknowledged']}, duplicated {result['duplicated_journeys']}, "
                f"double Submits across servers with two references {double_mismatch}",
                "0 lost, 0 dup",
                ok_store,
            ),
            (
                "shared rate limit",
                f"one address, Submits alternating servers, limit {LIMIT}/h: {limit_statuses}",
                f"{expected_limit}",
                limit_statuses == expected_limit,
            ),
            (
                "receipts by 2 workers",
                f"{result['receipts_sent_once']} of {len(with_email)} sent exactly once, "
                f"{result['receipts_sent_twice_or_more']} more than once, {result['receipts_missing']} missing; "
                f"worker-1 killed (SIGKILL) at {killed.get('after_s')} s holding {in_flight} job(s), "
                f"{retaken} taken over after the {LEASE_SECONDS} s lease; "
                f"{backlog} receipts from the earlier parts sent first; "
                f"lag p50 {result['receipt_lag_p50_s']} s, max {result['receipt_lag_max_s']} s",
                "each once (the one in flight at the kill: at least once)",
                ok_receipts,
            ),
        ]
        for label, value, target, ok in result["rows"]:
            log(f"SCALE {label}: {value} [{target}] {'' if ok is None else ('ok' if ok else 'MISSED')}")
    finally:
        for process in workers:
            stop_worker(process)
        for server in servers:
            server.stop()
    return result


def standalone():
    """`python bench/scale_bench.py`: this part alone, on a database of its own (BENCH_SCALE_DB, dropped after)."""
    import json

    import server

    server.DB_NAME = os.environ.get("BENCH_SCALE_DB", "review_bench_scale")
    server.DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{server.DB_NAME}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    server.ensure_postgres()
    server.create_database()
    try:
        server.manage("migrate", "--noinput")
        server.manage("createcachetable")
        server.manage("load_demo_content")
        result = scale_part(server.probe("targets")["open_call_slug"])
    finally:
        if os.environ.get("BENCH_KEEP_DB") != "1":
            server.drop_database()
    result.pop("rows", None)
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    standalone()
