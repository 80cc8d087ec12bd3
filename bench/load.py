"""Throughput and latency of pages, as a share of a hello-world view in the same server, with wrk."""

import json
import shutil
import subprocess

from server import BASE, ROOT, log

LUA = str(ROOT / "bench" / "wrk_report.lua")


def ensure_wrk():
    """wrk is Debian's package: install it when missing (the bench runs as root on the dev machines)."""
    if shutil.which("wrk"):
        return True
    log("wrk is missing: apt-get install wrk")
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, timeout=300, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], env=env, timeout=300, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, timeout=300, capture_output=True)
    return bool(shutil.which("wrk"))


def wrk(path, seconds, connections, threads=2):
    """One wrk run against 127.0.0.1; returns its summary as a dict."""
    url = BASE + path
    assert url.startswith("http://127.0.0.1:"), url
    proc = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            LUA,
            # What a browser sends: whitenoise and any compression see the same request a visitor makes.
            "-H",
            "Accept-Encoding: gzip, deflate, br",
            "-H",
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary for {path}: {proc.stdout[-1000:]} {proc.stderr[-1000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "path": path,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": errors,
        "non_2xx_3xx": raw["status_errors"],
        "bytes_per_response": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
        "seconds": raw["duration_us"] / 1e6,
        "quantiles_us": raw["quantiles_us"],
    }


QUANTILE_WEIGHTS = [1.0] * 98 + [0.75, 0.45, 0.4, 0.1]  # the share of requests each reported quantile stands for


def pooled(slices):
    """Several wrk runs of one address as one: requests over time, and percentiles from the pooled quantiles."""
    requests_total = sum(r["requests"] for r in slices)
    seconds = sum(r["seconds"] for r in slices)
    points = []
    for r in slices:
        # Each run's quantiles stand for its requests in proportion to the share of the distribution they cover.
        points += [(q, r["requests"] * w / 100) for q, w in zip(r["quantiles_us"], QUANTILE_WEIGHTS, strict=True)]
    points.sort()
    total_weight = sum(w for _, w in points)

    def percentile(p):
        running = 0
        for value, weight in points:
            running += weight
            if running >= total_weight * p / 100:
                return round(value / 1000, 2)
        return round(points[-1][0] / 1000, 2) if points else None

    return {
        "path": slices[0]["path"],
        "requests": requests_total,
        "rps": round(requests_total / seconds, 1) if seconds else 0,
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "p99_ms": percentile(99),
        "max_ms": max(r["max_ms"] for r in slices),
        "errors": sum(r["errors"] for r in slices),
        "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in slices),
        "bytes_per_response": slices[0]["bytes_per_response"],
        "slices_rps": [r["rps"] for r in slices],
    }


def throughput(pages, seconds, connections, rounds=4, warmup=2):
    """Each page in `rounds` short runs, each right after a short hello-world run; compared with those.

    Other work on the machine comes and goes within seconds: a page and its baseline measured far apart
    would differ by the load around them, not by what the page costs.
    """
    hello = "/bench/hello/"
    page_slice = max(1, round(seconds / rounds))
    hello_slice = max(1, page_slice // 2)
    wrk(hello, warmup * 2, connections)
    runs, hello_slices = {}, []
    for name, path in pages:
        wrk(path, warmup, connections)
        mine_hello, mine = [], []
        for _ in range(rounds):
            mine_hello.append(wrk(hello, hello_slice, connections))
            mine.append(wrk(path, page_slice, connections))
        hello_slices += mine_hello
        run = pooled(mine)
        baseline = pooled(mine_hello)["rps"]
        run["hello_rps_around"] = baseline
        run["ratio_to_hello"] = round(run["rps"] / baseline, 3) if baseline else None
        runs[name] = run
        log(
            f"{name:6} {path:36} {run['rps']:7.1f} req/s  p50 {run['p50_ms']} p95 {run['p95_ms']} ms  "
            f"hello {baseline:.0f} req/s  ratio {run['ratio_to_hello']:.0%}"
        )
    summary = pooled(hello_slices)
    rps = [h["rps"] for h in hello_slices]
    summary.update(rps_min=min(rps), rps_max=max(rps), runs=len(rps))
    return {
        "seconds": page_slice * rounds,
        "rounds": rounds,
        "connections": connections,
        "hello": summary,
        "runs": runs,
    }
