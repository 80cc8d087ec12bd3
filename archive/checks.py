"""Proofs read back from the written files: every link resolves, and no personal data or CSRF token is there."""

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings

from pages.models import Subscriber
from submissions.models import Submission

from .crawl import CSS_URL_RE, SiteArchive

EMAIL_DOMAIN_RE = re.compile(r"@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
EMAIL_LOCAL_RE = re.compile(r"""[^\s<>"'(),;:@\[\]\\]+$""")
MAX_LOCAL_PART = 64


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
