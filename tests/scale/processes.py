"""Real server and worker processes for the scale tests, sharing one database file and one cache.

Not pytest-django's test database: the processes could not see its uncommitted rows. Each module gets its own
SQLite file, migrated here; the cache is Redis when REDIS_URL is set, else that database's cache table.
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from .s3 import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class Site:
    def __init__(self, folder, **extra_env):
        self.folder = folder
        self.database = folder / "db.sqlite3"
        self.emails = folder / "emails"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.scale.settings",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "PRIVATE_STORAGE_ROOT": str(folder / "private"),
            "EMAIL_FILE_PATH": str(self.emails),
            "CACHE_KEY_PREFIX": f"scale-test-{uuid.uuid4().hex}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "2",
            "PYTHONPATH": str(ROOT),
            **extra_env,
        }
        self.processes = []

    def manage(self, *args):
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            timeout=300,
            capture_output=True,
            text=True,
        ).stdout

    def set_up(self, call_code):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        return self.manage("shell", "-c", call_code).strip().splitlines()[-1]

    def start_server(self, name):
        port = free_port()
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "review_site.wsgi"],
            cwd=ROOT,
            env={**self.env, "GUNICORN_ACCESS_LOG": str(self.folder / f"{name}-access.log")},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append((process, log))
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            if process.poll() is not None:
                break
            try:
                if requests.get(url + "/healthz", timeout=1).status_code == 200:
                    return url
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not start:\n" + (self.folder / f"{name}.log").read_text()[-3000:])

    def start_worker(self, name):
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [str(BIN / "python"), "manage.py", "run_worker", "--poll", "0.2", "--name", name],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append((process, log))
        return process

    def query(self, sql, *params):
        with sqlite3.connect(self.database, timeout=10) as db:
            return db.execute(sql, params).fetchall()

    def sent_emails(self):
        """Every email the file backend wrote. Two processes can pick the same file name (the same second and a
        forked object's id()), and then share the file: split it at the line the backend writes after each email."""
        if not self.emails.exists():
            return []
        emails = []
        for path in sorted(self.emails.glob("*.log")):
            emails.extend(part for part in path.read_text().split(EMAIL_END) if part.strip())
        return emails

    def stop(self):
        for process, _log in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, log in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


EMAIL_END = "-" * 79 + "\n"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
JOURNEY_TOKEN = re.compile(r'name="journey_token" value="([^"]+)"')
QUESTION = re.compile(r'name="(q_\d+)"')
REFERENCE = re.compile(r'class="review-reference">([^<]+)<')


class Respondent:
    """One person's browser: one cookie jar, whichever server the load balancer sends each request to."""

    def __init__(self, slug, address):
        self.slug = slug
        self.session = requests.Session()
        # The load balancer in front appends the address it saw (RESPONSE_TRUSTED_PROXY_COUNT=1).
        self.session.headers["X-Forwarded-For"] = address

    def path(self, step):
        return f"/calls/{self.slug}/respond/{step}"

    def get(self, server, step):
        response = self.session.get(server + self.path(step), timeout=30, allow_redirects=False)
        assert response.status_code == 200, (step, response.status_code)
        return response.text

    def post(self, server, step, data, page=None):
        """Post a step's form as a browser would, with the CSRF token from the page (fetched from `page`)."""
        html = self.get(page or server, step)
        data = {"csrfmiddlewaretoken": CSRF.search(html).group(1), **data}
        return self.session.post(server + self.path(step), data=data, timeout=30, allow_redirects=False)

    def walk_to_check(self, servers):
        """Each step through the next server in turn: the answers live in the shared session store."""
        a, b = servers
        assert (
            self.post(
                a, "about-you/", {"respondent_type": "carer", "email": f"{uuid.uuid4().hex}@example.org"}, page=b
            ).status_code
            == 302
        )
        question = QUESTION.search(self.get(b, "your-answers/")).group(1)
        assert self.post(a, "your-answers/", {question: "Keep brothers and sisters together."}).status_code == 302
        response = self.post(b, "publishing/", {"publication": "anonymous", "consent": "on"}, page=a)
        assert response.status_code == 302
        check = self.get(a, "check-your-answers/")
        assert "Keep brothers and sisters together." in check
        return check

    def submit(self, server, check_page):
        data = {
            "csrfmiddlewaretoken": CSRF.search(check_page).group(1),
            "journey_token": JOURNEY_TOKEN.search(check_page).group(1),
        }
        return self.session.post(server + self.path("submit/"), data=data, timeout=30, allow_redirects=False)

    def reference(self, server):
        page = self.get(server, "confirmation/")
        return REFERENCE.search(page).group(1).strip()
