"""The archived copy of the public site: every public page as static files that work from disk or any address.

`python manage.py export_archive OUTPUT_DIR` calls export_site(). It renders the pages in process with
django.test.Client (no network), as the closed site (core.closure.rendering_archive), starting at the home
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
import os
import shutil
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from core.closure import active_closure_notice, rendering_archive

from .checks import broken_links, private_data_found
from .crawl import ArchiveError, SiteArchive
from .progress import Progress

ZIP_EPOCH = datetime.datetime(1980, 1, 1)  # the earliest date a zip entry can carry


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
