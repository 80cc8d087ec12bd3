"""`make bench` (python -m bench.run): the site served for real by gunicorn (gunicorn.conf.py, bench/settings.py:
production over plain http) on a PostgreSQL database of its own (review_bench, created at the start and dropped at
the end), all traffic to 127.0.0.1. Prints a table and writes bench/results/latest.json, latest.txt and a dated copy.
Real processes and the respondents come from tests/scale/processes.py, shared with the scale tests.

What each part measures:
- throughput: requests/s and latency (wrk) of the home, FAQs, news, a post and a call page, each as a share of
  /bench/hello/ (bench/urls.py), a hello-world view served by the same gunicorn in the same run: same settings,
  workers and middleware. Three interleaved rounds, hello-world right before each page; medians (bench/load.py).
  Target >= 50%. throughput_uncached: the same with the public page cache off, for comparison.
- weight: bytes a first visit fetches (HTML, CSS, JS and its imports, images a rule on the page uses), compressed
  as a browser asks, and any third-party request. Target <= 150 KB and none.
- queries: SQL queries per anonymous page view rendered afresh (page cache off; a cache hit runs none).
- journey: one respondent alone, then BENCH_RESPONDENTS for BENCH_JOURNEY_SECONDS through every step of the
  response journey (a fifth double-clicking Submit). Every reference shown must be stored, once; Submit p95 < 300 ms
  as the respondents saw it, beside the time the workers spent (bench/journey.py).
- faults: the same while every database connection is killed BENCH_FAULT_KILLS times: only the site's 503 page,
  recovery without a restart, nothing lost.
- staff: the admin responses list with BENCH_ROWS responses (p95 < 500 ms), and the CSV and XLSX exports at
  BENCH_ROWS_FIRST and at BENCH_ROWS (XLSX: BENCH_XLSX_ROWS) rows: memory flat in the number of rows (bench/staff.py).
- privacy: the personal-data check over 10,000 ideas, and a 250-word idea's median and p95 (bench/privacy.py).
- archive: export_archive with BENCH_ARCHIVE_RESPONSES published responses, under a minute.
- scale: two gunicorn servers sharing PostgreSQL and Redis and two email workers, one killed mid-send: nothing lost
  or stored twice across servers, one Submit limit for both, each receipt sent once.
- updates (PostgreSQL): an update to BENCH_UPDATE_SUBSCRIBERS [10000] confirmed subscribers sent by two email
  workers, one killed mid-send: every address once, none twice, the send cut off counted not known (bench/updates.py).

Knobs [defaults]: BENCH_SECONDS [15] per page for throughput, BENCH_UNCACHED_SECONDS [6] (0 skips),
BENCH_ROUNDS [3], BENCH_CONCURRENCY [16], BENCH_RESPONDENTS [50], BENCH_JOURNEY_SECONDS [60], BENCH_ALONE_SECONDS
[10], BENCH_THINK_SECONDS [2], BENCH_FAULT_SECONDS [40], BENCH_FAULT_KILLS [3], BENCH_ROWS [100000],
BENCH_ROWS_FIRST [a tenth of it, 10000 at most], BENCH_XLSX_ROWS [three tenths, 30000 at most],
BENCH_ARCHIVE_RESPONSES [10000], BENCH_SCALE_RESPONDENTS [40], BENCH_SCALE_CONCURRENCY [8], BENCH_PORT [8150]
(scale: +1 and +2), BENCH_WORKERS [4], GUNICORN_THREADS [as gunicorn.conf.py], REDIS_URL (else the database
cache), BENCH_ONLY (comma list of parts), BENCH_KEEP_DB=1, BENCH_MAX_SECONDS [900].
"""

import datetime
import json
import os
import platform
import runpy
import subprocess
import sys
import time
import traceback
from pathlib import Path

if not __package__:  # run as `python bench/run.py`: import the bench as a package from the repository root
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import requests

from bench import journey, load, staff, updates
from bench.base import RESULTS, ROOT, WORKERS, create_database, drop_database, ensure_postgres, log, manage, probe
from bench.base import server as bench_server
from bench.privacy import privacy_part

SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
UNCACHED_SECONDS = int(os.environ.get("BENCH_UNCACHED_SECONDS", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
ONLY = {p for p in os.environ.get("BENCH_ONLY", "").split(",") if p}
# The whole bench must finish in about a quarter of an hour on two cores: a part not begun by then is skipped.
DEADLINE = time.monotonic() + int(os.environ.get("BENCH_MAX_SECONDS", "900"))


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
        "cache": "redis" if os.environ.get("REDIS_URL") else "database",
        # Other work on the machine skews every figure: say how busy it was when the bench began.
        "load_average_at_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def run_part(results, name, func, *args):
    if ONLY and name not in ONLY:
        return
    if time.monotonic() > DEADLINE:
        results["parts"][name] = {"status": "not measured: the bench ran out of time"}
        return
    log(f"--- {name}")
    started = time.monotonic()
    try:
        value = func(*args)
    except Exception as exc:  # noqa: BLE001 - one broken part must not hide the others' figures
        traceback.print_exc()
        value = {"status": f"failed: {exc!r}"[:500]}
    value.setdefault("status", "measured")
    value["elapsed_s"] = round(time.monotonic() - started, 1)
    results["parts"][name] = value


def table(results):
    m = results["machine"]
    header = (
        f"review_site bench {results['started_at']}  commit {m['commit']}  {m['cores']} cores, {m['memory_gb']} GB, "
        f"gunicorn {m['gunicorn']}, cache {m['cache']}, load average at start {' '.join(m['load_average_at_start'])}"
    )
    rows = [(f"  {name}", why, "", "NOT MEASURED") for name, why in results.get("pages_not_measured", {}).items()]
    for name, part in results["parts"].items():
        if part["status"] != "measured":
            rows.append((name.upper(), part["status"], "", "NOT MEASURED"))
        for label, value, target, ok in part.get("rows", []):
            label = label if label.startswith(" ") or label.isupper() else f"{name.upper()} {label}"
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
    gunicorn = bench_server()
    try:
        ensure_postgres()
        log("creating database review_bench, migrating, loading the demo content")
        create_database()
        for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput"]):
            manage(*command)
        manage("load_demo_content")
        targets = results["targets"] = probe("targets")
        pages = [("home", "/"), ("faqs", "/faqs/"), ("news", "/news/")]
        pages += [("post", f"/news/{targets['post_slug']}/")] if targets["post_slug"] else []
        pages += [("call", f"/calls/{targets['call_slug']}/")] if targets["call_slug"] else []
        log(f"starting gunicorn: {WORKERS} workers on 127.0.0.1")
        gunicorn.start()
        live, broken = [], {}
        for name, path in pages:
            status = requests.get(gunicorn.url + path, timeout=10).status_code
            if status == 200:
                live.append((name, path))
            else:
                broken[name] = f"not measured: {path} answered {status}"
        results["pages_not_measured"] = broken

        def throughput(seconds, title, judged=True):
            result = load.throughput(gunicorn.url, live, seconds, CONCURRENCY, ROUNDS)
            return {**result, "rows": load.throughput_rows(result, title, judged)}

        if (not ONLY or "throughput" in ONLY) and not load.ensure_wrk():
            results["parts"]["throughput"] = {"status": "not measured: wrk could not be installed"}
        else:
            run_part(results, "throughput", throughput, SECONDS, "THROUGHPUT")
            if UNCACHED_SECONDS and "throughput" in results["parts"] and (not ONLY or "throughput_uncached" in ONLY):
                # The same pages and hello-world from one gunicorn with the page cache off: what the cache is worth.
                gunicorn.stop()
                gunicorn.start(PUBLIC_PAGE_CACHE_SECONDS="0")
                run_part(results, "throughput_uncached", throughput, UNCACHED_SECONDS, "PAGE CACHE OFF", False)
                gunicorn.stop()
                gunicorn.start()
        run_part(results, "weight", lambda: weight({name: load.page_weight(gunicorn.url, path) for name, path in live}))
        run_part(results, "queries", queries, [path for _, path in pages])
        slug = targets["open_call_slug"]
        if slug:
            run_part(results, "journey", journey.journey_part, gunicorn, slug)
            run_part(results, "faults", journey.faults_part, gunicorn, slug)
        run_part(results, "staff", staff.staff_part, gunicorn)
        run_part(results, "archive", staff.archive_part)
        run_part(results, "privacy", privacy_part)
        gunicorn.stop()
        if slug:
            run_part(results, "scale", journey.scale_part, slug)
        else:
            for name in ("journey", "faults", "scale"):
                results["parts"][name] = {"status": "not measured: no open call to answer in the demo content"}
        run_part(results, "updates", updates.updates_part)
    finally:
        gunicorn.stop()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            try:
                drop_database()
            except Exception as exc:  # noqa: BLE001 - the figures matter more
                log(f"could not drop the bench database: {exc!r}")
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


def weight(pages):
    return {"pages": pages, "rows": load.weight_rows({"pages": pages})}


def queries(paths):
    found = probe("queries", *paths, PUBLIC_PAGE_CACHE_SECONDS="0")
    rows = [("SQL QUERIES", "per anonymous page view rendered afresh (page cache off; a cache hit runs 0)", "", None)]
    rows += [(f"  {path}", f"{r['queries']} queries (status {r['status']})", "", None) for path, r in found.items()]
    return {"pages": found, "rows": rows}


if __name__ == "__main__":
    main()
