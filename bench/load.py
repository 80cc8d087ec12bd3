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
    }


def throughput(pages, seconds, connections, hello_seconds=5, warmup=2):
    """Each page runs between two hello-world runs, and is compared with their mean.

    The machine may be busy with other work: a page and its baseline measured minutes apart could differ by
    the load around them, not by what the page costs.
    """
    hello = "/bench/hello/"
    wrk(hello, warmup * 2, connections)
    hellos = [wrk(hello, hello_seconds, connections)]
    runs = {}
    for name, path in pages:
        wrk(path, warmup, connections)
        run = wrk(path, seconds, connections)
        hellos.append(wrk(hello, hello_seconds, connections))
        baseline = (hellos[-2]["rps"] + hellos[-1]["rps"]) / 2
        run["hello_rps_around"] = round(baseline, 1)
        run["ratio_to_hello"] = round(run["rps"] / baseline, 3) if baseline else None
        runs[name] = run
        log(
            f"{name:6} {path:36} {run['rps']:7.1f} req/s  p50 {run['p50_ms']} p95 {run['p95_ms']} ms  "
            f"hello {baseline:.0f} req/s  ratio {run['ratio_to_hello']:.0%}"
        )
    hello_rps = [h["rps"] for h in hellos]
    summary = {
        "path": hello,
        "rps": round(sum(hello_rps) / len(hello_rps), 1),
        "rps_min": min(hello_rps),
        "rps_max": max(hello_rps),
        "p50_ms": round(sorted(h["p50_ms"] for h in hellos)[len(hellos) // 2], 2),
        "p95_ms": round(sorted(h["p95_ms"] for h in hellos)[len(hellos) // 2], 2),
        "p99_ms": round(sorted(h["p99_ms"] for h in hellos)[len(hellos) // 2], 2),
        "errors": sum(h["errors"] for h in hellos),
        "runs": len(hellos),
    }
    return {
        "seconds": seconds,
        "connections": connections,
        "hello": summary,
        "hello_runs": hellos,
        "runs": runs,
    }
