"""The bench's results as a plain-text table, each figure beside its target."""

TARGET_RATIO = 0.5
TARGET_KB = 150
TARGET_SUBMIT_P95_MS = 300
TARGET_ADMIN_P95_MS = 500


def verdict(ok):
    return "ok" if ok else "MISSED"


def table(results):
    rows = []
    m = results["machine"]
    header = (
        f"review_site bench {results['started_at']}  commit {m['commit']}  {m['cores']} cores, {m['memory_gb']} GB, "
        f"gunicorn {m['gunicorn_workers']}x{m['gunicorn_threads']} threads, cache {m['cache']}, "
        f"load average at start {' '.join(m.get('load_average_at_start', []))}"
    )
    parts = results["parts"]

    throughput_rows(rows, parts.get("throughput"), "THROUGHPUT")
    throughput_rows(rows, parts.get("throughput_uncached"), "BEFORE: PAGE CACHE OFF", judged=False)
    for name, why in results.get("pages_not_measured", {}).items():
        rows.append((f"  {name}", why, "", "NOT MEASURED"))
    w = parts.get("weight")
    if w and w.get("pages"):
        rows.append(("PAGE WEIGHT", "HTML+CSS+JS+images, first visit, compressed as a browser asks", "", ""))
        for name, p in w["pages"].items():
            third = len(p["third_party_requests"])
            rows.append(
                (
                    f"  {name} {p['path']}",
                    f"{p['total_kb']:.1f} KB in {len(p['items'])} requests, {third} third-party",
                    f"<= {TARGET_KB} KB, 0",
                    verdict(p["total_kb"] <= TARGET_KB and third == 0),
                )
            )
    elif w:
        rows.append(("PAGE WEIGHT", w.get("status", ""), "", ""))

    q = parts.get("queries")
    if q and q.get("pages"):
        rows.append(
            ("SQL QUERIES", "per anonymous page view rendered afresh (page cache off; a cache hit runs 0)", "", "")
        )
        for path, r in q["pages"].items():
            rows.append((f"  {path}", f"{r['queries']} queries (status {r['status']})", "", ""))

    for key, title in (("journey", "JOURNEY"), ("faults", "FAULTS"), ("staff", "STAFF"), ("scale", "SCALE")):
        part = parts.get(key)
        if not part:
            continue
        if part.get("status") != "measured":
            rows.append((title, part["status"], "", "NOT MEASURED"))
            continue
        for label, value, target, ok in part.get("rows", []):
            rows.append((f"{title} {label}" if label else title, value, target, "" if ok is None else verdict(ok)))

    widths = [max(len(str(r[i])) for r in rows) if rows else 0 for i in range(4)]
    widths[1] = min(widths[1], 90)
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append("  ".join(str(c).ljust(widths[i]) for i, c in enumerate(r)).rstrip())
    lines.append(f"elapsed {results.get('elapsed_s')} s")
    return "\n".join(lines)


def throughput_rows(rows, t, title, judged=True):
    if not t:
        return
    if not t.get("runs"):
        rows.append((title, t.get("status", ""), "", ""))
        return
    rows.append(
        (
            title,
            f"wrk {t['connections']} connections, {t['seconds']} s per page in {t.get('rounds', 1)} runs, "
            "each after a hello-world run",
            "",
            "",
        )
    )
    h = t["hello"]
    rows.append(
        (
            f"  hello {h['path']}",
            f"{h['rps']:.0f} req/s (from {h['rps_min']:.0f} to {h['rps_max']:.0f} in {h['runs']} runs)  "
            f"p50 {h['p50_ms']:.1f}  p95 {h['p95_ms']:.1f}  p99 {h['p99_ms']:.1f} ms",
            "baseline",
            "",
        )
    )
    for name, r in t["runs"].items():
        ratio = r["ratio_to_hello"]
        value = (
            f"{r['rps']:.0f} req/s  p50 {r['p50_ms']:.1f}  p95 {r['p95_ms']:.1f}  p99 {r['p99_ms']:.1f} ms"
            f"  = {ratio:.0%} of hello ({r['hello_rps_around']:.0f} req/s around it)"
            + (f"  errors {r['errors']}" if r["errors"] else "")
        )
        ok = ratio >= TARGET_RATIO and not r["errors"]
        target = f">= {TARGET_RATIO:.0%}" if judged else "(for comparison)"
        rows.append((f"  {name} {r['path']}", value, target, verdict(ok) if judged else ""))
