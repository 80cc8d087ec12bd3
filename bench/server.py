"""The bench's own PostgreSQL database and gunicorn server, on 127.0.0.1 only."""

import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DB_NAME = "review_bench"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = int(os.environ.get("BENCH_PORT", "8150"))
BASE = f"http://127.0.0.1:{PORT}"
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
# gunicorn's usual line plus the time the worker spent on the request (ms): server time apart from queueing.
ACCESS_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)s'
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ (?P<ms>\d+)$')


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def django_env(**extra):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="review_site.settings.bench",
        DATABASE_URL=DATABASE_URL,
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
    )
    env.update(extra)
    return env


def manage(*args, timeout=300, check=True):
    """Run a manage.py command with the bench settings; returns the completed process."""
    proc = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=django_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc


def probe(*args, timeout=300, **env):
    proc = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "probe.py"), *args],
        cwd=ROOT,
        env=django_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"probe {args[0]} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def has_command(name):
    return bool(glob.glob(str(ROOT / "*" / "management" / "commands" / f"{name}.py")))


# PostgreSQL


def ensure_postgres():
    """Start the local cluster if it is down (bounded: 30 s)."""
    try:
        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return
    except psycopg.OperationalError:
        pass
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        raise RuntimeError("PostgreSQL is not running and no local cluster was found in /etc/postgresql")
    log(f"starting PostgreSQL {versions[-1]}")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=True, timeout=60
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            psycopg.connect(PG_ADMIN, connect_timeout=3).close()
            return
        except psycopg.OperationalError:
            time.sleep(0.5)
    raise RuntimeError("PostgreSQL did not come up within 30 s")


def admin_sql(sql, params=None):
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else None


def bench_sql(sql, params=None):
    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else None


def terminate_connections():
    """Kill every connection to the bench database but our own: what a database failover looks like."""
    rows = admin_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (DB_NAME,),
    )
    return len(rows or [])


def create_database():
    drop_database()
    admin_sql(f'CREATE DATABASE "{DB_NAME}"')


def drop_database():
    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


# gunicorn


class Gunicorn:
    def __init__(self, log_path):
        self.log_path = log_path
        self.proc = None

    def start(self, **env):
        with socket.socket() as probe_socket:
            if probe_socket.connect_ex(("127.0.0.1", PORT)) == 0:
                raise RuntimeError(f"127.0.0.1:{PORT} is already in use: set BENCH_PORT to a free port (8100-8199)")
        env = django_env(
            WEB_CONCURRENCY=str(WORKERS),
            GUNICORN_BIND=f"127.0.0.1:{PORT}",
            # Recycling workers mid-run would measure Django's start-up, not the pages; off for the bench.
            GUNICORN_MAX_REQUESTS="0",
            GUNICORN_ACCESS_LOG=str(self.access_log),
            GUNICORN_LOG_LEVEL="warning",
            **env,
        )
        self.log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py", "--access-logformat", ACCESS_FORMAT, "review_site.wsgi"],
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
                # Every worker must be up, not just the first, before anything is timed.
                healthy = requests.get(f"{BASE}/healthz", timeout=2).status_code == 200
                if healthy and len(self.worker_pids()) >= WORKERS:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    @property
    def access_log(self):
        return self.log_path.with_suffix(".access.log")

    def access_log_size(self):
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def server_times(self, since, method, path_suffix):
        """Milliseconds the workers spent on matching requests logged after byte offset `since`."""
        times = []
        with open(self.access_log, "rb") as log_file:
            log_file.seek(since)
            for raw in log_file:
                match = ACCESS_LINE.search(raw.decode("utf-8", "replace").rstrip())
                if match and match["method"] == method and match["path"].split("?")[0].endswith(path_suffix):
                    times.append(int(match["ms"]))
        return times

    def worker_pids(self):
        if self.proc is None:
            return []
        pids = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.append(int(stat.split("/")[2]))
        return pids

    @staticmethod
    def rss_kb(pid):
        """(current RSS, peak RSS) of a process in KiB."""
        values = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
        return values.get("VmRSS", 0), values.get("VmHWM", 0)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log_file.close()


def python_version():
    return sys.version.split()[0]
