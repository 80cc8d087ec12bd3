"""The staff side at size: the admin responses list and the exports with many responses, and the archive export."""

import json
import os
import re
import sys
import tempfile
import time

import requests

from .base import log, percentile, probe, run

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
FIRST_ROWS = int(os.environ.get("BENCH_ROWS_FIRST", min(10_000, ROWS // 10)))
# A workbook costs about five times a CSV to write: at 100,000 rows it alone would take a minute of the bench.
XLSX_ROWS = int(os.environ.get("BENCH_XLSX_ROWS", min(30_000, ROWS * 3 // 10)))
ADMIN_REQUESTS = int(os.environ.get("BENCH_ADMIN_REQUESTS", "20"))
ARCHIVE_RESPONSES = int(os.environ.get("BENCH_ARCHIVE_RESPONSES", "10000"))
STAFF_USER, STAFF_PASSWORD = "bench-admin", "bench-only-password-7f3a9c2e1b"
CHANGELIST = "/admin/submissions/submission/"


def sign_in(base):
    session = requests.Session()
    page = session.get(f"{base}/admin/login/?next=/admin/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    data = {"csrfmiddlewaretoken": token, "username": STAFF_USER, "password": STAFF_PASSWORD, "next": "/admin/"}
    headers = {"Referer": f"{base}/admin/login/"}
    response = session.post(page.url, data=data, headers=headers, allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in to the admin: {response.status_code}")
    return session


def staff_part(gunicorn):
    """bench/probe.py seed stores 10,000 responses, then up to 30,000 and 100,000; each export runs in a process of
    its own (the rise in its peak memory is what the export needed); the CSV at full size also through gunicorn;
    then the admin list. "Memory flat" means the larger export needs about the memory of the 10,000-row one."""
    probe("superuser", STAFF_USER, STAFF_PASSWORD)
    result, exports, total = {"seed": []}, {}, 0
    for size in sorted({FIRST_ROWS, XLSX_ROWS, ROWS}):
        result["seed"].append(probe("seed", str(size - total), timeout=600))
        total = size
        log(f"seeded {total:,} responses")
        call_id = result["seed"][0]["call_id"]
        for file_format, sizes in (("csv", (FIRST_ROWS, ROWS)), ("xlsx", (FIRST_ROWS, XLSX_ROWS))):
            if size in sizes:
                exports[f"{file_format}_{size}"] = probe("export", str(call_id), file_format, STAFF_USER, timeout=600)
                log(f"export {file_format} {size:,}: {exports[f'{file_format}_{size}']}")
    session = sign_in(gunicorn.url)
    before = {pid: gunicorn.peak_rss_kb(pid) for pid in gunicorn.worker_pids()}
    started, size = time.monotonic(), 0
    url = f"{gunicorn.url}{CHANGELIST}export/?format=csv&personal=1&call__id__exact={call_id}"
    with session.get(url, stream=True, timeout=300) as response:
        size = sum(len(chunk) for chunk in response.iter_content(65536))
    rise = max((gunicorn.peak_rss_kb(pid) - before.get(pid, 0) for pid in before), default=0)
    h = {"status": response.status_code, "seconds": round(time.monotonic() - started, 1), "mb": round(size / 1e6, 1)}
    result["http_export_csv"] = {**h, "worker_peak_rise_mb": round(rise / 1024, 1)}
    times, statuses = [], set()
    for n in range(ADMIN_REQUESTS + 2):
        started = time.monotonic()
        statuses.add(session.get(gunicorn.url + CHANGELIST, timeout=60).status_code)
        if n >= 2:  # the first two fill per-process caches
            times.append((time.monotonic() - started) * 1000)
    c = result["changelist"] = {f"p{p}_ms": round(percentile(times, p), 1) for p in (50, 95, 100)}
    result["exports"] = exports
    rows = [
        (
            "admin list",
            f"p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, max {c['p100_ms']} ms over {ADMIN_REQUESTS} requests with "
            f"{total:,} responses (status {sorted(statuses)})",
            "p95 < 500 ms",
            c["p95_ms"] < 500 and statuses == {200},
        )
    ]
    for file_format, large_rows in (("csv", ROWS), ("xlsx", XLSX_ROWS)):
        small, large = exports[f"{file_format}_{FIRST_ROWS}"], exports[f"{file_format}_{large_rows}"]
        rows.append(
            (
                f"export {file_format}",
                f"{FIRST_ROWS:,} rows: {small['seconds']} s, +{small['rise_mb']} MB; {large_rows:,} rows: "
                f"{large['seconds']} s, +{large['rise_mb']} MB ({large['mb']} MB file)",
                "memory flat",
                large["rise_mb"] <= max(2 * small["rise_mb"], small["rise_mb"] + 30)
                and small["status"] == large["status"] == 200,
            )
        )
    h = result["http_export_csv"]
    rows.append(
        (
            "export csv via gunicorn",
            f"{ROWS:,} rows in {h['seconds']} s ({h['mb']} MB, status {h['status']}); worker peak RSS rose "
            f"{h['worker_peak_rise_mb']} MB",
            "",
            None,
        )
    )
    result["rows"] = rows
    return result


def archive_part():
    """export_archive of a site with many published responses, on a database of its own (SQLite in a temporary
    folder, or BENCH_ARCHIVE_DATABASE_URL), with the test settings as the archive tests use them."""
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "review_site.settings.test",
            "DATABASE_URL": os.environ.get("BENCH_ARCHIVE_DATABASE_URL", f"sqlite:///{folder}/archive.sqlite3"),
            "PRIVATE_STORAGE_ROOT": f"{folder}/private",
        }
        command = [sys.executable, "-m", "bench.probe", "archive", str(ARCHIVE_RESPONSES), folder]
        r = json.loads(run(command, env, 900).strip().splitlines()[-1])
    r["rows"] = [
        (
            "export_archive",
            f"{r['responses']:,} published responses: {r['pages']:,} pages, {r['files']:,} files, "
            f"{r['bytes'] / 1e6:.0f} MB (zip {r['zip_bytes'] / 1e6:.0f} MB) in {r['export_seconds']} s "
            f"({r['export_cpu_seconds']} s CPU; {', '.join(f'{k} {v} s' for k, v in r['seconds'].items())})",
            "< 60 s",
            r["export_seconds"] < 60,
        )
    ]
    return r
