"""Respondents answering a call at once, driven through the real pages with requests (CSRF tokens and all).

Part "journey": BENCH_RESPONDENTS people for BENCH_JOURNEY_SECONDS, a fifth of them pressing Submit twice (two
posts at once, as a double click sends them). Part "faults": the same while every database connection is killed
a few times. Afterwards the references shown on confirmation pages must be exactly the responses stored.
"""

import os
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests
from server import BASE, ROOT, bench_sql, log, terminate_connections

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "50"))
JOURNEY_SECONDS = int(os.environ.get("BENCH_JOURNEY_SECONDS", "60"))
ALONE_SECONDS = int(os.environ.get("BENCH_ALONE_SECONDS", "10"))
FAULT_SECONDS = int(os.environ.get("BENCH_FAULT_SECONDS", "40"))
FAULT_KILLS = int(os.environ.get("BENCH_FAULT_KILLS", "3"))
# A pause between pages, as a person reads and types (shortened: a real one takes minutes).
THINK_SECONDS = float(os.environ.get("BENCH_THINK_SECONDS", "2"))
# A person pressing again after "Sorry, the service is unavailable" (the 503 page asks them to).
RETRY_PAUSE = 1.0
MAX_RETRIES = 30
MAX_STEPS = 12
REFERENCE = re.compile(r'class="review-reference">([^<]+)<')
UNAVAILABLE = "Sorry, the service is unavailable"


def journey_available():
    urls = ROOT / "submissions" / "urls.py"
    return urls.exists() and "respond_submit" in urls.read_text()


class FormParser(HTMLParser):
    """Every <form> on a page: its action, and its fields as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form["fields"].append(
                {
                    "tag": "input",
                    "type": (a.get("type") or "text").lower(),
                    "name": a.get("name"),
                    "value": a.get("value", ""),
                    "checked": "checked" in a,
                    "id": a.get("id", ""),
                }
            )
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "type": "textarea", "name": a.get("name"), "value": ""}
            self._form["fields"].append(self._textarea)
        elif tag == "select":
            self._select = {"tag": "select", "type": "select", "name": a.get("name"), "options": []}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "button":
            self._form["fields"].append(
                {"tag": "button", "type": (a.get("type") or "submit"), "name": a.get("name"), "value": a.get("value")}
            )

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def fill(form, number):
    """What a respondent sends: every question answered plainly, the honeypot left empty, consent given."""
    data = {}
    radios = {}
    for field in form["fields"]:
        name, kind = field.get("name"), field["type"]
        if not name or name == "website":
            continue
        if kind == "hidden":
            data[name] = field["value"]
        elif kind == "radio":
            radios.setdefault(name, []).append(field["value"])
        elif kind == "checkbox":
            # Consent must be given; of several choices, the first will do.
            if name not in data:
                data[name] = field["value"] or "on"
        elif kind == "email" or "email" in name:
            data[name] = f"respondent{number}@example.org"
        elif kind in ("text", "textarea", "search", "tel", "url"):
            data[name] = field["value"].strip() or f"A plain answer from bench respondent {number}."
        elif kind == "select":
            options = [o for o in field["options"] if o]
            if options:
                data[name] = options[0]
        elif kind == "file":
            continue
    for name, values in radios.items():
        # Not an organisation (that needs one more field), and a response we may publish.
        plain = [v for v in values if "organisation" not in v] or values
        data[name] = plain[0]
    buttons = [f for f in form["fields"] if f["tag"] == "button" and f.get("name")]
    if any(b["value"] == "continue" for b in buttons):
        data["action"] = "continue"
    return data


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (time, kind, status, seconds)
        self.acknowledged = set()
        self.journeys_done = 0
        self.journeys_failed = 0
        self.double_submits = 0
        self.double_submit_mismatch = 0
        self.failures = []
        self.bad_5xx_pages = []

    def record(self, kind, status, seconds, body=None):
        with self.lock:
            self.events.append((time.monotonic(), kind, status, seconds))
            if status >= 500 and body is not None and (status != 503 or UNAVAILABLE not in body):
                self.bad_5xx_pages.append((kind, status, body[:300]))

    def fail(self, why):
        with self.lock:
            self.journeys_failed += 1
            if len(self.failures) < 20:
                self.failures.append(why)


class Respondent:
    def __init__(self, number, call_slug, stats, deadline, double_submit, think=THINK_SECONDS):
        self.think_seconds = think
        self.number = number
        self.call_slug = call_slug
        self.stats = stats
        self.deadline = deadline
        self.double_submit = double_submit

    def request(self, session, method, url, kind, **kwargs):
        """One press of a button or link: again after a 503 or a dropped connection, as a person would."""
        for _attempt in range(MAX_RETRIES):
            started = time.monotonic()
            try:
                response = session.request(method, url, timeout=30, allow_redirects=False, **kwargs)
            except requests.RequestException:
                self.stats.record(kind, 0, time.monotonic() - started)
                time.sleep(RETRY_PAUSE)
                continue
            self.stats.record(kind, response.status_code, time.monotonic() - started, response.text)
            if response.status_code >= 500:
                time.sleep(RETRY_PAUSE)
                continue
            return response
        raise RuntimeError(f"{kind}: no answer after {MAX_RETRIES} tries")

    def follow(self, session, response, kind):
        hops = 0
        while response.is_redirect and hops < 5:
            response = self.request(session, "GET", urljoin(response.url, response.headers["Location"]), kind)
            hops += 1
        return response

    def think(self):
        if self.think_seconds:
            time.sleep(random.uniform(0.5, 1.5) * self.think_seconds)

    def run_once(self):
        session = requests.Session()
        start_url = f"{BASE}/calls/{self.call_slug}/respond/"
        page = self.follow(session, self.request(session, "GET", start_url, "start"), "start")
        for _ in range(MAX_STEPS):
            if page.status_code != 200:
                raise RuntimeError(f"step {page.url} answered {page.status_code}")
            if page.url.rstrip("/").endswith("check-your-answers"):
                return self.submit(session, page)
            parser = FormParser()
            parser.feed(page.text)
            forms = [f for f in parser.forms if f["method"] == "post"]
            if not forms:
                raise RuntimeError(f"no form on {page.url}")
            self.think()
            data = fill(forms[0], self.number)
            action = urljoin(page.url, forms[0]["action"]) if forms[0]["action"] else page.url
            response = self.request(session, "POST", action, "step", data=data)
            if response.status_code == 200:
                raise RuntimeError(f"{page.url} refused the answers: {error_summary(response.text)}")
            page = self.follow(session, response, "step")
        raise RuntimeError("the journey did not reach check your answers")

    def submit(self, session, page):
        parser = FormParser()
        parser.feed(page.text)
        form = next(f for f in parser.forms if f["action"].rstrip("/").endswith("submit"))
        data = fill(form, self.number)
        url = urljoin(page.url, form["action"])
        self.think()
        if self.double_submit:
            # A double click: the second post leaves while the first is still on its way.
            with ThreadPoolExecutor(2) as pool:
                results = list(pool.map(lambda _: self.submit_and_confirm(session, url, data), range(2)))
            with self.stats.lock:
                self.stats.double_submits += 1
                if results[0] != results[1]:
                    self.stats.double_submit_mismatch += 1
            references = {r for r in results if r}
        else:
            references = {self.submit_and_confirm(session, url, data)}
        references.discard(None)
        if not references:
            raise RuntimeError("Submit showed no reference")
        with self.stats.lock:
            self.stats.acknowledged.update(references)
            self.stats.journeys_done += 1

    def submit_and_confirm(self, session, url, data):
        response = self.request(session, "POST", url, "submit", data=data)
        confirmation = self.follow(session, response, "confirmation")
        match = REFERENCE.search(confirmation.text)
        return unescape(match.group(1)).strip() if match else None

    def run(self):
        while time.monotonic() < self.deadline:
            try:
                self.run_once()
            except Exception as exc:  # noqa: BLE001 - count it and start again
                self.stats.fail(f"respondent {self.number}: {exc}"[:300])
                time.sleep(RETRY_PAUSE)


def error_summary(html):
    found = re.findall(r"govuk-error-summary__list.*?</ul>", html, re.S)
    return re.sub(r"<[^>]+>", " ", found[0])[:300] if found else html[:200]


def stored_references():
    rows = bench_sql("SELECT reference, journey_token FROM submissions_submission")
    return {r[0] for r in rows}, len(rows), len({r[1] for r in rows})


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def run_respondents(server, call_slug, seconds, during=None, respondents=None, think=THINK_SECONDS):
    """Run the respondents for `seconds` (then let the journeys under way finish); `during` runs alongside."""
    before, _, _ = stored_references()
    log_offset = server.access_log_size()
    stats = Stats()
    deadline = time.monotonic() + seconds
    respondents = respondents or RESPONDENTS
    people = [
        Respondent(n, call_slug, stats, deadline, double_submit=(n % 5 == 0), think=think)
        for n in range(1, respondents + 1)
    ]
    threads = [threading.Thread(target=p.run, daemon=True) for p in people]
    started = time.monotonic()
    for t in threads:
        t.start()
    extra = during(started) if during else None
    for t in threads:
        # Bounded: a journey under way at the deadline gets two minutes to finish.
        t.join(timeout=max(1, deadline + 120 - time.monotonic()))
    elapsed = time.monotonic() - started
    stuck = sum(t.is_alive() for t in threads)
    after, rows, tokens = stored_references()
    stored = after - before
    submit_times = [s for _, kind, status, s in stats.events if kind == "submit" and 300 <= status < 400]
    statuses = {}
    for _, _, status, _ in stats.events:
        statuses[status] = statuses.get(status, 0) + 1
    result = {
        "respondents": respondents,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 1),
        "think_seconds": think,
        "journeys_completed": stats.journeys_done,
        "journeys_failed": stats.journeys_failed,
        "failures": stats.failures,
        "double_submits": stats.double_submits,
        "double_submit_different_references": stats.double_submit_mismatch,
        "acknowledged": len(stats.acknowledged),
        "stored": len(stored),
        "lost": len(stats.acknowledged - after),
        "stored_never_acknowledged": len(stored - stats.acknowledged),
        "duplicated_journeys": rows - tokens,
        "requests": len(stats.events),
        "requests_per_s": round(len(stats.events) / elapsed, 1) if elapsed else None,
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "http_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "http_503": statuses.get(503, 0),
        "connection_errors": statuses.get(0, 0),
        "tracebacks_or_bare_5xx": stats.bad_5xx_pages[:5],
        "submit_count": len(submit_times),
        "submit_p50_ms": round(percentile(submit_times, 50) * 1000, 1) if submit_times else None,
        "submit_p95_ms": round(percentile(submit_times, 95) * 1000, 1) if submit_times else None,
        "submit_p99_ms": round(percentile(submit_times, 99) * 1000, 1) if submit_times else None,
        "step_p95_ms": round(
            (percentile([s for _, k, st, s in stats.events if k == "step" and st], 95) or 0) * 1000, 1
        ),
        "stuck_respondents": stuck,
        "events": stats.events,
    }
    # The same Submits as the workers saw them: the rest of the client's time is queueing (and the client itself).
    worker_ms = server.server_times(log_offset, "POST", "/respond/submit/")
    result["submit_worker_p50_ms"] = percentile(worker_ms, 50)
    result["submit_worker_p95_ms"] = percentile(worker_ms, 95)
    if extra is not None:
        result.update(extra() if callable(extra) else extra)
    return result


def journey_part(server, call_slug):
    if not journey_available():
        return {"status": "not measured: feature missing (the response journey is not in submissions/urls.py)"}
    if not call_slug:
        return {"status": "not measured: no open call to answer"}
    # One respondent alone first: what a Submit costs when nothing waits for the CPU.
    alone = run_respondents(server, call_slug, ALONE_SECONDS, respondents=1, think=0)
    alone.pop("events")
    log(f"1 respondent alone: Submit p95 {alone['submit_p95_ms']} ms over {alone['submit_count']}")
    log(f"{RESPONDENTS} respondents for {JOURNEY_SECONDS} s on /calls/{call_slug}/respond/")
    result = run_respondents(server, call_slug, JOURNEY_SECONDS)
    result.pop("events")
    result["alone"] = {k: alone[k] for k in ("submit_count", "submit_p50_ms", "submit_p95_ms", "submit_worker_p95_ms")}
    result["alone"]["lost"] = alone["lost"]
    ok = (
        result["lost"] == 0
        and result["stored_never_acknowledged"] == 0
        and result["duplicated_journeys"] == 0
        and result["http_5xx"] == 0
        and result["journeys_completed"] > 0
    )
    result["rows"] = [
        (
            "respondents",
            f"{RESPONDENTS} for {JOURNEY_SECONDS} s ({THINK_SECONDS} s pauses), {result['journeys_completed']} "
            f"journeys done, {result['journeys_failed']} failed, {result['double_submits']} double Submits",
            "",
            None,
        ),
        (
            "stored = acknowledged",
            f"{result['stored']} stored, {result['acknowledged']} acknowledged: lost {result['lost']}, "
            f"stored unacknowledged {result['stored_never_acknowledged']}, "
            f"duplicated {result['duplicated_journeys']}, 5xx {result['http_5xx']}",
            "0 lost, 0 dup, 0 5xx",
            ok,
        ),
        (
            "Submit latency",
            f"p50 {result['submit_p50_ms']} ms, p95 {result['submit_p95_ms']} ms, p99 {result['submit_p99_ms']} ms "
            f"over {result['submit_count']} Submits (in the worker: p50 {result['submit_worker_p50_ms']} ms, "
            f"p95 {result['submit_worker_p95_ms']} ms); other steps p95 {result['step_p95_ms']} ms, "
            f"{result['requests_per_s']} requests/s",
            "p95 < 300 ms",
            result["submit_p95_ms"] is not None and result["submit_p95_ms"] < 300,
        ),
        (
            "Submit, one respondent alone",
            f"p50 {alone['submit_p50_ms']} ms, p95 {alone['submit_p95_ms']} ms over {alone['submit_count']} Submits "
            f"(in the worker: p95 {alone['submit_worker_p95_ms']} ms): the cost without waiting for the CPU",
            "",
            None,
        ),
    ]
    return result


def faults_part(server, call_slug):
    if not journey_available():
        return {"status": "not measured: feature missing (the response journey is not in submissions/urls.py)"}
    if not call_slug:
        return {"status": "not measured: no open call to answer"}
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
    result = run_respondents(server, call_slug, FAULT_SECONDS, during=killer)
    events = result.pop("events")
    recoveries = []
    for i, (at, killed) in enumerate(kills):
        until = kills[i + 1][0] if i + 1 < len(kills) else float("inf")
        errors = [t for t, _, status, _ in events if at <= t < until and (status >= 500 or status == 0)]
        recoveries.append(
            {
                "killed_connections": killed,
                "errors": len(errors),
                "recovered_after_s": round(max(errors) - at, 2) if errors else 0,
            }
        )
    result["kills"] = recoveries
    result["recovery_max_s"] = max((r["recovered_after_s"] for r in recoveries), default=None)
    other_5xx = result["http_5xx"] - result["http_503"]
    ok = (
        result["lost"] == 0
        and result["stored_never_acknowledged"] == 0
        and result["duplicated_journeys"] == 0
        and other_5xx == 0
        and not result["tracebacks_or_bare_5xx"]
        and result["journeys_completed"] > 0
    )
    result["rows"] = [
        (
            "kills",
            f"{len(kills)} times ({', '.join(str(r['killed_connections']) for r in recoveries)} connections) during "
            f"{FAULT_SECONDS} s with {RESPONDENTS} respondents: {result['journeys_completed']} journeys done, "
            f"{result['journeys_failed']} failed",
            "",
            None,
        ),
        (
            "503 page, not a traceback",
            f"{result['http_503']} answered 503 (the site's page), {other_5xx} other 5xx, "
            f"{result['connection_errors']} dropped connections, {len(result['tracebacks_or_bare_5xx'])} bare errors",
            "503 page only",
            other_5xx == 0 and not result["tracebacks_or_bare_5xx"],
        ),
        (
            "recovery",
            f"errors stop {result['recovery_max_s']} s after a kill at worst "
            f"({', '.join(str(r['recovered_after_s']) for r in recoveries)} s), no restart",
            "by itself",
            result["journeys_completed"] > 0,
        ),
        (
            "nothing lost",
            f"{result['stored']} stored, {result['acknowledged']} acknowledged: lost {result['lost']}, "
            f"stored unacknowledged {result['stored_never_acknowledged']}, duplicated {result['duplicated_journeys']}",
            "lost = 0",
            ok,
        ),
    ]
    return result
