"""`restore` reads an archive as hostile: a name that leaves its storage, an archive that would unpack to more than
RESTORE_MAX_BYTES, a part bigger than the manifest says or not what it says, or not listed at all, is refused before
anything is written, and the database and storages are left as they were."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from core.backup import FORMAT, VERSION, applied_migrations
from core.files import storage_names
from pages.models import FAQ
from tests.factories import FAQFactory

pytestmark = pytest.mark.django_db

DATA = b"[]"


def entry(member, content, **extra):
    return {"member": member, "size": len(content), "sha256": hashlib.sha256(content).hexdigest(), **extra}


def craft(path, files=(), manifest_changes=None, extra_members=()):
    """A backup archive, as `backup` would write it, holding `files` ((storage, name, bytes), ...)."""
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": "2026-03-01T01:30:00+00:00",
        "database": "sqlite",
        "migrations": applied_migrations(),
        "data": entry("data.json", DATA),
        "files": [entry(f"files/{alias}/{name}", content, storage=alias, name=name) for alias, name, content in files],
    }
    manifest.update(manifest_changes or {})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("manifest.json", json.dumps(manifest))
        zipped.writestr("data.json", DATA)
        for alias, name, content in files:
            zipped.writestr(f"files/{alias}/{name}", content)
        for member, content in extra_members:
            zipped.writestr(member, content)
    return path


@pytest.fixture
def site(settings, tmp_path):
    """Something in the database and in private storage that a refused restore must leave alone."""
    FAQFactory(question="Still here?")
    storages["private"].save("attachments/kept.pdf", io.BytesIO(b"%PDF kept"))
    return tmp_path


def assert_untouched(tmp_path):
    assert FAQ.objects.filter(question="Still here?").exists()
    assert list(storage_names(storages["private"])) == ["attachments/kept.pdf"]
    # Where the names tried would land if followed: above the private folder (tmp_path/private), or at an absolute path.
    assert not list(tmp_path.parent.glob("*escaped*")) and not list(tmp_path.rglob("*escaped*"))
    assert not Path("/tmp/escaped.txt").exists()


def restore(path):
    call_command("restore", str(path), interactive=False, stdout=io.StringIO())


@pytest.mark.parametrize(
    "name",
    ["../../escaped.txt", "attachments/../../../escaped.txt", "/tmp/escaped.txt", "C:/escaped.txt", "a\\..\\escaped"],
)
def test_a_name_that_leaves_its_storage_is_refused(site, name):
    archive = craft(site / "evil.zip", files=[("private", name, b"escaped")])
    with pytest.raises(CommandError, match="outside its storage"):
        restore(archive)
    assert_untouched(site)


@pytest.mark.local_private_folder
def test_a_zip_bomb_is_refused_before_it_is_unpacked(site, settings):
    settings.RESTORE_MAX_BYTES = 1024 * 1024
    bomb = b"\0" * (64 * 1024 * 1024)  # 64 MiB of zeros: about 64 KiB in the archive
    archive = craft(site / "bomb.zip", files=[("private", "attachments/bomb.pdf", bomb)])
    assert archive.stat().st_size < 1024 * 1024
    with pytest.raises(CommandError, match="RESTORE_MAX_BYTES"):
        restore(archive)
    assert_untouched(site)


def test_a_part_bigger_than_its_manifest_says_is_refused(site):
    archive = craft(site / "liar.zip", files=[("private", "attachments/a.pdf", b"\0" * 1_000_000)])
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
    manifest["files"][0]["size"] = 10
    archive = craft(
        site / "liar2.zip", files=[("private", "attachments/a.pdf", b"\0" * 1_000_000)], manifest_changes=manifest
    )
    with pytest.raises(CommandError, match="not the size"):
        restore(archive)
    assert_untouched(site)


def test_a_damaged_part_is_refused(site):
    archive = craft(site / "damaged.zip", files=[("private", "attachments/a.pdf", b"%PDF original")])
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
    manifest["files"][0]["sha256"] = hashlib.sha256(b"%PDF something else").hexdigest()
    archive = craft(
        site / "damaged2.zip", files=[("private", "attachments/a.pdf", b"%PDF original")], manifest_changes=manifest
    )
    with pytest.raises(CommandError, match="is damaged: its contents"):
        restore(archive)
    assert_untouched(site)


def test_a_part_the_manifest_does_not_list_is_refused(site):
    archive = craft(site / "extra.zip", extra_members=[("files/private/../../escaped.txt", b"x")])
    with pytest.raises(CommandError, match="do not match"):
        restore(archive)
    assert_untouched(site)


def test_an_archive_for_a_storage_this_site_lacks_is_refused(site):
    archive = craft(site / "other.zip", files=[("elsewhere", "a.txt", b"x")])
    with pytest.raises(CommandError, match="storage this site"):
        restore(archive)
    assert_untouched(site)


def test_something_that_is_not_a_backup_is_refused(site):
    with zipfile.ZipFile(site / "not.zip", "w") as zipped:
        zipped.writestr("readme.txt", "hello")
    with pytest.raises(CommandError, match="no manifest"):
        restore(site / "not.zip")
    assert_untouched(site)


def test_a_backup_from_a_newer_site_is_refused(site):
    archive = craft(site / "newer.zip", manifest_changes={"migrations": [*applied_migrations(), "pages.9999_future"]})
    with pytest.raises(CommandError, match="run migrate first"):
        restore(archive)
    assert_untouched(site)
