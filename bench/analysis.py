"""The analysis workflow at size (python -m bench.run, part "analysis"): import_responses of BENCH_ANALYSIS_ROWS
offline responses (and a tenth of that first, to show memory stays flat), suggested themes for
BENCH_ANALYSIS_IDEAS ideas, then every imported idea coded and the call's analysis overview requested
BENCH_ADMIN_REQUESTS times through gunicorn by a signed-in member of staff.

Targets: the import in under 2 minutes with memory flat; suggestions in under 60 s; the overview p95 < 500 ms (the
figures are kept in the cache until the coding changes: the first view and each Refresh count them afresh, and
those times are shown beside it).
"""

import os
import sys
import tempfile
import time

from .base import django_env, log, percentile, probe, run
from .staff import ADMIN_REQUESTS, STAFF_PASSWORD, STAFF_USER, sign_in

ROWS = int(os.environ.get("BENCH_ANALYSIS_ROWS", "100000"))
FIRST_ROWS = max(1, ROWS // 10)
IDEAS = int(os.environ.get("BENCH_ANALYSIS_IDEAS", "10000"))
REFRESHES = 5


def analysis_probe(*args, timeout=900):
    import json

    out = run([sys.executable, "-m", "bench.analysis_probe", *args], django_env(), timeout)
    return json.loads(out.strip().splitlines()[-1])


def analysis_part(gunicorn):
    result = {}
    with tempfile.TemporaryDirectory(prefix="bench-analysis-") as folder:
        for name, rows in (("first", FIRST_ROWS), ("full", ROWS)):
            path = os.path.join(folder, f"{name}.csv")
            result[f"csv_{name}"] = analysis_probe("csv", str(rows), path)
            result[f"import_{name}"] = analysis_probe("import", f"bench-analysis-{name}", path)
            log(f"import of {rows:,} rows: {result[f'import_{name}']}")
    result["suggest"] = analysis_probe("suggest", str(IDEAS))
    log(f"suggestions for {IDEAS:,} ideas: {result['suggest']}")
    result["code"] = coded = analysis_probe("code", "bench-analysis-full")
    log(f"coded: {coded}")
    probe("superuser", STAFF_USER, STAFF_PASSWORD)
    session = sign_in(gunicorn.url)
    url = f"{gunicorn.url}/admin/analysis/theme/call/{coded['call_id']}/"
    times, statuses, counted = [], set(), []
    for n in range(ADMIN_REQUESTS + 2):
        started = time.monotonic()
        statuses.add(session.get(url, timeout=60).status_code)
        if n >= 2:  # the first fills per-process caches and counts the figures (the cache then keeps them)
            times.append((time.monotonic() - started) * 1000)
        else:
            counted.append((time.monotonic() - started) * 1000)
    for _ in range(REFRESHES):  # "count again now": the figures computed afresh every time
        started = time.monotonic()
        statuses.add(session.get(url + "?refresh=1", timeout=120).status_code)
        counted.append((time.monotonic() - started) * 1000)
    page = result["overview"] = {f"p{p}_ms": round(percentile(times, p), 1) for p in (50, 95, 100)}
    page["counted_ms"] = [round(ms) for ms in counted]
    page["statuses"] = sorted(statuses)
    small, large = result["import_first"], result["import_full"]
    flat = large["rise_mb"] <= max(2 * small["rise_mb"], small["rise_mb"] + 30)
    result["rows"] = [
        (
            "import",
            f"{FIRST_ROWS:,} rows: {small['seconds']} s, +{small['rise_mb']} MB; {ROWS:,} rows "
            f"({result['csv_full']['mb']} MB): {large['seconds']} s ({large['cpu_seconds']} s CPU), "
            f"+{large['rise_mb']} MB (peak {large['peak_mb']} MB)",
            "< 120 s, memory flat",
            large["seconds"] < 120 and flat and large["rows"] == ROWS,
        ),
        (
            "suggestions",
            f"{result['suggest']['items']:,} ideas: {result['suggest']['themes']} themes in "
            f"{result['suggest']['seconds']} s ({result['suggest']['cpu_seconds']} s CPU)",
            "< 60 s",
            result["suggest"]["seconds"] < 60,
        ),
        (
            "overview",
            f"p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms, max {page['p100_ms']} ms over {ADMIN_REQUESTS} "
            f"requests with {coded['codings']:,} codings of {coded['ideas']:,} ideas (status {page['statuses']}); "
            f"counted afresh (first view, then Refresh): {', '.join(str(ms) for ms in page['counted_ms'])} ms",
            "p95 < 500 ms",
            page["p95_ms"] < 500 and statuses == {200},
        ),
    ]
    return result
