"""What a first visit to a page costs: bytes on the wire (as a browser asks for them) and where they come from."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests
from server import BASE

BROWSER_HEADERS = {
    "Accept-Encoding": "gzip, deflate, br",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "User-Agent": "review-bench/1 (like a browser)",
}
# Attributes a browser fetches on its own while loading a page (links <a href> are not fetched).
FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("video", "poster"),
}
LINK_RELS_FETCHED = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "manifest", "apple-touch-icon"}
CSS_RULE_URL = re.compile(r"([^{}]*)\{[^{}]*?url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
CLASS_ATTR = re.compile(r'class="([^"]*)"')
SELECTOR_CLASS = re.compile(r"\.([A-Za-z0-9_-]+)")


def used_by_page(selector, html_classes):
    """Whether any selector of the rule names only classes the page has (enough to say the rule may match)."""
    if "@font-face" in selector:
        return True
    for part in selector.split(","):
        classes = SELECTOR_CLASS.findall(part)
        if not classes or all(c in html_classes for c in classes):
            return True
    return False


JS_IMPORT = re.compile(r"""(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]""")


class ResourceParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fetched = []  # (kind, url)
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for t, attr in FETCHED:
            if tag == t and attrs.get(attr):
                self.fetched.append((tag, attrs[attr]))
        if tag in ("img", "source") and attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                self.fetched.append((tag, candidate.strip().split()[0]))
        if tag == "link" and attrs.get("href"):
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & LINK_RELS_FETCHED:
                self.fetched.append(("link:" + "/".join(sorted(rels)), attrs["href"]))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and attrs.get("action"):
            self.links.append(attrs["action"])


def same_origin(url):
    parts = urlsplit(url)
    if parts.scheme in ("data", "mailto", "tel"):
        return True
    return not parts.netloc or parts.netloc == urlsplit(BASE).netloc


def wire_get(session, url):
    """GET as a browser would; returns (status, bytes on the wire incl. headers, decoded body, content type)."""
    response = session.get(url, headers=BROWSER_HEADERS, stream=True, timeout=10)
    raw = response.raw.read(decode_content=False)
    header_bytes = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 17
    encoding = response.headers.get("Content-Encoding", "")
    body = raw
    if encoding:
        # Decode only to read the CSS/JS for further requests; the count above is the compressed size.
        response2 = session.get(url, timeout=10)
        body = response2.content
    return response.status_code, len(raw) + header_bytes, body, response.headers.get("Content-Type", ""), encoding


def page_weight(path):
    session = requests.Session()
    url = BASE + path
    status, html_bytes, body, _, encoding = wire_get(session, url)
    html = body.decode("utf-8", "replace")
    parser = ResourceParser()
    parser.feed(html)
    html_classes = {c for attr in CLASS_ATTR.findall(html) for c in attr.split()}
    skipped = []
    items = [{"url": path, "kind": "html", "status": status, "bytes": html_bytes, "encoding": encoding or "identity"}]
    third_party = [u for _, u in parser.fetched if not same_origin(urljoin(url, u))]
    queue = [(kind, urljoin(url, u)) for kind, u in parser.fetched if same_origin(urljoin(url, u))]
    seen = {url}
    while queue and len(seen) < 50:
        kind, resource = queue.pop(0)
        if resource in seen or resource.startswith("data:"):
            continue
        seen.add(resource)
        status, size, content, ctype, encoding = wire_get(session, resource)
        items.append(
            {
                "url": urlsplit(resource).path,
                "kind": kind,
                "status": status,
                "bytes": size,
                "encoding": encoding or "identity",
            }
        )
        text = content.decode("utf-8", "replace")
        if "css" in ctype:
            for selector, ref in CSS_RULE_URL.findall(text):
                target = urljoin(resource, ref)
                if not same_origin(target):
                    third_party.append(target)
                # A browser fetches a font (woff2 only) or a background image only when a rule using it matches.
                elif ref.endswith(".woff2") or used_by_page(selector, html_classes):
                    queue.append(("css-url", target))
                else:
                    skipped.append(urlsplit(target).path)
        if "javascript" in ctype:
            for a, b in JS_IMPORT.findall(text):
                ref = a or b
                target = urljoin(resource, ref)
                if same_origin(target):
                    queue.append(("js-import", target))
                else:
                    third_party.append(target)
    external_links = sorted({u for u in parser.links if not same_origin(urljoin(url, u))})
    total = sum(i["bytes"] for i in items)
    return {
        "path": path,
        "status": items[0]["status"],
        "total_bytes": total,
        "total_kb": round(total / 1024, 1),
        "items": items,
        "third_party_requests": sorted(set(third_party)),
        "css_urls_not_fetched": sorted(set(skipped)),
        "external_links_not_fetched": external_links,
    }
