"""The staff side with many responses: the admin responses list, and the exports' time and memory.

bench/seed_responses.py (bulk inserts) stores 10,000 responses and the exports run; then more, up to 30,000 (the
workbook export again) and 100,000 (the CSV export again, once through gunicorn, and the admin list).
"Flat in the number of rows" means the larger export needs about the memory of the 10,000-row one.
"""

import json
import os
import re
import subprocess
import time

import requests
from server import BASE, PYTHON, ROOT, Gunicorn, django_env, log, probe

FIRST_ROWS = int(os.environ.get("BENCH_ROWS_FIRST", "10000"))
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
# A workbook costs about five times a CSV to write: at 100,000 rows it alone would take a minute of the bench.
XLSX_ROWS = int(os.environ.get("BENCH_XLSX_ROWS", "30000"))
ADMIN_REQUESTS = int(os.environ.get("BENCH_ADMIN_REQUESTS", "20"))
STAFF_USER = "bench-admin"
STAFF_PASSWORD = "bench-only-password-7f3a9c2e1b"
CHANGELIST = "/admin/submissions/submission/"
EXPORT = "/admin/submissions/submission/export/"
TARGET_ADMIN_P95_MS = 500


def available():
    needed = [
        ROOT / "submissions" / "admin.py",
        ROOT / "submissions" / "exports.py",
        ROOT / "bench" / "seed_responses.py",
    ]
    missing = [str(p.relative_to(ROOT)) for p in needed if not p.exists()]
    if not missing and "export_view" not in (ROOT / "submissions" / "exports.py").read_text():
        missing.append("the admin export view")
    return missing


def seed(count):
    started = time.monotonic()
    proc = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "seed_responses.py"), "--count", str(count)],
        cwd=ROOT,
        env=django_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"seed_responses.py failed: {proc.stderr[-2000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    info["elapsed_s"] = round(time.monotonic() - started, 1)
    log(f"seeded {info['created']:,} responses ({info['total']:,} in the bench call) in {info['elapsed_s']} s")
    return info


def login():
    session = requests.Session()
    page = session.get(f"{BASE}/admin/login/?next=/admin/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{BASE}/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": STAFF_USER, "password": STAFF_PASSWORD, "next": "/admin/"},
        headers={"Referer": f"{BASE}/admin/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in to the admin: {response.status_code}")
    return session


def changelist_times(session, count):
    times, statuses = [], []
    for _ in range(count):
        started = time.monotonic()
        response = session.get(BASE + CHANGELIST, timeout=60)
        times.append(time.monotonic() - started)
        statuses.append(response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times) + 0.5) - 1)]
    return {
        "requests": count,
        "statuses": sorted(set(statuses)),
        "p50_ms": round(times[len(times) // 2] * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    }


def http_export(server, session, call_id, file_format):
    """One export through gunicorn: time, size, and how far the workers' peak memory rose."""
    before = {pid: Gunicorn.rss_kb(pid)[1] for pid in server.worker_pids()}
    started = time.monotonic()
    size = 0
    with session.get(
        f"{BASE}{EXPORT}?format={file_format}&personal=1&call__id__exact={call_id}", stream=True, timeout=300
    ) as response:
        for chunk in response.iter_content(65536):
            size += len(chunk)
        status = response.status_code
    seconds = time.monotonic() - started
    after = {pid: Gunicorn.rss_kb(pid)[1] for pid in server.worker_pids()}
    rise = max((after[pid] - before.get(pid, after[pid]) for pid in after), default=0)
    return {
        "status": status,
        "seconds": round(seconds, 1),
        "mb": round(size / 1e6, 1),
        "worker_peak_rise_mb": round(rise / 1024, 1),
    }


def subprocess_export(call_id, file_format):
    """The same export in a process of its own: ru_maxrss before and after says what it needed."""
    return probe("export_memory", str(call_id), file_format, STAFF_USER, timeout=600)


def staff_part(server):
    missing = available()
    if missing:
        return {"status": f"not measured: feature missing ({', '.join(missing)})"}
    probe("superuser", STAFF_USER, STAFF_PASSWORD)
    result = {"seed": []}
    exports = {}
    total = 0
    # Seed up to each size in turn, and export at the sizes each format is measured at.
    for size in sorted({FIRST_ROWS, XLSX_ROWS, ROWS}):
        result["seed"].append(seed(size - total))
        total = size
        call_id = result["seed"][0]["call_id"]
        formats = [f for f, sizes in (("csv", (FIRST_ROWS, ROWS)), ("xlsx", (FIRST_ROWS, XLSX_ROWS))) if size in sizes]
        for file_format in formats:
            exports[f"{file_format}_{size}"] = subprocess_export(call_id, file_format)
            log(f"export {file_format} {size:,}: {exports[f'{file_format}_{size}']}")
    session = login()
    result["http_export_csv"] = http_export(server, session, call_id, "csv")
    log(f"export csv {ROWS:,} through gunicorn: {result['http_export_csv']}")
    changelist_times(session, 2)  # warm: the first request fills per-process caches
    result["changelist"] = changelist_times(session, ADMIN_REQUESTS)
    log(f"admin changelist: {result['changelist']}")
    result["exports"] = exports

    c = result["changelist"]
    rows = [
        (
            "admin list",
            f"p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, max {c['max_ms']} ms over {c['requests']} requests "
            f"with {result['seed'][-1]['total']:,} responses (status {c['statuses']})",
            f"p95 < {TARGET_ADMIN_P95_MS} ms",
            c["p95_ms"] < TARGET_ADMIN_P95_MS and c["statuses"] == [200],
        )
    ]
    for file_format, rows_large in (("csv", ROWS), ("xlsx", XLSX_ROWS)):
        small, large = exports[f"{file_format}_{FIRST_ROWS}"], exports[f"{file_format}_{rows_large}"]
        flat = large["rise_mb"] <= max(2 * small["rise_mb"], small["rise_mb"] + 30)
        rows.append(
            (
                f"export {file_format}",
                f"{FIRST_ROWS:,} rows: {small['seconds']} s, +{small['rise_mb']} MB; {rows_large:,} rows: "
                f"{large['seconds']} s, +{large['rise_mb']} MB ({large['mb']} MB file)",
                "memory flat",
                flat and small["status"] == large["status"] == 200,
            )
        )
    h = result["http_export_csv"]
    rows.append(
        (
            "export csv via gunicorn",
            f"{ROWS:,} rows in {h['seconds']} s ({h['mb']} MB, status {h['status']}); "
            f"worker peak RSS rose {h['worker_peak_rise_mb']} MB",
            "",
            None,
        )
    )
    result["rows"] = rows
    return result
