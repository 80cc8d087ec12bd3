"""The archived copy (export_archive): the demo site, exported to a folder, read back from disk."""

import hashlib
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from archive.checks import broken_links
from archive.crawl import SiteArchive
from archive.export import ArchiveError, export_site
from archive.progress import Progress
from core.models import ClosureNotice
from pages.models import Page, Post
from submissions.models import Submission
from tests.factories import AttachmentFactory, CallFactory, PageFactory, PostFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

CLOSED_NOTE = (
    '<div class="govuk-inset-text">This website has closed. This is an archived copy: forms no longer work.</div>'
)


@pytest.fixture
def demo_site(settings):
    settings.SITE_URL = "https://childrenssocialcare.example.org"
    # The archive is made once the review has ended, while the notice says the site will close.
    call_command("load_demo_content", "--archived", "--closure-days", "60", stdout=io.StringIO())


def export(folder, **kwargs):
    return export_site(folder, progress=Progress(io.StringIO()), **kwargs)  # silent: not a terminal


def text_files(folder):
    return {
        # A publication's PDF is bytes, not UTF-8: read it too, so nothing written escapes the checks below.
        path.relative_to(folder).as_posix(): path.read_bytes().decode("utf-8", "replace")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def tree_hash(folder):
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def test_every_address_in_the_sitemap_has_a_file_in_the_archive(demo_site, tmp_path):
    export(tmp_path / "site")

    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    paths = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert "/faqs/" in paths and "/news/" in paths and "/get-involved/" in paths
    for path in paths:
        assert (tmp_path / "site" / path.lstrip("/") / "index.html").is_file(), path
    for name in ("index.html", "news/feed/index.xml", "robots.txt", "static/site.css", "static/js/app.js"):
        assert (tmp_path / "site" / name).is_file(), name
    # Published responses and the image the stylesheet uses are reached by following links.
    assert (tmp_path / "site" / "calls/call-for-advice/responses/index.html").is_file()
    assert (tmp_path / "site" / "static/images/govuk-crest.svg").is_file()


def test_no_internal_link_is_broken_and_every_link_is_relative(demo_site, tmp_path):
    export(tmp_path / "site")

    assert broken_links(tmp_path / "site") == []
    home = (tmp_path / "site" / "index.html").read_text()
    assert 'href="faqs/index.html"' in home
    assert 'href="static/site.css"' in home
    post = (tmp_path / "site" / "news/government-response/index.html").read_text()
    assert 'href="../../faqs/index.html"' in post
    assert 'href="../../index.html"' in post
    css = (tmp_path / "site" / "static/site.css").read_text()
    assert 'url("images/govuk-crest.svg")' in css and "/static/" not in css
    for name, text in text_files(tmp_path / "site").items():
        if name.endswith(".html"):
            assert not re.search(r"""(?:href|src)="/""", text), name


def test_link_check_reports_a_link_to_a_file_that_was_not_written(tmp_path):
    (tmp_path / "index.html").write_text('<a href="faqs/index.html">FAQs</a> <a href="/news/">News</a>')

    assert broken_links(tmp_path) == [("index.html", "faqs/index.html"), ("index.html", "/news/")]


def test_news_and_published_responses_keep_every_page_of_their_pagination(demo_site, tmp_path):
    for n in range(25):
        PostFactory(slug=f"extra-news-{n:02d}")
    call = CallFactory(slug="call-for-evidence")
    for _ in range(45):
        SubmissionFactory(call=call, status=Submission.Status.APPROVED)

    export(tmp_path / "site")

    site = tmp_path / "site"
    assert (site / "news/page/2/index.html").is_file() and (site / "news/page/4/index.html").is_file()
    assert not (site / "news/page/5").exists() and not (site / "news/page/1").exists()
    first = (site / "news/index.html").read_text()
    assert 'href="page/2/index.html"' in first
    second = (site / "news/page/2/index.html").read_text()
    assert 'href="../../index.html" rel="prev"' in second
    assert 'href="../3/index.html" rel="next"' in second
    assert (site / "calls/call-for-evidence/responses/page/3/index.html").is_file()
    assert broken_links(site) == []


def test_links_to_pages_that_are_not_archived_become_plain_text(demo_site, tmp_path):
    PageFactory(
        slug="ways-to-help",
        body="[Sign up](/updates/), [search](/search/?q=care), [respond](/calls/call-for-ideas/respond/), "
        "[staff](/admin/) and [the FAQs](/faqs/#who-led-the-review).",
    )

    export(tmp_path / "site")

    page = (tmp_path / "site" / "ways-to-help/index.html").read_text()
    for words in ("Sign up", "search", "respond", "staff"):
        assert words in page
    assert not re.search(r'href="[^"]*(?:updates|search|respond|admin)', page)
    assert 'href="../faqs/index.html#who-led-the-review"' in page


def test_a_link_to_a_draft_post_becomes_plain_text_and_is_reported(demo_site, tmp_path):
    PostFactory(slug="not-ready-yet", status=Post.Status.DRAFT)
    PageFactory(slug="coming-up", body="Read [our next post](/news/not-ready-yet/) soon.")

    report = export(tmp_path / "site")

    page = (tmp_path / "site" / "coming-up/index.html").read_text()
    assert "our next post" in page and "not-ready-yet" not in page
    assert not (tmp_path / "site" / "news/not-ready-yet").exists()
    assert report.missing["/news/not-ready-yet/"] == (404, "/coming-up/")


def test_a_link_without_its_last_slash_follows_the_redirect_to_the_archived_page(demo_site, tmp_path):
    PageFactory(slug="short-links", body="See [the FAQs](/faqs) and [about us](/about#team).")

    export(tmp_path / "site")

    page = (tmp_path / "site" / "short-links/index.html").read_text()
    assert '<a href="../faqs/index.html" rel="noopener noreferrer">the FAQs</a>' in page
    assert '<a href="../about/index.html#team" rel="noopener noreferrer">about us</a>' in page


def test_forms_become_a_note_that_the_site_has_closed_and_start_buttons_go():
    archive = SiteArchive()
    html = (
        '<p>Before</p><form method="post" action="/updates/"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="abc"><button class="govuk-button">Sign up</button></form>'
        '<a href="/calls/call-for-ideas/respond/" role="button" class="govuk-button govuk-button--start">Start now</a>'
        '<form action="/search/" method="get" role="search"><input name="q"></form><p>After</p>'
    )

    rewritten = archive.rewrite_html(archive.remove_forms(html), "/", "index.html")

    assert rewritten == f"<p>Before</p>{CLOSED_NOTE}{CLOSED_NOTE}<p>After</p>"


def test_archive_has_no_form_no_start_button_and_no_sign_up_or_search_link(demo_site, tmp_path):
    export(tmp_path / "site")

    for name, text in text_files(tmp_path / "site").items():
        assert "<form" not in text, name
        assert "Start now" not in text, name
        assert "csrfmiddlewaretoken" not in text, name
        assert not re.search(r'href="[^"]*(?:updates|search|respond)/', text), name


def test_archive_holds_no_admin_page_no_attachment_and_no_respondents_personal_data(demo_site, tmp_path, settings):
    approved = Submission.objects.filter(status=Submission.Status.APPROVED, call__slug="call-for-advice").first()
    attachment = AttachmentFactory(submission=approved, original_name="my-private-letter.pdf")
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / attachment.stored_name
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"%PDF private letter")

    export(tmp_path / "site")

    files = text_files(tmp_path / "site")
    everything = "\n".join(files.values())
    assert not any(name.startswith(("admin", "admin-files", "updates", "search")) for name in files)
    assert "my-private-letter" not in everything and "private letter" not in everything
    emails = [email for email in Submission.objects.values_list("email", flat=True) if email]
    assert emails
    for email in emails:
        assert email not in everything
    published_names = {s.public_name for s in Submission.objects.publishable()}
    hidden_names = {
        name
        for s in Submission.objects.all()
        for name in (s.name, s.organisation_name)
        if name and name not in published_names
    }
    assert {"Priya Nandra", "Chris Hale", "Morgan Ellis", "Riverside Kinship Carers Network"} <= hidden_names
    for name in hidden_names:
        assert name not in everything, name
    assert "Jordan Ashby" in everything  # chose to be named, and was approved


def test_export_fails_and_keeps_nothing_when_a_page_would_show_a_respondents_email(demo_site, tmp_path):
    email = Submission.objects.exclude(email="").first().email
    PageFactory(slug="oops", body=f"Write to {email} for a copy.")

    with pytest.raises(ArchiveError, match="personal data"):
        export(tmp_path / "site")

    assert not (tmp_path / "site").exists()


def test_every_page_shows_the_banner_in_its_closed_wording_and_the_database_is_unchanged(
    demo_site, tmp_path, client, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    notice = ClosureNotice.objects.get(is_active=True)
    before = (notice.closes_at, notice.updated_at)

    export(tmp_path / "site")

    closed_on = f"This website closed on {notice.closes_at:%-d %B %Y}."
    for name, text in text_files(tmp_path / "site").items():
        if name.endswith(".html"):
            assert closed_on in text, name
            assert "will be closed down" not in text, name
    notice.refresh_from_db()
    assert (notice.closes_at, notice.updated_at) == before
    # The live site still says it will close, even from the page cache.
    assert "will be closed down by" in client.get("/").content.decode()


def test_a_second_export_and_its_zip_are_byte_for_byte_the_same(demo_site, tmp_path):
    first = export(tmp_path / "one" / "site", zip_path=tmp_path / "one" / "site.zip")
    second = export(tmp_path / "two" / "site", zip_path=tmp_path / "two" / "site.zip")

    assert tree_hash(tmp_path / "one" / "site") == tree_hash(tmp_path / "two" / "site")
    assert (tmp_path / "one" / "site.zip").read_bytes() == (tmp_path / "two" / "site.zip").read_bytes()
    assert first.zip_sha256 == second.zip_sha256
    assert first.zip_sha256 == hashlib.sha256((tmp_path / "one" / "site.zip").read_bytes()).hexdigest()
    with zipfile.ZipFile(tmp_path / "one" / "site.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names) and "site/index.html" in names
        assert archive.read("site/index.html") == (tmp_path / "one" / "site" / "index.html").read_bytes()


def test_command_writes_the_folder_and_a_zip_beside_it_and_reports_what_it_wrote(demo_site, tmp_path):
    out = io.StringIO()

    call_command("export_archive", str(tmp_path / "site"), "--zip", stdout=out, stderr=io.StringIO())

    report = out.getvalue()
    pages = len(list((tmp_path / "site").rglob("*.html")))
    assert f"Wrote {pages} pages" in report and "bytes" in report
    digest = hashlib.sha256((tmp_path / "site.zip").read_bytes()).hexdigest()
    assert f"SHA-256: {digest}" in report
    assert (tmp_path / "site.zip.sha256").read_text() == f"{digest}  site.zip\n"


def test_command_refuses_a_folder_that_is_not_empty_unless_told_to_overwrite_an_export(demo_site, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("mine")

    with pytest.raises(CommandError, match="not empty"):
        call_command("export_archive", str(tmp_path / "site"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not look like an earlier export"):
        call_command("export_archive", str(tmp_path / "site"), "--overwrite", stdout=io.StringIO())
    assert (tmp_path / "site" / "notes.txt").read_text() == "mine"


def test_export_needs_an_active_closure_notice(tmp_path):
    Page.objects.create(title="About", slug="about", body="About us.")

    with pytest.raises(ArchiveError, match="no active closure notice"):
        export(tmp_path / "site")
