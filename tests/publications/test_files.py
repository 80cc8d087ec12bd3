"""Publication files: editors upload them in the admin, checked by content; the public gets them with a year's cache."""

import datetime
import hashlib
import io
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from publications import services
from publications.demo_files import demo_pdf
from publications.models import Attachment, Publication
from publications.pdf import count_pages
from publications.storage import publication_storage
from tests.factories import PublicationAttachmentFactory, PublicationFactory
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

PDF = demo_pdf("The Case for Change", ["What is going wrong."], pages=5)


def add_form(publication=None, **attachment):
    """The admin's add (or change) form for a publication, with one attachment."""
    data = {
        "title": "The Case for Change",
        "slug": "the-case-for-change",
        "kind": "report",
        "summary": "What is going wrong.",
        "body": "",
        "status": "published",
        "published_at_0": "17/06/2021",
        "published_at_1": "09:00:00",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-title": "The Case for Change (PDF)",
        "attachments-0-position": "0",
        "attachments-0-page_count": "",
    }
    data.update({f"attachments-0-{key}": value for key, value in attachment.items()})
    return data


@pytest.fixture
def editor(client):
    client.force_login(staff_user("Content editors"))
    return client


def test_an_editor_uploads_a_pdf_stored_under_its_hash_with_its_pages_counted(editor, settings):
    upload = SimpleUploadedFile("The Case for Change.pdf", PDF, content_type="application/pdf")

    response = editor.post("/admin/publications/publication/add/", add_form(upload=upload))

    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = Attachment.objects.get()
    digest = hashlib.sha256(PDF).hexdigest()
    assert attachment.stored_name == f"{digest[:16]}/the-case-for-change.pdf"
    assert (attachment.size, attachment.sha256, attachment.page_count) == (len(PDF), digest, 5)
    assert attachment.original_name == "The Case for Change.pdf"
    with storages["publications"].open(attachment.stored_name) as stored:  # the local folder, or the bucket
        assert stored.read() == PDF
    assert Publication.objects.get().attachment_titles == "The Case for Change (PDF)"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 a program, not a PDF", "not a real PDF file"),
        ("report.exe", b"%PDF-1.4 but named as a program", "must be a PDF"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(editor, settings, name, content, message):
    upload = SimpleUploadedFile(name, content)

    response = editor.post("/admin/publications/publication/add/", add_form(upload=upload))

    assert response.status_code == 200 and message in response.content.decode()
    assert not Publication.objects.exists() and not Attachment.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "publications").exists()


def test_a_zip_bomb_dressed_as_a_document_is_refused(editor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<" + b" " * 50_000_000 + b">")
        archive.writestr("word/document.xml", b"<w/>")
    upload = SimpleUploadedFile("report.docx", buffer.getvalue())

    response = editor.post("/admin/publications/publication/add/", add_form(upload=upload))

    assert "could not be read" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_bigger_than_the_limit_is_refused(editor, settings):
    settings.PUBLICATION_MAX_FILE_BYTES = 100
    response = editor.post("/admin/publications/publication/add/", add_form(upload=SimpleUploadedFile("a.pdf", PDF)))
    assert "must be smaller than" in response.content.decode()


def test_a_new_attachment_needs_a_file(editor):
    response = editor.post("/admin/publications/publication/add/", add_form())
    assert "Choose a file to upload" in response.content.decode()


def test_an_editors_page_count_wins_over_the_one_read_from_the_file(editor):
    upload = SimpleUploadedFile("report.pdf", PDF)
    editor.post("/admin/publications/publication/add/", add_form(upload=upload, page_count="7"))
    assert Attachment.objects.get().page_count == 7


def test_replacing_a_file_gives_it_a_new_address_and_deletes_the_old_one(editor, django_capture_on_commit_callbacks):
    attachment = PublicationAttachmentFactory(publication=PublicationFactory(slug="the-case-for-change"))
    old_name, old_url = attachment.stored_name, attachment.get_absolute_url()
    new_pdf = demo_pdf("The Case for Change, corrected", [], pages=2)
    data = add_form(upload=SimpleUploadedFile("corrected.pdf", new_pdf), id=str(attachment.pk))
    data |= {"attachments-INITIAL_FORMS": "1", "attachments-0-publication": str(attachment.publication.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/publications/publication/{attachment.publication.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    attachment.refresh_from_db()
    assert attachment.stored_name != old_name and attachment.page_count == 2
    assert not publication_storage().exists(old_name)
    assert editor.get(old_url).status_code == 404
    assert editor.get(attachment.get_absolute_url()).status_code == 200


def test_a_file_shared_by_two_publications_stays_until_neither_uses_it(django_capture_on_commit_callbacks):
    first = PublicationAttachmentFactory(content=PDF)
    second = PublicationAttachmentFactory(content=PDF)
    assert first.stored_name == second.stored_name

    with django_capture_on_commit_callbacks(execute=True):
        services.publication_delete(publication=first.publication)
    assert publication_storage().exists(second.stored_name)

    with django_capture_on_commit_callbacks(execute=True):
        services.publication_delete(publication=second.publication)
    assert not publication_storage().exists(second.stored_name)


# Serving


def test_the_public_gets_a_published_file_with_a_years_immutable_cache_and_its_hash_as_etag(client):
    attachment = PublicationAttachmentFactory(content=PDF)

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{hashlib.sha256(PDF).hexdigest()}"'
    assert response["Content-Disposition"].startswith("inline")
    assert re.fullmatch(r"/publications/report-\d+/files/[0-9a-f]{16}/report\.pdf", attachment.get_absolute_url())


def test_a_browser_that_has_the_file_gets_not_modified(client):
    attachment = PublicationAttachmentFactory(content=PDF)
    response = client.get(attachment.get_absolute_url(), HTTP_IF_NONE_MATCH=f'"{attachment.sha256}"')
    assert response.status_code == 304 and response["Cache-Control"].endswith("immutable")


def test_a_spreadsheet_is_downloaded_rather_than_shown(client):
    buffer = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(buffer)
    attachment = PublicationAttachmentFactory(content=buffer.getvalue(), name="figures.xlsx")

    response = client.get(attachment.get_absolute_url())

    assert response["Content-Disposition"].startswith('attachment; filename="figures.xlsx"')


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Publication.Status.DRAFT, "published_at": None},
        {"published_at": datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["draft", "future"],
)
def test_a_hidden_publications_files_are_not_found_by_the_public_but_staff_get_them_uncached(client, hidden):
    attachment = PublicationAttachmentFactory(publication=PublicationFactory(**hidden))
    url = attachment.get_absolute_url()

    assert client.get(url).status_code == 404

    client.force_login(staff_user(superuser=True))
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_a_file_of_another_publication_or_a_made_up_address_is_not_found(client):
    attachment = PublicationAttachmentFactory()
    other = PublicationFactory(slug="other")
    assert client.get(f"/publications/other/files/{attachment.stored_name}").status_code == 404
    assert client.get(f"/publications/{attachment.publication.slug}/files/0000/report.pdf").status_code == 404
    assert client.get(f"/publications/{other.slug}/files/../../settings.py").status_code == 404


# Counting pages without a PDF library


def test_pages_are_counted_from_the_page_tree():
    assert count_pages(io.BytesIO(demo_pdf("x", [], pages=12))) == 12


def test_pages_are_counted_inside_compressed_object_streams():
    objects = b"3 0 4 40 << /Type /Pages /Kids [4 0 R] /Count 31 >> << /Type /Page /Parent 3 0 R >>"
    stream = zlib.compress(objects)
    pdf = (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 3 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /ObjStm /N 2 /First 8 /Filter /FlateDecode /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    assert count_pages(io.BytesIO(pdf)) == 31


def test_a_pdf_that_hides_its_pages_gets_no_count_rather_than_a_wrong_one():
    assert count_pages(io.BytesIO(b"%PDF-1.7\n% nothing to see\n%%EOF")) is None
    assert count_pages(io.BytesIO(b"not a pdf")) is None


def test_an_inflating_object_stream_is_read_within_its_cap():
    bomb = zlib.compress(b" " * 200_000_000, 9)
    pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n" + bomb + b"\nendstream\n"
    assert count_pages(io.BytesIO(pdf)) is None


def test_the_file_check_is_the_one_respondents_files_get():
    with pytest.raises(Exception, match="not a real PDF"):
        services.attachment_file_store(upload=ContentFile(b"<html>", name="fake.pdf"))
