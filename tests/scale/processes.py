"""Real processes, shared by the scale tests and `make bench`: gunicorn servers, email workers, and a respondent's
browser walking the response journey over HTTP.

Needs only what the test suite installs (requests); the bench imports it from the repository root.
"""

import glob
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# gunicorn's usual line plus the time the worker spent on the request (ms): server time apart from queueing.
ACCESS_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)s'
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ (?P<ms>\d+)$')
EMAIL_END = "-" * 79 + "\n"  # what Django's file backend writes after each email
REFERENCE = re.compile(r'class="review-reference">([^<]+)<')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, seconds=90, every=0.1):
    """Poll until `condition()` is true (generous: fresh processes start Django on a machine that may be busy)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def _stop(process, sig=signal.SIGTERM, timeout=30):
    """Signal a process started here and wait; if it hangs, kill its whole session (gunicorn's workers too).
    Returns its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    process.log_file.close()
    return process.returncode


def _path(url, ref):
    """The path (and query) `ref` leads to from `url`: requests go to whichever server comes next."""
    parts = urlsplit(urljoin(url, ref))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _spawn(command, env, log_path):
    log_file = open(log_path, "ab")  # noqa: SIM115 - closed by _stop
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    process.log_file = log_file
    return process


class Gunicorn:
    """The project's gunicorn.conf.py on 127.0.0.1, started for real; ready once every worker is up."""

    def __init__(self, env, log_path, *, port=None, workers=2):
        self.env, self.log_path, self.workers = env, Path(log_path), workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = self.log_path.with_suffix(".access.log")
        self.proc = None

    def start(self, **env):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"127.0.0.1:{self.port} is already in use")
        env = {
            **self.env,
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            # Recycling workers mid-run would measure Django's start-up, not the pages.
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": str(self.access_log),
            "GUNICORN_LOG_LEVEL": "warning",
            **env,
        }
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logformat", ACCESS_FORMAT]
        self.proc = _spawn([*command, "review_site.wsgi"], env, self.log_path)

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            try:
                healthy = requests.get(self.url + "/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return False
            return healthy and len(self.worker_pids()) >= self.workers

        if not wait_until(up, 90, 0.2):
            self.stop()
            raise RuntimeError(f"gunicorn on {self.url} did not start; see {self.log_path}")
        return self.url

    def stop(self):
        if self.proc is not None:
            _stop(self.proc, timeout=40)
            self.proc = None

    def worker_pids(self):
        pids = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                parent = int(Path(stat).read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if self.proc is not None and parent == self.proc.pid:
                pids.append(int(stat.split("/")[2]))
        return pids

    @staticmethod
    def peak_rss_kb(pid):
        status = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"^VmHWM:\s+(\d+)", status, re.M).group(1))

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


class Workers:
    """`manage.py run_worker` processes that start together: each sets Django up and connects to the database,
    says it is ready (a file), and waits for the go; so every one is running before any claims an email."""

    def __init__(self, env, folder, names, poll=0.2):
        folder = Path(folder)
        self.go = folder / "workers.go"
        self.go.unlink(missing_ok=True)
        self.processes = {}
        for name in names:
            ready = folder / f"{name}.ready"
            ready.unlink(missing_ok=True)
            command = [sys.executable, "-m", "tests.scale.worker_process", str(ready), str(self.go)]
            command += ["--name", name, "--poll", str(poll)]
            self.processes[name] = _spawn(command, env, folder / f"{name}.log")
            self.processes[name].ready = ready
        for name, process in self.processes.items():
            if not wait_until(lambda p=process: p.ready.exists() or p.poll() is not None, 90):
                raise RuntimeError(f"worker {name} did not get ready")
            if process.poll() is not None:
                raise RuntimeError(f"worker {name} exited: {(folder / f'{name}.log').read_text()[-3000:]}")
        self.go.touch()

    def kill(self, name, sig=signal.SIGKILL):
        os.killpg(self.processes[name].pid, sig)

    def stop(self):
        """SIGTERM, as a service manager stops them: each finishes the email in hand. Returns the exit codes."""
        return {name: _stop(process) for name, process in self.processes.items()}


def sent_emails(folder):
    """Every email Django's file backend wrote to `folder`. Two processes can pick the same file name (the same
    second and a forked object's id()) and share a file: split at the line the backend writes after each email."""
    emails = []
    for path in sorted(Path(folder).glob("*.log")):
        emails.extend(part for part in path.read_text(errors="replace").split(EMAIL_END) if part.strip())
    return emails


class FormParser(HTMLParser):
    """Every <form> on a page: its action, and its fields as a browser would send them."""

    def __init__(self, html):
        super().__init__()
        self.forms, self._form, self._field = [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            default = {"input": "text", "button": "submit"}.get(tag, tag)
            self._field = {
                "tag": tag,
                "type": (a.get("type") or default).lower(),
                "name": a.get("name"),
                "value": a.get("value") or "",
                "options": [],
            }
            self._form["fields"].append(self._field)
        elif tag == "option" and self._field is not None and self._field["tag"] == "select":
            self._field["options"].append(a.get("value", ""))

    def handle_data(self, data):
        if self._field is not None and self._field["tag"] == "textarea":
            self._field["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag in ("textarea", "select"):
            self._field = None


def fill(form, number):
    """What a respondent sends: every question answered plainly, the honeypot left empty, consent given."""
    data, radios = {}, {}
    for field in form["fields"]:
        name, kind = field["name"], field["type"]
        if not name or name == "website" or field["tag"] == "button" or kind in ("file", "submit", "button", "image"):
            continue
        if kind == "hidden":
            data[name] = field["value"]
        elif kind == "radio":
            radios.setdefault(name, []).append(field["value"])
        elif kind == "checkbox":
            data.setdefault(name, field["value"] or "on")  # consent given; of several choices, the first
        elif kind == "email" or "email" in name:
            data[name] = f"respondent{number}@example.org"
        elif kind == "select":
            data[name] = next((o for o in field["options"] if o), "")
        elif "name" in name:
            data[name] = field["value"] or f"Respondent {number}"
        else:
            data[name] = field["value"].strip() or f"A plain answer from respondent {number}."
    for name, values in radios.items():
        # Not an organisation (that needs one more field).
        data[name] = ([v for v in values if "organisation" not in v] or values)[0]
    if any(f["tag"] == "button" and f["name"] == "action" and f["value"] == "continue" for f in form["fields"]):
        data["action"] = "continue"
    return data


def error_summary(html):
    found = re.findall(r"govuk-error-summary__list.*?</ul>", html, re.S)
    return re.sub(r"<[^>]+>", " ", found[0])[:300] if found else html[:200]


Press = namedtuple("Press", "status reference text")


class Respondent:
    """One person's browser (one cookie jar) walking a call's response journey over HTTP, CSRF tokens and all:
    about you, answers, files, publication, check your answers, Submit.

    Each request goes to the next of `servers` in turn, as a load balancer would send it; `address` is sent as
    X-Forwarded-For, the address the balancer saw. A dropped connection is tried once more; `patience` more tries
    follow a 5xx or a drop, RETRY_PAUSE apart, as a person presses again after "Sorry, the service is unavailable".
    `on_response(kind, status, seconds, body)` sees every answer (status 0: no answer).
    """

    RETRY_PAUSE = 1.0

    def __init__(self, servers, slug, number=1, *, address=None, patience=0, think=0.0, on_response=None):
        self.servers = [servers] if isinstance(servers, str) else list(servers)
        self.slug, self.number, self.patience, self.think = slug, number, patience, think
        self.on_response = on_response or (lambda *args: None)
        self.turn = number
        self.lock = threading.Lock()
        self.session = requests.Session()
        if address:
            self.session.headers["X-Forwarded-For"] = address

    def next_server(self):
        with self.lock:
            self.turn += 1
            return self.servers[self.turn % len(self.servers)]

    def request(self, method, path, kind, server=None, **kwargs):
        if server in self.servers:
            with self.lock:
                self.turn = self.servers.index(server)  # the request after it goes to the next server
        drops = errors = 0
        while True:
            started = time.monotonic()
            try:
                response = self.session.request(
                    method, (server or self.next_server()) + path, timeout=30, allow_redirects=False, **kwargs
                )
            except requests.RequestException:
                self.on_response(kind, 0, time.monotonic() - started, None)
                drops += 1
                if drops + errors > max(1, self.patience):
                    raise
                time.sleep(self.RETRY_PAUSE if self.patience else 0)
                continue
            self.on_response(kind, response.status_code, time.monotonic() - started, response.text)
            if response.status_code < 500 or drops + errors >= self.patience:
                return response
            errors += 1
            time.sleep(self.RETRY_PAUSE)

    def follow(self, response, kind):
        for _ in range(5):
            if not response.is_redirect:
                break
            response = self.request("GET", _path(response.url, response.headers["Location"]), kind)
        return response

    def pause(self):
        if self.think:
            time.sleep(random.uniform(0.5, 1.5) * self.think)

    def walk_to_check(self):
        """Answer every step (each on the next server); return the check your answers page."""
        page = self.follow(self.request("GET", f"/calls/{self.slug}/respond/", "start"), "start")
        for _ in range(12):
            path = urlsplit(page.url).path
            if page.status_code != 200:
                raise RuntimeError(f"{path} answered {page.status_code}")
            if path.endswith("/check-your-answers/"):
                return page
            form = next((f for f in FormParser(page.text).forms if f["method"] == "post"), None)
            if form is None:
                raise RuntimeError(f"no form on {path}")
            self.pause()
            response = self.request("POST", _path(page.url, form["action"]), "step", data=fill(form, self.number))
            if response.status_code == 200:
                raise RuntimeError(f"{path} refused the answers: {error_summary(response.text)}")
            page = self.follow(response, "step")
        raise RuntimeError("the journey did not reach check your answers")

    def submit(self, check, servers=None):
        """Press Submit on each of `servers` at once (two: a double click; default: the next server). For each
        press: its status, the reference on the confirmation page it led to, and that page's (or the refusal's)
        text."""
        form = next(f for f in FormParser(check.text).forms if f["action"].rstrip("/").endswith("submit"))
        path, data = _path(check.url, form["action"]), fill(form, self.number)
        self.pause()

        def press(server):
            response = self.request("POST", path, "submit", server=server, data=data)
            if not response.is_redirect:
                return Press(response.status_code, None, response.text)
            page = self.follow(response, "confirmation")
            match = REFERENCE.search(page.text)
            return Press(response.status_code, unescape(match.group(1)).strip() if match else None, page.text)

        servers = servers or [self.next_server()]
        with ThreadPoolExecutor(len(servers)) as pool:
            return list(pool.map(press, servers))


class Site:
    """The scale tests' site: servers and workers sharing one migrated SQLite file (not pytest-django's database,
    whose uncommitted rows they could not see) and one cache (Redis when REDIS_URL is set, else that file's)."""

    def __init__(self, folder, **extra_env):
        self.folder = Path(folder)
        self.database, self.emails = self.folder / "db.sqlite3", self.folder / "emails"
        self.send_times = self.folder / "send-times.txt"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.scale.settings",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "PRIVATE_STORAGE_ROOT": str(self.folder / "private"),
            "EMAIL_FILE_PATH": str(self.emails),
            "EMAIL_SEND_TIMES": str(self.send_times),
            "CACHE_KEY_PREFIX": f"scale-test-{os.getpid()}-{time.monotonic_ns()}",
            "GUNICORN_THREADS": "2",
            **extra_env,
        }
        self.servers, self.workers = [], []

    def manage(self, *args):
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(command, cwd=ROOT, env=self.env, check=True, timeout=300, capture_output=True, text=True)

    def set_up(self, code):
        """Migrate the database, then run `code` in `manage.py shell`; returns the last line it printed."""
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        return self.manage("shell", "-c", code).stdout.strip().splitlines()[-1]

    def start_server(self, name):
        self.servers.append(Gunicorn(self.env, self.folder / f"{name}.log"))
        return self.servers[-1].start()

    def start_workers(self, *names):
        self.workers.append(Workers(self.env, self.folder, names))
        return self.workers[-1]

    def query(self, sql, *params):
        with sqlite3.connect(self.database, timeout=10) as db:
            return db.execute(sql, params).fetchall()

    def sent_emails(self):
        return sent_emails(self.emails)

    def stop(self):
        for workers in self.workers:
            workers.stop()
        for server in self.servers:
            server.stop()
