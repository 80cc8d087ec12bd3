"""`make bench`: the site under load, under faults, and on the wire, served for real.

gunicorn (gunicorn.conf.py) runs the production settings over plain http (review_site.settings.bench) against
a PostgreSQL database of the bench's own (review_bench: created at the start, dropped at the end). All traffic
goes to 127.0.0.1. Prints a table and writes bench/results/latest.json and a dated copy.

Environment knobs (defaults in brackets): BENCH_SECONDS [20] per page for throughput,
BENCH_UNCACHED_SECONDS [5] per page with the page cache off (0 skips), BENCH_CONCURRENCY [16],
BENCH_JOURNEY_SECONDS [60], BENCH_RESPONDENTS [50], BENCH_FAULT_SECONDS [40], BENCH_ROWS [100000] responses for
the admin and export, BENCH_PORT [8150], BENCH_WORKERS [4], BENCH_ONLY (comma list of parts), BENCH_KEEP_DB=1.
Part "scale" (bench/scale_bench.py) uses BENCH_PORT+1 and +2, Redis on 127.0.0.1:6379 and BENCH_SCALE_* knobs.
"""

import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import (  # noqa: E402
    RESULTS,
    ROOT,
    WORKERS,
    Gunicorn,
    create_database,
    drop_database,
    ensure_postgres,
    has_command,
    log,
    manage,
    probe,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
UNCACHED_SECONDS = int(os.environ.get("BENCH_UNCACHED_SECONDS", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
ONLY = {p for p in os.environ.get("BENCH_ONLY", "").split(",") if p}
# The whole bench must finish in about ten minutes on two cores: each part gets a hard stop.
DEADLINE = time.monotonic() + int(os.environ.get("BENCH_MAX_SECONDS", "780"))

MISSING = "not measured: feature missing"


def wanted(part):
    return not ONLY or part in ONLY


def machine():
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": sys.version.split()[0],
        "commit": commit.strip(),
        "gunicorn_workers": WORKERS,
        "gunicorn_threads": int(os.environ.get("GUNICORN_THREADS", "2")),
        "cache": "redis" if os.environ.get("REDIS_URL") else "database",
        # Other work on the machine skews every figure: say how busy it was when the bench began.
        "load_average_at_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def prepare():
    # Receipts from the last run (review_site.settings.bench writes them to files).
    shutil.rmtree(RESULTS / "emails", ignore_errors=True)
    ensure_postgres()
    log("creating database review_bench")
    create_database()
    manage("migrate", "--noinput")
    manage("createcachetable")
    manage("collectstatic", "--noinput")
    if has_command("load_demo_content"):
        log("loading demo content")
        manage("load_demo_content")
        return {"demo_content": "manage.py load_demo_content"}
    log("load_demo_content is missing: loading the calls' demo content only")
    probe("demo_calls")
    return {"demo_content": "consultations.demo only (load_demo_content missing)"}


def public_pages(targets):
    pages = [("home", "/"), ("faqs", "/faqs/"), ("news", "/news/")]
    missing = {}
    if targets.get("post_slug"):
        pages.append(("post", f"/news/{targets['post_slug']}/"))
    else:
        missing["post"] = "no published post in the demo content"
    if targets.get("call_slug"):
        pages.append(("call", f"/calls/{targets['call_slug']}/"))
    else:
        missing["call"] = "no call in the demo content"
    return pages, missing


def check_pages(pages):
    """Only pages that answer 200 are worth timing; the rest are reported as they are."""
    import requests
    from server import BASE

    ok, broken = [], {}
    for name, path in pages:
        try:
            status = requests.get(BASE + path, timeout=10).status_code
        except requests.RequestException as exc:
            status = repr(exc)
        if status == 200:
            ok.append((name, path))
        else:
            broken[name] = f"not measured: {path} answered {status}"
    return ok, broken


def run_part(results, name, func, *args):
    if not wanted(name):
        return None
    if time.monotonic() > DEADLINE:
        results["parts"][name] = {"status": "not measured: the bench ran out of time"}
        return None
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
    return value


def main():
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    results = {"started_at": started.isoformat(timespec="seconds"), "machine": machine(), "parts": {}}
    server = Gunicorn(RESULTS / "gunicorn.log")
    try:
        results["setup"] = prepare()
        targets = probe("targets")
        results["targets"] = targets
        pages, missing = public_pages(targets)
        log(f"starting gunicorn: {WORKERS} workers on 127.0.0.1")
        server.start()
        live, broken = check_pages(pages)
        broken.update({k: f"not measured: {v}" for k, v in missing.items()})
        results["pages_not_measured"] = broken

        import load
        import weight

        if wanted("throughput") and load.ensure_wrk():
            run_part(results, "throughput", load.throughput, live, SECONDS, CONCURRENCY)
            if UNCACHED_SECONDS > 0:
                # The same pages with the public page cache off: what the cache is worth.
                server.stop()
                server.start(PUBLIC_PAGE_CACHE_SECONDS="0")
                run_part(results, "throughput_uncached", load.throughput, live, UNCACHED_SECONDS, CONCURRENCY)
                server.stop()
                server.start()
        elif wanted("throughput"):
            results["parts"]["throughput"] = {"status": "not measured: wrk could not be installed"}
        run_part(results, "weight", lambda: {"pages": {name: weight.page_weight(path) for name, path in live}})
        # Rendered afresh (page cache off): what a page costs the database when the cache cannot help.
        run_part(
            results,
            "queries",
            lambda: {"pages": probe("queries", *[path for _, path in pages], PUBLIC_PAGE_CACHE_SECONDS="0")},
        )
        import journey

        run_part(results, "journey", journey.journey_part, server, targets.get("open_call_slug"))
        run_part(results, "faults", journey.faults_part, server, targets.get("open_call_slug"))
        import admin_export

        run_part(results, "staff", admin_export.staff_part, server)
        import scale_bench

        # Two servers sharing PostgreSQL and Redis, two email workers (bench/scale_bench.py).
        run_part(results, "scale", scale_bench.scale_part, targets.get("open_call_slug"))
    finally:
        server.stop()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            try:
                drop_database()
            except Exception as exc:  # noqa: BLE001
                log(f"could not drop review_bench: {exc!r}")
    results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    results["elapsed_s"] = round((datetime.datetime.now(datetime.UTC) - started).total_seconds(), 1)
    import report

    text = report.table(results)
    print(text)
    payload = json.dumps(results, indent=2, default=str)
    (RESULTS / "latest.json").write_text(payload)
    (RESULTS / f"bench-{started:%Y%m%dT%H%M%SZ}.json").write_text(payload)
    (RESULTS / "latest.txt").write_text(text)
    log(f"wrote {RESULTS / 'latest.json'} in {results['elapsed_s']} s")


if __name__ == "__main__":
    main()
