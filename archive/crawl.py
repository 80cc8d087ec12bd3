"""Render the closed site in process and rewrite every page, feed and static file for a static copy."""

import dataclasses
import html
import posixpath
import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.urls import Resolver404, resolve

from .progress import Progress

# The only views whose pages are copied: what any member of the public could read.
ARCHIVED_VIEWS = {
    "pages:home",
    "pages:faqs",
    "pages:post_list",
    "pages:post_detail",
    "pages:post_feed",
    "pages:page",
    "pages:get_involved",
    "consultations:call_detail",
    "submissions:published_responses",
    "sitemap",
    "robots_txt",
}
ARCHIVED_VIEWS |= {"publications:list", "publications:detail", "publications:file", "analysis:what_we_heard"}
# Views whose ?page=N pages are copied as <path>/page/N/index.html.
PAGINATED_VIEWS = {"pages:post_list", "submissions:published_responses", "publications:list"}
START_URLS = ["/", "/news/feed/", "/robots.txt", "/sitemap.xml"]
EXTENSIONS = {
    "text/html": ".html",
    "application/atom+xml": ".xml",
    "application/rss+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": ".txt",
}
CLOSED_FORM_NOTE = (
    '<div class="govuk-inset-text">This website has closed. This is an archived copy: forms no longer work.</div>'
)
MAX_REDIRECTS = 5

# HTML, read with regular expressions: the pages are the site's own templates, and this is many times faster
# than a parser over thousands of pages. An attribute value may hold ">", so values are matched whole.
_ATTRS = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
TOKEN_RE = re.compile(
    r"(?P<comment><!--.*?-->)"
    rf"|(?P<form><form\b{_ATTRS}\s*>.*?</form\s*>)"
    rf"|(?P<anchor><a(?P<a_attrs>{_ATTRS})\s*>(?P<a_inner>.*?)</a\s*>)"
    rf"|(?P<tag><(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>{_ATTRS})\s*/?>)",
    re.DOTALL | re.IGNORECASE,
)
ATTR_RE = re.compile(
    r"""(?P<space>\s+)(?P<name>[^\s"'>/=]+)(?:(?P<eq>\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+)))?"""
)
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster"}
CSS_URL_RE = re.compile(
    r"""url\(\s*(?P<q>['"]?)(?P<url>[^'")]*?)(?P=q)\s*\)|@import\s+(?P<iq>['"])(?P<iurl>[^'"]+)(?P=iq)"""
)
JS_IMPORT_RE = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)(?P<q>['"])(?P<url>\.{0,2}/[^'"\s]+)(?P=q)""")
# Addresses are found from their "@" outwards, so a long run of text without one costs nothing.


class ArchiveError(Exception):
    """The export cannot be handed over; the message says why."""


@dataclasses.dataclass
class Fetched:
    file: str  # path inside the archive
    content_type: str
    body: str


def relative(target_file, from_file):
    """The relative address of one archive file from another (both archive paths)."""
    return posixpath.relpath(target_file, posixpath.dirname(from_file) or ".")


def _attr_value(match):
    for group in ("dq", "sq", "uq"):
        if match.group(group) is not None:
            return html.unescape(match.group(group))
    return None


class SiteArchive:
    """Renders, rewrites and writes the archived copy. Use export_site()."""

    def __init__(self, *, progress=None):
        site = urlsplit(settings.SITE_URL)
        self.scheme = site.scheme or "http"
        self.host = (site.netloc or "testserver").lower()
        self.static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        self.progress = progress or Progress()
        self.client = Client(HTTP_HOST=self.host)
        self.pages = {}  # canonical URL -> Fetched, or None when it is not copied
        self.redirects = {}  # canonical URL -> the target it redirects to (a target, see classify())
        self.static = {}  # static name -> bytes (after rewriting), or None when it cannot be found
        self.report = None

    # Addresses

    def classify(self, href, base):
        """What a link on the page at base points at.

        ("page", canonical URL, fragment) for an archived view, ("static", name, fragment) for a static file,
        ("drop", URL) for an internal address that is not archived, ("keep",) for an external or same-page link.
        """
        href = href.strip()
        parts = urlsplit(href)
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return ("keep",)
        if parts.netloc and parts.netloc.lower() != self.host:
            return ("keep",)
        if not parts.scheme and not parts.netloc and not parts.path and not parts.query:
            return ("keep",)  # "#anchor" or empty: this page
        if parts.netloc:
            href = parts._replace(scheme="", netloc="").geturl() or "/"
        url = urlsplit(urljoin(base, href))
        path, fragment = url.path or "/", url.fragment
        if path.startswith(self.static_url):
            return ("static", unquote(path[len(self.static_url) :]), fragment)
        match = self.resolve_path(path)
        if match is None and settings.APPEND_SLASH and not path.endswith("/"):
            # What CommonMiddleware would redirect to.
            path += "/"
            match = self.resolve_path(path)
        if match is None:
            return ("drop", path + (f"?{url.query}" if url.query else ""))
        if match.view_name not in ARCHIVED_VIEWS:
            return ("drop", path + (f"?{url.query}" if url.query else ""))
        if not url.query:
            return ("page", path, fragment)
        query = parse_qsl(url.query, keep_blank_values=True)
        if match.view_name in PAGINATED_VIEWS and len(query) == 1 and query[0][0] == "page":
            number = query[0][1]
            if number.isdigit() and int(number) >= 1:
                return ("page", path if int(number) == 1 else f"{path}?page={int(number)}", fragment)
        return ("drop", f"{path}?{url.query}")

    @staticmethod
    def resolve_path(path):
        try:
            return resolve(unquote(path))
        except Resolver404:
            return None

    def file_for(self, canonical, content_type):
        path, _, query = canonical.partition("?")
        name = unquote(path).lstrip("/")
        if query:
            name += f"page/{query.removeprefix('page=')}/"
        if name == "" or name.endswith("/"):
            name += "index" + EXTENSIONS[content_type]
        normal = posixpath.normpath(name)
        if normal != name or normal.startswith(("../", "/")):
            raise ArchiveError(f"{canonical} does not map to a safe file name")
        return name

    # Rendering

    def get(self, url):
        response = self.client.get(url, secure=self.scheme == "https")
        self.client.cookies.clear()  # every page as a first-time visitor sees it
        return response

    def crawl(self):
        queue = deque()
        referrers = {}

        def discover(target, referrer):
            kind = target[0]
            if kind == "page":
                canonical = target[1]
                if canonical not in self.pages and canonical not in self.redirects and canonical not in referrers:
                    referrers[canonical] = referrer
                    queue.append(canonical)
            elif kind == "static":
                self.static.setdefault(target[1], None)
            elif kind == "drop":
                self.report.unlinked.setdefault(target[1], referrer)

        for url in START_URLS:
            discover(self.classify(url, "/"), "(start)")
        while queue:
            canonical = queue.popleft()
            self.progress.crawl(len(self.pages), len(queue))
            response = self.get(canonical)
            if response.status_code in (301, 302, 303, 307, 308):
                target = self.classify(response["Location"], canonical)
                self.redirects[canonical] = target
                discover(target, referrers[canonical])
                continue
            content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
            # An address that names a file (a publication's PDF, no trailing slash) is copied byte for byte.
            is_file = response.status_code == 200 and not canonical.endswith("/") and content_type not in EXTENSIONS
            if not is_file and (response.status_code != 200 or content_type not in EXTENSIONS):
                self.pages[canonical] = None
                self.report.missing[canonical] = (response.status_code, referrers[canonical])
                continue
            body = response.getvalue() if is_file else response.content.decode(response.charset or "utf-8")
            if content_type == "text/html":
                body = self.remove_forms(body)
                for href in self.html_urls(body):
                    discover(self.classify(href, canonical), canonical)
            elif canonical == "/sitemap.xml":
                for loc in re.findall(r"<loc>([^<]+)</loc>", body):
                    discover(self.classify(html.unescape(loc), canonical), canonical)
            self.pages[canonical] = Fetched(self.file_for(canonical, content_type), content_type, body)
        self.progress.crawl(len(self.pages), 0)
        self.progress.finish()

    # HTML

    @staticmethod
    def remove_forms(body):
        return TOKEN_RE.sub(lambda m: CLOSED_FORM_NOTE if m.group("form") else m.group(0), body)

    @staticmethod
    def html_urls(body):
        for match in TOKEN_RE.finditer(body):
            attrs = match.group("a_attrs") if match.group("anchor") is not None else match.group("attrs")
            if match.group("anchor") is not None:
                yield from SiteArchive.html_urls(match.group("a_inner"))
            if not attrs:
                continue
            for attr in ATTR_RE.finditer(attrs):
                name, value = attr.group("name").lower(), _attr_value(attr)
                if value is None or name not in URL_ATTRS:
                    continue
                if name == "srcset":
                    yield from (item.split()[0] for item in value.split(",") if item.strip())
                else:
                    yield value

    def resolve_target(self, target):
        """Follow redirects: the archive file and fragment a target ends at, or None when it is not copied."""
        for _ in range(MAX_REDIRECTS + 1):
            if target[0] == "page" and target[1] in self.redirects:
                fragment = target[2]
                target = self.redirects[target[1]]
                if fragment and target[0] == "page" and not target[2]:
                    target = (*target[:2], fragment)
                continue
            break
        if target[0] == "page":
            fetched = self.pages.get(target[1])
            return (fetched.file, target[2]) if fetched else None
        if target[0] == "static":
            return ("static/" + target[1], target[2]) if self.static.get(target[1]) is not None else None
        return None

    def rewrite_url(self, value, base, from_file):
        """The relative address for a link, the link unchanged ("keep"), or None to remove it."""
        target = self.classify(value, base)
        if target[0] == "keep":
            return value
        resolved = self.resolve_target(target)
        if resolved is None:
            return None
        file, fragment = resolved
        return relative(file, from_file) + (f"#{fragment}" if fragment else "")

    def rewrite_attrs(self, attrs, base, from_file):
        """(new attribute text, whether a link had to be removed)."""
        removed = False

        def attr(match):
            nonlocal removed
            name, value = match.group("name").lower(), _attr_value(match)
            if value is None or name not in URL_ATTRS:
                return match.group(0)
            if name == "srcset":
                items = []
                for item in value.split(","):
                    if not item.strip():
                        continue
                    url, *descriptor = item.split()
                    new = self.rewrite_url(url, base, from_file)
                    if new is not None:
                        items.append(" ".join([new, *descriptor]))
                new_value = ", ".join(items)
            else:
                new_value = self.rewrite_url(value, base, from_file)
            if new_value is None:
                removed = True
                return ""
            if new_value == value:
                return match.group(0)
            quoted = new_value.replace("&", "&amp;").replace('"', "&quot;")
            return f'{match.group("space")}{match.group("name")}{match.group("eq") or "="}"{quoted}"'

        return ATTR_RE.sub(attr, attrs), removed

    def rewrite_html(self, body, base, from_file):
        def token(match):
            if match.group("comment") is not None:
                return match.group(0)
            if match.group("form") is not None:
                return CLOSED_FORM_NOTE
            if match.group("anchor") is not None:
                attrs, removed = self.rewrite_attrs(match.group("a_attrs"), base, from_file)
                inner = self.rewrite_html(match.group("a_inner"), base, from_file)
                if not removed:
                    return f"<a{attrs}>{inner}</a>"
                # A link to a page that is not copied: a button (Start now) goes, other links become their text.
                if re.search(r"""\brole\s*=\s*["']?button|govuk-button""", match.group("a_attrs"), re.IGNORECASE):
                    return ""
                return inner
            attrs = match.group("attrs")
            if not attrs:
                return match.group(0)
            new_attrs, removed = self.rewrite_attrs(attrs, base, from_file)
            if removed and match.group("name").lower() == "link":
                return ""
            if new_attrs == attrs:
                return match.group(0)
            whole = match.group(0)
            start = match.start("attrs") - match.start(0)
            return whole[:start] + new_attrs + whole[start + len(attrs) :]

        return TOKEN_RE.sub(token, body)

    # Static files

    def read_static(self, name):
        path = finders.find(name)
        if path:
            return Path(path).read_bytes()
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as handle:
                return handle.read()
        return None

    def collect_static(self):
        pending = deque(sorted(self.static))
        seen = set(pending)
        while pending:
            name = pending.popleft()
            data = self.read_static(name)
            if data is None:
                self.static[name] = None
                continue
            if name.endswith((".css", ".js")):
                text = data.decode("utf-8")
                pattern = CSS_URL_RE if name.endswith(".css") else JS_IMPORT_RE
                for match in pattern.finditer(text):
                    target = self.classify(match.group("url") or match.group("iurl") or "", self.static_url + name)
                    if target[0] == "static" and target[1] not in seen:
                        seen.add(target[1])
                        pending.append(target[1])
            self.static[name] = data
        # Relative addresses only once every file is known to exist.
        for name in sorted(self.static):
            if name.endswith(".css") and self.static[name] is not None:
                self.static[name] = self.rewrite_css(self.static[name].decode("utf-8"), name).encode("utf-8")

    def rewrite_css(self, text, name):
        base, from_file = self.static_url + name, "static/" + name

        def url(match):
            value = match.group("url") if match.group("url") is not None else match.group("iurl")
            if not value or value.startswith("data:"):
                return match.group(0)
            new = self.rewrite_url(value, base, from_file)
            if new is None or new == value:
                return match.group(0)
            if match.group("iurl") is not None:
                return f'@import "{new}"'
            return f'url("{new}")'

        return CSS_URL_RE.sub(url, text)

    # Writing

    def files(self):
        """Every archive file: path -> bytes."""
        files = {}
        for canonical in sorted(self.pages):
            fetched = self.pages[canonical]
            if fetched is None:
                continue
            body = fetched.body
            if fetched.content_type == "text/html":
                body = self.rewrite_html(body, canonical, fetched.file)
            if fetched.file in files:
                raise ArchiveError(f"Two addresses give the same file {fetched.file}")
            files[fetched.file] = body.encode("utf-8") if isinstance(body, str) else body
        for name in sorted(self.static):
            if self.static[name] is not None:
                files["static/" + name] = self.static[name]
        return files
