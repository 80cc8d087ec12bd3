"""The archived copy of the public site: every public page as static files that work from disk or any address.

`python manage.py export_archive OUTPUT_DIR` calls export_site(). It renders the pages in process with
django.test.Client (no network), as the closed site (pages.closure.rendering_archive), starting at the home
page, the sitemap, the feed and robots.txt and following every internal link. Only the views in ARCHIVED_VIEWS
are exported; links to anything else (the response journey, sign-ups, search, admin, attachments) become
plain text. Links become relative paths, query-string pages become files (/news/?page=2 -> news/page/2/),
forms become a note that the site has closed, and the static files the pages and their CSS use are copied.

Before anything is handed over the export proves itself: every relative link in every written HTML and CSS
file resolves to a written file, and no file holds a respondent's or subscriber's email address or a CSRF
token. The same content always gives the same bytes: nothing depends on the time of the export.
"""

import dataclasses
import datetime
import hashlib
import html
import os
import posixpath
import re
import shutil
import sys
import time
import zipfile
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone

from pages.closure import active_closure_notice, rendering_archive
from pages.models import Subscriber
from submissions.models import Submission

# The only views whose pages are copied: what any member of the public could read.
ARCHIVED_VIEWS = {
    "pages:home",
    "pages:faqs",
    "pages:post_list",
    "pages:post_detail",
    "pages:post_feed",
    "pages:page",
    "consultations:get_involved",
    "consultations:call_detail",
    "submissions:published_responses",
    "sitemap",
    "robots_txt",
}
# Views whose ?page=N pages are copied as <path>/page/N/index.html.
PAGINATED_VIEWS = {"pages:post_list", "submissions:published_responses"}
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
ZIP_EPOCH = datetime.datetime(1980, 1, 1)  # the earliest date a zip entry can carry

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
EMAIL_DOMAIN_RE = re.compile(r"@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
EMAIL_LOCAL_RE = re.compile(r"""[^\s<>"'(),;:@\[\]\\]+$""")
MAX_LOCAL_PART = 64


class ArchiveError(Exception):
    """The export cannot be handed over; the message says why."""


@dataclasses.dataclass
class Report:
    output_dir: Path
    pages: int = 0
    other_files: int = 0
    static_files: int = 0
    total_bytes: int = 0
    unlinked: dict = dataclasses.field(default_factory=dict)  # internal URL not exported -> first page linking it
    missing: dict = dataclasses.field(default_factory=dict)  # URL -> (status, first page linking it)
    zip_path: Path | None = None
    zip_sha256: str = ""
    zip_bytes: int = 0
    seconds: dict = dataclasses.field(default_factory=dict)  # phase -> wall time


class Progress:
    """One line on stderr, redrawn in place; silent unless stderr is a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def crawl(self, done, queued):
        self._draw(f"Rendering pages: {done} done, {queued} to go")

    def bar(self, label, done, total):
        width = 30
        filled = width * done // total if total else width
        self._draw(f"{label}: [{'#' * filled}{' ' * (width - filled)}] {done}/{total}")

    def finish(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, text):
        if self.enabled:
            self.stream.write("\r" + text.ljust(70))
            self.stream.flush()


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
            if response.status_code != 200 or content_type not in EXTENSIONS:
                self.pages[canonical] = None
                self.report.missing[canonical] = (response.status_code, referrers[canonical])
                continue
            body = response.content.decode(response.charset or "utf-8")
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
            files[fetched.file] = body.encode("utf-8")
        for name in sorted(self.static):
            if self.static[name] is not None:
                files["static/" + name] = self.static[name]
        return files


def content_date(notice):
    """The date every written file carries: the site's closing date, so a second export is byte for byte the same."""
    local = timezone.localtime(notice.closes_at).replace(tzinfo=None, microsecond=0)
    return max(local, ZIP_EPOCH)


def write_tree(output_dir, files, closes_at, progress):
    timestamp = closes_at.timestamp()
    for index, name in enumerate(sorted(files), start=1):
        path = output_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
        os.utime(path, (timestamp, timestamp))
        if index % 50 == 0 or index == len(files):
            progress.bar("Writing files", index, len(files))
    progress.finish()
    for folder in sorted((p for p in output_dir.rglob("*") if p.is_dir()), reverse=True):
        os.utime(folder, (timestamp, timestamp))


def write_zip(zip_path, folder_name, files, stamp):
    """A zip of the archive under one top folder: sorted entries, fixed dates and permissions."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder_name}/{name}", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below mean the same everywhere
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    digest = hashlib.sha256()
    with zip_path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# Proofs, read back from the written files


def broken_links(output_dir):
    """Every relative href/src/srcset in written HTML and url()/@import in CSS that names no written file.

    Returns [(file, link)]. A link starting with "/" counts as broken: it would not work from disk.
    """
    written = {p.relative_to(output_dir).as_posix() for p in output_dir.rglob("*") if p.is_file()}
    broken = []
    for name in sorted(written):
        if name.endswith(".html"):
            text = (output_dir / name).read_text("utf-8")
            links = list(SiteArchive.html_urls(text))
        elif name.endswith(".css"):
            text = (output_dir / name).read_text("utf-8")
            links = [m.group("url") or m.group("iurl") or "" for m in CSS_URL_RE.finditer(text)]
        else:
            continue
        for link in links:
            parts = urlsplit(link.strip())
            if parts.scheme or parts.netloc or link.startswith("data:"):
                continue
            if not parts.path:
                continue  # "#anchor" on the same page
            if parts.path.startswith("/"):
                broken.append((name, link))
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
            if target not in written:
                broken.append((name, link))
    return broken


def private_data_found(output_dir):
    """[(file, what)] for every respondent's or subscriber's email address, or CSRF token, in a written file."""
    owners = {}
    for reference, email in Submission.objects.exclude(email="").values_list("reference", "email").iterator():
        owners.setdefault(email.strip().lower(), f"the email address of response {reference}")
    for email in Subscriber.objects.values_list("email", flat=True).iterator():
        owners.setdefault(email.strip().lower(), "a subscriber's email address")
    found = []
    for path in sorted(p for p in output_dir.rglob("*") if p.is_file()):
        name = path.relative_to(output_dir).as_posix()
        try:
            raw = path.read_text("utf-8")
        except UnicodeDecodeError:
            raw = path.read_bytes().decode("latin-1")
        if "csrfmiddlewaretoken" in raw or settings.CSRF_COOKIE_NAME + "=" in raw:
            found.append((name, "a CSRF token"))
        hits = set()
        for text in (raw, html.unescape(raw), unquote(raw)):
            for match in EMAIL_DOMAIN_RE.finditer(text):
                local = EMAIL_LOCAL_RE.search(text, max(0, match.start() - MAX_LOCAL_PART), match.start())
                if local is None:
                    continue
                for email in _email_candidates(local.group(0), match.group("domain")):
                    if email in owners:
                        hits.add(owners[email])
        found.extend((name, what) for what in sorted(hits))
    return found


def _email_candidates(local, domain):
    """Every address the text could hold around one "@": any tail of the local part, any head of the domain."""
    local, domain = local.lower(), domain.lower().rstrip(".-")
    labels = domain.split(".")
    domains = [".".join(labels[:n]) for n in range(len(labels), 1, -1)]
    for start in range(len(local)):
        for head in domains:
            yield f"{local[start:]}@{head}"


def export_site(output_dir, *, zip_path=None, overwrite=False, progress=None):
    """Write the archived copy into output_dir (and a zip at zip_path). Raises ArchiveError if it may not be used."""
    output_dir = Path(output_dir).resolve()
    progress = progress or Progress()
    notice = active_closure_notice()
    if notice is None:
        raise ArchiveError(
            "There is no active closure notice. Add one in the staff console first: every archived page says "
            "when the site closed and where the archive is kept."
        )
    _prepare_output(output_dir, overwrite)

    archive = SiteArchive(progress=progress)
    archive.report = report = Report(output_dir=output_dir)
    overrides = {
        "PUBLIC_PAGE_CACHE_SECONDS": 0,  # never serve a live page, nor keep an archive page for live visitors
        "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, archive.host.split(":")[0]],
        "SECURE_SSL_REDIRECT": False,
    }
    started = time.monotonic()
    with override_settings(**overrides), rendering_archive():
        archive.crawl()
        archive.collect_static()
        files = archive.files()
    report.seconds["render"] = time.monotonic() - started

    started = time.monotonic()
    stamp = content_date(notice)
    write_tree(output_dir, files, notice.closes_at, progress)
    report.seconds["write"] = time.monotonic() - started
    report.pages = sum(1 for name in files if name.endswith(".html"))
    report.static_files = sum(1 for name in files if name.startswith("static/"))
    report.other_files = len(files) - report.pages - report.static_files
    report.total_bytes = sum(len(data) for data in files.values())

    started = time.monotonic()
    leaks = private_data_found(output_dir)
    if leaks:
        shutil.rmtree(output_dir)
        lines = "\n".join(f"  {name}: {what}" for name, what in leaks)
        raise ArchiveError(f"The export held personal data, so it was deleted. Found:\n{lines}")
    broken = broken_links(output_dir)
    missing_static = sorted(name for name, data in archive.static.items() if data is None)
    if broken or missing_static:
        lines = [f"  {name}: {link}" for name, link in broken]
        lines += [f"  static file not found: {name}" for name in missing_static]
        raise ArchiveError("Broken links in the export (nothing was zipped):\n" + "\n".join(lines))
    report.seconds["check"] = time.monotonic() - started

    if zip_path is not None:
        started = time.monotonic()
        report.zip_path = Path(zip_path).resolve()
        report.zip_sha256 = write_zip(report.zip_path, output_dir.name, files, stamp)
        report.zip_bytes = report.zip_path.stat().st_size
        sha_file = report.zip_path.with_name(report.zip_path.name + ".sha256")
        sha_file.write_text(f"{report.zip_sha256}  {report.zip_path.name}\n")
        report.seconds["zip"] = time.monotonic() - started
    return report


def _prepare_output(output_dir, overwrite):
    if output_dir.exists() and any(output_dir.iterdir()):
        looks_like_export = (output_dir / "index.html").is_file() and (output_dir / "sitemap.xml").is_file()
        if not overwrite:
            raise ArchiveError(f"{output_dir} is not empty. Choose an empty folder, or add --overwrite.")
        if not looks_like_export:
            raise ArchiveError(f"{output_dir} does not look like an earlier export, so it was left alone.")
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
