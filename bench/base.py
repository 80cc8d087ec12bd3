"""What every part of the bench shares: its database (PostgreSQL, or a SQLite file), its settings, its gunicorn, a
log line."""

import json
import os
import sqlite3
import subprocess
import sys
import time

import psycopg

from tests.scale.processes import ROOT, Gunicorn

RESULTS = ROOT / "bench" / "results"
DB_NAME = os.environ.get("BENCH_DB", "review_bench")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_URL = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
SQLITE_PATH = RESULTS / f"{DB_NAME}.sqlite3"
PORT = int(os.environ.get("BENCH_PORT", "8150"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
# The pass under way (bench.run measures one pass per database in BENCH_DATABASES): its database, and what its
# processes' environment changes (the SQLite pass uses the database cache).
current = {"engine": "postgresql", "env": {}}


def database_url():
    return POSTGRES_URL if current["engine"] == "postgresql" else f"sqlite:///{SQLITE_PATH}"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def django_env(**extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": database_url(), **current["env"]}
    return {**env, "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"), **extra}


def run(command, env, timeout):
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:4])} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc.stdout


def manage(*args, timeout=300):
    return run([sys.executable, "manage.py", *args], django_env(), timeout)


def probe(*args, timeout=300, **env):
    """bench/probe.py in a process of its own with the bench settings; returns the JSON it printed last."""
    out = run([sys.executable, "-m", "bench.probe", *args], django_env(**env), timeout)
    return json.loads(out.strip().splitlines()[-1])


def server(name="gunicorn", port=PORT, workers=WORKERS, **env):
    """The bench's gunicorn: gunicorn.conf.py with the bench settings, logs in bench/results/."""
    return Gunicorn(django_env(**env), RESULTS / f"{name}.log", port=port, workers=workers)


def ensure_postgres():
    """Start the local cluster if it is down (bounded: 30 s)."""
    for attempt in range(61):
        try:
            psycopg.connect(PG_ADMIN, connect_timeout=3).close()
            return
        except psycopg.OperationalError:
            if attempt == 0:
                versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
                if not versions:
                    raise
                log(f"starting PostgreSQL {versions[-1]}")
                command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"]
                subprocess.run(command, check=True, timeout=60)
            time.sleep(0.5)
    raise RuntimeError("PostgreSQL did not come up within 30 s")


def sql(query, params=None, url=None):
    """Rows of a query on the pass's database (plain SQL both databases read alike), or on `url`."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        try:
            return conn.execute(query, params or ()).fetchall()
        finally:
            conn.close()
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if cur.description else None


def create_database():
    drop_database()
    if current["engine"] == "postgresql":
        sql(f'CREATE DATABASE "{DB_NAME}"', url=PG_ADMIN)


def drop_database():
    if current["engine"] == "postgresql":
        sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)', url=PG_ADMIN)
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            SQLITE_PATH.with_name(SQLITE_PATH.name + suffix).unlink(missing_ok=True)


def terminate_connections():
    """Kill every connection to the bench database but our own: what a database failover looks like."""
    query = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    return len(sql(query, (DB_NAME,), url=PG_ADMIN) or [])


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))]
