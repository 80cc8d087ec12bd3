"""Backups that restore: a site with responses, attachments, codes, content history, staff and email jobs is backed
up, the database and every storage emptied, and the archive restored: every row of every model and every file's
bytes are as they were. On SQLite here, on PostgreSQL (and S3) in CI's second run."""

import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from core.backup import backed_up_storages, database_empty
from core.files import storage_names
from outbox.models import EmailJob
from tests.factories import AnswerFactory, AttachmentFactory, FAQFactory, IdeaFactory, SubmissionFactory
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def build_site():
    """A small site with something in every kind of table the review fills, and a file in every storage."""
    editor = staff_user(superuser=True, username="editor", email="editor@example.org")
    editor.groups.add(*Group.objects.all()[:1])
    faq = FAQFactory(answer="First answer.")
    faq.answer = "Second answer."
    faq._history_user = editor
    faq.save()
    for number in range(3):
        submission = SubmissionFactory()
        AnswerFactory(submission=submission, text=f"Answer {number}: keep the same social worker.")
        IdeaFactory(submission=submission)
        stored = storages["private"].save(f"attachments/{uuid.uuid4().hex}.pdf", ContentFile(PDF + bytes([number])))
        AttachmentFactory(submission=submission, stored_name=stored, size=len(PDF) + 1)
        EmailJob.objects.create(kind="receipt", subject_id=submission.pk, about=submission.reference)
    storages["private"].save("pending/session-abc/notes.txt", ContentFile(b"pending upload"))
    storages["default"].save("images/team.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 300))
    if apps.is_installed("analysis"):
        theme = apps.get_model("analysis", "Theme").objects.create(call=submission.call, name="Stability")
        apps.get_model("analysis", "Coding").objects.create(
            theme=theme, kind="answer", submission=submission, answer=submission.answers.first(), coder=editor
        )


def everything():
    """Every row of every model (by natural key where the database makes its own ids) and every stored file."""
    rows = {}
    for model in apps.get_models():
        if model in (ContentType, Permission) or model._meta.proxy:
            continue
        queryset = model._base_manager.order_by("pk")
        rows[model._meta.label] = serializers.serialize("python", queryset, use_natural_foreign_keys=True)
    rows["contenttypes"] = sorted(ct.natural_key() for ct in ContentType.objects.all())
    files = {
        alias: {name: storages[alias].open(name).read() for name in storage_names(storages[alias])}
        for alias in backed_up_storages()
    }
    return rows, files


def empty_storages(settings, tmp_path):
    """New, empty folders (or a new prefix in the bucket) for every storage, as on a new machine."""
    settings.MEDIA_ROOT = tmp_path / "new-media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "new-private"
    replaced = {}
    for alias, config in settings.STORAGES.items():
        options = config.get("OPTIONS", {})
        if "location" in options:
            options = {**options, "location": f"{options['location']}-restored-{uuid.uuid4().hex[:8]}"}
        replaced[alias] = {**config, "OPTIONS": options} if options else config
    settings.STORAGES = replaced


def test_a_backup_restored_into_an_empty_database_and_storage_is_identical(settings, tmp_path):
    build_site()
    before_rows, before_files = everything()
    assert before_files["private"] and before_files["default"], "files to restore"
    assert before_rows["pages.HistoricalFAQ"] and before_rows["submissions.Attachment"]

    archive = tmp_path / "site.zip"
    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115

    database_empty()
    empty_storages(settings, tmp_path)
    empty_rows, empty_files = everything()
    assert not any(rows for label, rows in empty_rows.items() if label != "contenttypes"), "the database is empty"
    assert not any(empty_files.values()), "every storage is empty"

    call_command("restore", str(archive), interactive=False, stdout=open("/dev/null", "w"))  # noqa: SIM115

    after_rows, after_files = everything()
    assert after_files == before_files
    differing = [label for label in before_rows if before_rows[label] != after_rows.get(label)]
    assert not differing, differing
    assert after_rows == before_rows


def test_restored_ids_keep_counting_from_where_they_were(settings, tmp_path):
    """After a restore the database's own id counters are past the restored rows (PostgreSQL's sequences reset)."""
    build_site()
    archive = tmp_path / "site.zip"
    call_command("backup", output=str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115
    highest = EmailJob.objects.order_by("-pk").first().pk
    database_empty()
    call_command("restore", str(archive), interactive=False, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert EmailJob.objects.create(kind="receipt", subject_id=1).pk > highest


def test_backup_keeps_the_newest_archives_in_the_backups_folder(settings, tmp_path):
    import datetime

    from core.backup import backup_create, backups_storage

    settings.BACKUP_DIR = str(tmp_path / "backups")
    start = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    for day in range(4):
        backup_create(keep=2, now=start + datetime.timedelta(days=day))
    assert sorted(storage_names(backups_storage())) == ["backup-20260303T013000Z.zip", "backup-20260304T013000Z.zip"]
