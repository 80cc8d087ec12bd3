"""Public pages on the wire: throughput against hello-world with wrk, and what a first visit weighs."""

import json
import os
import re
import shutil
import statistics
import subprocess
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

from .base import ROOT, log

HELLO = "/bench/hello/"
BROWSER = {
    "Accept-Encoding": "gzip, deflate, br",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "User-Agent": "review-bench/1 (like a browser)",
}


def ensure_wrk():
    """wrk is Debian's package: install it when missing (the bench runs as root on the dev machines)."""
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    for command in (["apt-get", "install", "-y", "-qq", "wrk"], ["apt-get", "update", "-qq"]) * 2:
        if shutil.which("wrk"):
            break
        log(f"wrk is missing: {' '.join(command)}")
        subprocess.run(command, env=env, timeout=300, capture_output=True)
    return bool(shutil.which("wrk"))


def wrk(url, seconds, connections, cookie=None, body=None, fresh=False):
    """One wrk run against 127.0.0.1, asking as a browser does (with `cookie`, a Cookie header; with `body`, a form
    POSTed; `fresh`, as a hard refresh: Cache-Control: no-cache); its summary as a dict."""
    assert url.startswith("http://127.0.0.1:"), url
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk_report.lua")]
    for name in ("Accept-Encoding", "Accept"):
        command += ["-H", f"{name}: {BROWSER[name]}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if fresh:
        command += ["-H", "Cache-Control: no-cache"]
    env = {**os.environ, "BENCH_WRK_BODY": body or ""}
    proc = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, env=env)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary for {url}: {proc.stdout[-1000:]} {proc.stderr[-1000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    summary = {f"p{p}_ms": raw[f"p{p}_us"] / 1000 for p in (50, 95, 99)}
    return {"rps": raw["requests"] / (raw["duration_us"] / 1e6), "errors": raw["errors"], **summary}


def medians(runs):
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}


def throughput(base, pages, seconds, connections, rounds=3):
    """Each page against hello-world served by the same gunicorn (same settings, workers and middleware), in
    `rounds` interleaved rounds: within a round, a hello-world run of the same length comes right before each page,
    and the pages take turns to go first. A page's ratio is the median over the rounds of its rate over the
    hello-world run beside it, so load that comes and goes on the machine falls on both sides of the ratio.

    A page is (name, path) or (name, path, {"cookie": ..., "body": ..., "fresh": True}): asked with that Cookie
    header, POSTing that form, as a hard refresh. Hello-world is always asked plainly, with no cookie."""
    pages = [(page[0], page[1], page[2] if len(page) > 2 else {}) for page in pages]
    length = max(1, round(seconds / rounds))
    for _, path, request in [("hello", HELLO, {}), *pages]:
        wrk(base + path, 1, connections, **request)  # every worker has rendered (and cached) it once
    hello, runs = {name: [] for name, *_ in pages}, {name: [] for name, *_ in pages}
    for round_number in range(rounds):
        turn = round_number % len(pages)
        for name, path, request in pages[turn:] + pages[:turn]:
            hello[name].append(wrk(base + HELLO, length, connections))
            runs[name].append(wrk(base + path, length, connections, **request))
    result = {"seconds": length, "rounds": rounds, "connections": connections, "pages": {}}
    everything = [h for slices in hello.values() for h in slices]
    rates = [h["rps"] for h in everything]
    result["hello"] = {"path": HELLO, **medians(everything), "runs": len(rates)}
    result["hello"].update(rps_min=round(min(rates)), rps_max=round(max(rates)))
    for name, path, request in pages:
        ratios = [run["rps"] / base_run["rps"] for run, base_run in zip(runs[name], hello[name], strict=True)]
        page = {"path": path, **medians(runs[name]), "hello_rps": medians(hello[name])["rps"]}
        page.update(method="POST" if request.get("body") else "GET", cookie=bool(request.get("cookie")))
        page.update(fresh=bool(request.get("fresh")))
        page.update(ratio=round(statistics.median(ratios), 3), ratios=[round(r, 3) for r in ratios])
        page["errors"] = sum(r["errors"] for r in runs[name])
        result["pages"][name] = page
        log(f"{name:14} {path:44} {page['rps']:7.0f} req/s = {page['ratio']:.0%} of hello ({page['hello_rps']:.0f})")
    return result


def throughput_rows(result, title, target=None, targets=None):
    """Table rows: hello-world, then each page with its share of it, judged against `target` (a share, e.g. 0.6),
    or the page's own in `targets` (name -> share, None: shown for comparison)."""
    h = result["hello"]
    rows = [
        (
            title,
            f"wrk {result['connections']} connections; {result['rounds']} rounds of {result['seconds']} s runs, each "
            "page right after hello-world on the same gunicorn; medians",
            "",
            None,
        ),
        (
            f"  hello {h['path']}",
            f"{h['rps']:.0f} req/s ({h['rps_min']}-{h['rps_max']} in {h['runs']} runs)  p50 {h['p50_ms']:.1f}  "
            f"p95 {h['p95_ms']:.1f}  p99 {h['p99_ms']:.1f} ms",
            "baseline",
            None,
        ),
    ]
    for name, p in result["pages"].items():
        value = (
            f"{p['rps']:.0f} req/s  p50 {p['p50_ms']:.1f}  p95 {p['p95_ms']:.1f}  p99 {p['p99_ms']:.1f} ms  = "
            f"{p['ratio']:.0%} of hello ({', '.join(f'{r:.0%}' for r in p['ratios'])})"
            + (f"  errors {p['errors']}" if p["errors"] else "")
        )
        share = (targets or {}).get(name, target)
        if share is None:
            rows.append((f"  {name} {p['path']}", value, "(for comparison)", None))
        else:
            rows.append((f"  {name} {p['path']}", value, f">= {share:.0%}", p["ratio"] >= share and not p["errors"]))
    return rows


# Page weight: what a browser fetches on a first visit, as compressed on the wire.

FETCHED = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"), ("video", "src"), ("audio", "src")}
FETCHED |= {("embed", "src"), ("object", "data"), ("input", "src"), ("video", "poster")}
LINK_RELS_FETCHED = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "manifest", "apple-touch-icon"}
CSS_RULE_URL = re.compile(r"([^{}]*)\{[^{}]*?url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
JS_IMPORT = re.compile(r"""(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]""")


class ResourceParser(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.fetched, self.links = [], []  # what a browser loads by itself; plain links (not fetched)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.fetched += [attrs[attr] for t, attr in FETCHED if tag == t and attrs.get(attr)]
        if tag in ("img", "source") and attrs.get("srcset"):
            self.fetched += [candidate.strip().split()[0] for candidate in attrs["srcset"].split(",")]
        rels = set((attrs.get("rel") or "").lower().split())
        if tag == "link" and attrs.get("href") and rels & LINK_RELS_FETCHED:
            self.fetched.append(attrs["href"])
        link = {"a": attrs.get("href"), "form": attrs.get("action")}.get(tag)
        if link:
            self.links.append(link)


def used_by_page(selector, html_classes):
    """Whether any selector of a CSS rule names only classes the page has (so a browser may fetch its url())."""
    return "@font-face" in selector or any(
        all(c in html_classes for c in re.findall(r"\.([A-Za-z0-9_-]+)", part)) for part in selector.split(",")
    )


def page_weight(base, path):
    session = requests.Session()
    netloc = urlsplit(base).netloc

    def same_origin(url):
        parts = urlsplit(url)
        return parts.scheme in ("data", "mailto", "tel") or parts.netloc in ("", netloc)

    def get(url):
        """(status, bytes on the wire with headers, decoded body, content type, encoding)."""
        response = session.get(url, headers=BROWSER, stream=True, timeout=10)
        raw = response.raw.read(decode_content=False)
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 17
        encoding = response.headers.get("Content-Encoding", "")
        # Decoded only to read CSS and JS for what they load; the count is the compressed size.
        body = session.get(url, timeout=10).content if encoding else raw
        return response.status_code, len(raw) + headers, body, response.headers.get("Content-Type", ""), encoding

    url = base + path
    status, size, body, _, encoding = get(url)
    html = body.decode("utf-8", "replace")
    parser = ResourceParser(html)
    html_classes = {c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split()}
    items = [{"url": path, "status": status, "bytes": size, "encoding": encoding or "identity"}]
    found = [urljoin(url, u) for u in parser.fetched]
    third_party, skipped, seen = [u for u in found if not same_origin(u)], [], {url}
    queue = [u for u in found if same_origin(u)]
    while queue and len(seen) < 50:
        resource = queue.pop(0)
        if resource in seen or resource.startswith("data:"):
            continue
        seen.add(resource)
        status, size, content, ctype, encoding = get(resource)
        items.append({"url": urlsplit(resource).path, "status": status, "bytes": size, "encoding": encoding})
        text = content.decode("utf-8", "replace")
        refs = []
        if "css" in ctype:
            for selector, ref in CSS_RULE_URL.findall(text):
                # A browser fetches a font (woff2 only) or a background image only when a rule using it matches.
                if ref.endswith(".woff2") or used_by_page(selector, html_classes):
                    refs.append(ref)
                elif same_origin(urljoin(resource, ref)):
                    skipped.append(urlsplit(urljoin(resource, ref)).path)
                else:
                    third_party.append(urljoin(resource, ref))
        if "javascript" in ctype:
            refs += [a or b for a, b in JS_IMPORT.findall(text)]
        for ref in refs:
            target = urljoin(resource, ref)
            (queue if same_origin(target) else third_party).append(target)
    total = sum(i["bytes"] for i in items)
    return {
        "path": path,
        "status": items[0]["status"],
        "total_kb": round(total / 1024, 1),
        "items": items,
        "third_party_requests": sorted(set(third_party)),
        "css_urls_not_fetched": sorted(set(skipped)),
        "external_links_not_fetched": sorted({u for u in parser.links if not same_origin(urljoin(url, u))}),
    }


def weight_rows(result):
    rows = [("PAGE WEIGHT", "HTML+CSS+JS+images, first visit, compressed as a browser asks", "", None)]
    for name, p in result["pages"].items():
        third = len(p["third_party_requests"])
        value = f"{p['total_kb']:.1f} KB in {len(p['items'])} requests, {third} third-party"
        rows.append((f"  {name} {p['path']}", value, "<= 150 KB, 0", p["total_kb"] <= 150 and third == 0))
    return rows
