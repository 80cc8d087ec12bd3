"""`make bench` (python -m bench.run): the site served for real by gunicorn (gunicorn.conf.py, bench/settings.py:
production over plain http), all traffic to 127.0.0.1, in one pass per database (BENCH_DATABASES): PostgreSQL
(review_bench, created at the start and dropped at the end; with Redis when REDIS_URL is set, as in production), then
a SQLite file with the database cache, as the site runs with no settings at all. Prints a table and writes
bench/results/latest.json, latest.txt and a dated copy. Real processes and the respondents come from
tests/scale/processes.py, shared with the scale tests.

Every speed figure is a share of /bench/hello/ (bench/urls.py), a hello-world view served by the same gunicorn in
the same run: same settings, workers and middleware. Interleaved rounds, hello-world right before each page; medians
(bench/load.py). Shares, not requests/s, compare between runs and machines; each part records the load average.

What each part measures, in each pass unless said:
- throughput: the home, FAQs, news, a post and a call page from the whole-page cache (anonymous). Target >= 60%.
- throughput_uncached: the same pages for someone part-way through a response (their session holds a journey): as
  they browse, from the page cache (>= 60%), and on a hard refresh, rendered afresh (bench/visitors.py; >= 25%).
- search: /search/?q=care as anyone asks it and for someone mid-response (kept per query, >= 60%), and on a hard
  refresh (searched afresh; >= 20%, judged on PostgreSQL).
- steps: each step of the response journey for one respondent, its page (GET, >= 15%) and its answers sent again
  (POST, for comparison).
- weight (first pass): bytes a first visit fetches (HTML, CSS, JS and its imports, images a rule on the page uses),
  compressed as a browser asks, and any third-party request. Target <= 150 KB and none.
- queries: SQL queries per page view rendered afresh, page cache off and on (as a hard refresh asks); <= 6.
- journey: one respondent alone, then BENCH_RESPONDENTS for BENCH_JOURNEY_SECONDS through every step of the
  response journey (a fifth double-clicking Submit). Every reference shown must be stored, once; Submit p95 < 150 ms
  as the respondents saw it, beside the time the workers spent (bench/journey.py).
- faults (PostgreSQL): the same while every database connection is killed BENCH_FAULT_KILLS times: only the site's
  503 page, recovery without a restart, nothing lost.
- staff (PostgreSQL): the admin responses list with BENCH_ROWS responses (p95 < 500 ms), and the CSV and XLSX
  exports at BENCH_ROWS_FIRST and at BENCH_ROWS (XLSX: BENCH_XLSX_ROWS) rows: memory flat (bench/staff.py).
- privacy (once): the personal-data check over 10,000 ideas, and a 250-word idea's median and p95.
- archive (PostgreSQL pass): export_archive with BENCH_ARCHIVE_RESPONSES published responses, under a minute.
- scale (PostgreSQL): two gunicorn servers sharing PostgreSQL and Redis and two email workers, one killed mid-send:
  nothing lost or stored twice across servers, one Submit limit for both, each receipt sent once.
- updates (PostgreSQL): an update to BENCH_UPDATE_SUBSCRIBERS [10000] confirmed subscribers sent by two email
  workers, one killed mid-send: every address once, none twice, the send cut off counted not known (bench/updates.py).
- analysis (PostgreSQL): import_responses of BENCH_ANALYSIS_ROWS [100000] offline responses (< 2 min, memory flat),
  suggested themes for BENCH_ANALYSIS_IDEAS [10000] ideas (< 60 s), the overview with them coded (bench/analysis.py).

Knobs [defaults]: BENCH_DATABASES [postgresql,sqlite], BENCH_SQLITE_REDIS_URL [none: the database cache],
BENCH_SECONDS [15] per page for throughput, BENCH_UNCACHED_SECONDS [6] (0 skips), BENCH_SEARCH_SECONDS [6],
BENCH_STEP_SECONDS [6], BENCH_SEARCH_QUERY [care], BENCH_ROUNDS [3], BENCH_CONCURRENCY [16], BENCH_RESPONDENTS [50],
BENCH_JOURNEY_SECONDS [60], BENCH_ALONE_SECONDS [10], BENCH_THINK_SECONDS [2], BENCH_FAULT_SECONDS [40],
BENCH_FAULT_KILLS [3], BENCH_ROWS [100000], BENCH_ROWS_FIRST [a tenth of it, 10000 at most], BENCH_XLSX_ROWS [three
tenths, 30000 at most], BENCH_ARCHIVE_RESPONSES [10000], BENCH_SCALE_RESPONDENTS [40], BENCH_SCALE_CONCURRENCY [8],
BENCH_PORT [8150] (scale: +1 and +2), BENCH_WORKERS [4], GUNICORN_THREADS [as gunicorn.conf.py], REDIS_URL (else the
database cache), BENCH_ONLY (comma list of parts, in every pass), BENCH_KEEP_DB=1, BENCH_MAX_SECONDS [3600].
"""

import datetime
import json
import os
import platform
import runpy
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode

if not __package__:  # run as `python bench/run.py`: import the bench as a package from the repository root
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import requests

from bench import base as bench_base
from bench import journey, load, staff, updates, visitors
from bench.analysis import analysis_part
from bench.base import RESULTS, ROOT, WORKERS, create_database, drop_database, ensure_postgres, log, manage, probe
from bench.base import server as bench_server
from bench.privacy import privacy_part

SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
UNCACHED_SECONDS = int(os.environ.get("BENCH_UNCACHED_SECONDS", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
ONLY = {p for p in os.environ.get("BENCH_ONLY", "").split(",") if p}
WRK_PARTS = {"throughput", "throughput_uncached", "search", "steps"}
# One pass per database: PostgreSQL with the cache the environment names (REDIS_URL, as in production), then SQLite
# with the database cache, as the site runs with no settings at all.
DATABASES = [d for d in os.environ.get("BENCH_DATABASES", "postgresql,sqlite").split(",") if d]
PASS_ENV = {"sqlite": {"REDIS_URL": os.environ.get("BENCH_SQLITE_REDIS_URL", "")}}
SEARCH_PATH = "/search/?" + urlencode({"q": visitors.SEARCH_QUERY})
# A stop for a bench left running on a busy machine: a part not begun within an hour is skipped. (It was 25 minutes,
# which cut the last parts off a default run on two cores.)
DEADLINE = time.monotonic() + int(os.environ.get("BENCH_MAX_SECONDS", "3600"))


def machine():
    meminfo = Path("/proc/meminfo").read_text()
    cpuinfo = [
        line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line
    ]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(int(meminfo.split("MemTotal:")[1].split()[0]) / 1024 / 1024, 1),
        "cpu": (cpuinfo or [platform.processor()])[0],
        "python": platform.python_version(),
        "commit": commit.stdout.strip(),
        "gunicorn": f"{WORKERS} workers x {runpy.run_path(str(ROOT / 'gunicorn.conf.py'))['threads']} threads",
        # Other work on the machine skews every figure: say how busy it was when the bench began.
        "load_average_at_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def cache_name():
    return "redis" if bench_base.django_env().get("REDIS_URL") else "database"


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_part(results, name, func, *args, prefix=""):
    if ONLY and name not in ONLY:
        return
    name = prefix + name
    if time.monotonic() > DEADLINE:
        results["parts"][name] = {"status": "not measured: the bench ran out of time"}
        return
    log(f"--- {name} (load average {load_average()})")
    started, load_before = time.monotonic(), load_average()
    try:
        value = func(*args)
    except Exception as exc:  # noqa: BLE001 - one broken part must not hide the others' figures
        traceback.print_exc()
        value = {"status": f"failed: {exc!r}"[:500]}
    value.setdefault("status", "measured")
    value["elapsed_s"] = round(time.monotonic() - started, 1)
    # The machine may be shared: each figure says how busy it was around it (compare shares, not requests/s).
    value["load_average"] = [load_before, load_average()]
    results["parts"][name] = value


def table(results):
    m = results["machine"]
    passes = ", ".join(f"{engine} (cache {cache})" for engine, cache in results.get("passes", {}).items())
    header = (
        f"review_site bench {results['started_at']}  commit {m['commit']}  {m['cores']} cores, {m['memory_gb']} GB, "
        f"gunicorn {m['gunicorn']}, {passes}, load average at start {' '.join(m['load_average_at_start'])}"
    )
    rows = [(f"  {name}", why, "", "NOT MEASURED") for name, why in results.get("pages_not_measured", {}).items()]
    for name, part in results["parts"].items():
        engine = name.split()[0] if name.split()[0] in DATABASES else ""
        if part["status"] != "measured":
            rows.append((name.upper(), part["status"], "", "NOT MEASURED"))
        for n, (label, value, target, ok) in enumerate(part.get("rows", [])):
            if label.isupper():
                label = f"{engine.upper()} {label}".strip()
            elif not label.startswith(" "):
                label = f"{name.upper()} {label}"
            if n == 0 and part.get("load_average"):
                value = f"{value}  [load {' -> '.join(part['load_average'])}]"
            rows.append((label, value, target, "" if ok is None else ("ok" if ok else "MISSED")))
    widths = [max([len(str(r[i])) for r in rows] + [0]) for i in range(4)]
    widths[1] = min(widths[1], 110)
    lines = [header, "-" * len(header)]
    lines += ["  ".join(str(c).ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    return "\n".join([*lines, f"elapsed {results.get('elapsed_s')} s"])


def main():
    RESULTS.mkdir(parents=True, exist_ok=True)
    for old in (RESULTS / "emails").glob("*"):
        old.unlink()  # the last run's receipts
    started = datetime.datetime.now(datetime.UTC)
    results = {"started_at": started.isoformat(timespec="seconds"), "machine": machine(), "parts": {}}
    if (not ONLY or ONLY & WRK_PARTS) and not load.ensure_wrk():
        results["parts"]["throughput"] = {"status": "not measured: wrk could not be installed"}
    for number, engine in enumerate(DATABASES):
        bench_base.current.update(engine=engine, env=PASS_ENV.get(engine, {}))
        database_pass(results, engine, first=number == 0)
    run_part(results, "privacy", privacy_part)
    finished = datetime.datetime.now(datetime.UTC)
    results.update(
        finished_at=finished.isoformat(timespec="seconds"), elapsed_s=round((finished - started).total_seconds(), 1)
    )
    text = table(results)
    print(text)
    payload = json.dumps(results, indent=2, default=str)
    for name in ("latest.json", f"bench-{started:%Y%m%dT%H%M%SZ}.json"):
        (RESULTS / name).write_text(payload)
    (RESULTS / "latest.txt").write_text(text + "\n")
    log(f"wrote {RESULTS / 'latest.json'} in {results['elapsed_s']} s")


def database_pass(results, engine, first):
    """Every part that depends on the database, on a fresh `engine` database with the demo content; the parts that
    need PostgreSQL (faults, staff, archive, scale) only on PostgreSQL."""
    prefix = f"{engine} "
    results["passes"] = {**results.get("passes", {}), engine: cache_name()}
    gunicorn = bench_server()
    try:
        if engine == "postgresql":
            ensure_postgres()
        log(f"{engine}: creating database {bench_base.DB_NAME}, migrating, loading the demo content")
        create_database()
        for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput"]):
            manage(*command)
        manage("load_demo_content")
        targets = results[f"{prefix}targets"] = probe("targets")
        pages = [("home", "/"), ("faqs", "/faqs/"), ("news", "/news/")]
        pages += [("post", f"/news/{targets['post_slug']}/")] if targets["post_slug"] else []
        pages += [("call", f"/calls/{targets['call_slug']}/")] if targets["call_slug"] else []
        log(f"starting gunicorn: {WORKERS} workers on 127.0.0.1")
        gunicorn.start()
        live = []
        for name, path in pages:
            status = requests.get(gunicorn.url + path, timeout=10).status_code
            if status == 200:
                live.append((name, path))
            else:
                results.setdefault("pages_not_measured", {})[prefix + name] = f"not measured: {path} answered {status}"
        slug = targets["open_call_slug"]
        returning = visitors.Returning(gunicorn.url, slug) if slug and (not ONLY or ONLY & WRK_PARTS) else None
        url, wrk_args = gunicorn.url, (CONCURRENCY, ROUNDS)

        def throughput():
            result = load.throughput(url, live, SECONDS, *wrk_args)
            return {**result, "rows": load.throughput_rows(result, "CACHED", visitors.CACHED_TARGET)}

        if shutil.which("wrk"):
            run_part(results, "throughput", throughput, prefix=prefix)
            if returning and UNCACHED_SECONDS:
                args = (url, live, returning, UNCACHED_SECONDS, *wrk_args)
                run_part(results, "throughput_uncached", visitors.uncached_part, *args, prefix=prefix)
            if returning:
                args = (url, returning, visitors.SEARCH_SECONDS, *wrk_args, engine == "postgresql")
                run_part(results, "search", visitors.search_part, *args, prefix=prefix)
                # Steps last of the wrk parts: POSTing them again keeps that respondent's session busy.
                args = (url, returning, slug, visitors.STEP_SECONDS, *wrk_args)
                run_part(results, "steps", visitors.steps_part, *args, prefix=prefix)
        if first:
            run_part(results, "weight", lambda: weight({n: load.page_weight(url, path) for n, path in live}))
        run_part(results, "queries", queries, [path for _, path in pages] + [SEARCH_PATH], prefix=prefix)
        if slug:
            run_part(results, "journey", journey.journey_part, gunicorn, slug, prefix=prefix)
        if engine == "postgresql":
            if slug:
                run_part(results, "faults", journey.faults_part, gunicorn, slug, prefix=prefix)
            run_part(results, "staff", staff.staff_part, gunicorn, prefix=prefix)
            run_part(results, "analysis", analysis_part, gunicorn, prefix=prefix)
            run_part(results, "archive", staff.archive_part)
        gunicorn.stop()
        if engine == "postgresql" and slug:
            run_part(results, "scale", journey.scale_part, slug, prefix=prefix)
        if engine == "postgresql":
            run_part(results, "updates", updates.updates_part, prefix=prefix)
        if not slug:
            for name in ("journey", "faults", "scale"):
                results["parts"][prefix + name] = {"status": "not measured: no open call to answer in the demo content"}
    finally:
        gunicorn.stop()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            try:
                drop_database()
            except Exception as exc:  # noqa: BLE001 - the figures matter more
                log(f"could not drop the bench database: {exc!r}")


def weight(pages):
    return {"pages": pages, "rows": load.weight_rows({"pages": pages})}


def queries(paths):
    off = probe("queries", *paths, PUBLIC_PAGE_CACHE_SECONDS="0")
    on = probe("queries", *paths)
    rows = [
        (
            "SQL QUERIES",
            "per page view rendered afresh: page cache off / on, asked for afresh (a cache hit runs 0)",
            "",
            None,
        )
    ]
    for path, r in off.items():
        value = f"{r['queries']} / {on[path]['queries']} queries (status {r['status']})"
        rows.append((f"  {path}", value, "<= 6 (on)", on[path]["queries"] <= 6))
    return {"pages": off, "pages_cache_on": on, "rows": rows}


if __name__ == "__main__":
    main()
