"""Backups that restore: the whole database and every stored file in one zip archive, and back again.

The archive holds data.json (every model of every app, as `dumpdata --natural-foreign --all` writes it but with times
to the microsecond, so that `loaddata` loads it into PostgreSQL or SQLite alike), each file of each storage in
settings.STORAGES (attachments, pending uploads, media, publications; not the static files, which are built from the
code) under files/<storage>/<name>, and manifest.json with the size and SHA-256 of every part and the migrations the
data was written under.

Restoring reads an archive as hostile until proven otherwise: nothing is written until every member has been read
and matched its manifest entry, reading stops at the sizes declared (and at RESTORE_MAX_BYTES in all), and a name that
could leave its storage is refused. Then the files go back to their storages, and the database is emptied and loaded
in one transaction: a failure leaves it as it was.

Content types and permissions are not in the archive: `migrate` makes them, and the data names them by natural key.
"""

import datetime
import hashlib
import json
import os
import posixpath
import tempfile
import zipfile

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .files import storage_names

FORMAT = "review-site-backup"
VERSION = 1
# Made by `migrate` in every database: referred to by natural key in the data instead.
NOT_DUMPED_MODELS = ["contenttypes.ContentType", "auth.Permission"]
# Storages holding code, not data, or the backups themselves.
NOT_BACKED_UP = {"staticfiles", "backups"}
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024


class BackupError(Exception):
    """The archive cannot be restored: it says why, and nothing has been changed."""


def backed_up_storages():
    return [alias for alias in settings.STORAGES if alias not in NOT_BACKED_UP]


def backups_storage():
    """Where `backup` keeps its archives: STORAGES["backups"] when configured (a bucket), else BACKUP_DIR."""
    if "backups" in settings.STORAGES:
        return storages["backups"]
    return FileSystemStorage(location=settings.BACKUP_DIR)


def applied_migrations(database=DEFAULT_DB_ALIAS):
    recorder = MigrationRecorder(connections[database])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class PreciseEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (its own rounds them to milliseconds, as JavaScript does):
    a restored row must be the row that was backed up, to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def dumped_models():
    """Every concrete model of every app, ordered so that what a natural key names is loaded first."""
    app_list = dict.fromkeys(apps.get_app_configs())
    excluded = {apps.get_model(label) for label in NOT_DUMPED_MODELS}
    return [
        model
        for model in serializers.sort_dependencies(app_list.items(), allow_cycles=True)
        if model not in excluded and not model._meta.proxy
    ]


def dumped_objects(database):
    """Every row, as `dumpdata --all` reads them (the base manager, which filters nothing, in primary key order)."""
    for model in dumped_models():
        if router.allow_migrate_model(database, model):
            yield from model._base_manager.using(database).order_by(model._meta.pk.name).iterator()


def _copy(source, target, digest, limit=None):
    """Copy in chunks, hashing; stop with BackupError past `limit` bytes. Return the byte count."""
    size = 0
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if limit is not None and size > limit:
            raise BackupError("A part of the archive is bigger than it says it is.")
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
    return size


def backup_write(*, archive, database=DEFAULT_DB_ALIAS, now=None):
    """Write the site's data and files into `archive` (a binary file object, seekable); return the manifest."""
    now = now or timezone.now()
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": now.isoformat(),
        "database": connections[database].vendor,
        "migrations": applied_migrations(database),
        "files": [],
    }
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zipped:
        connection = connections[database]
        outermost = not connection.in_atomic_block
        with tempfile.TemporaryDirectory() as folder, transaction.atomic(using=database):
            if outermost and connection.vendor == "postgresql":
                # One snapshot for every table, however long the dump takes while the site runs.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            data_path = os.path.join(folder, "data.json")
            with open(data_path, "w", encoding="utf-8") as target:
                serializers.serialize(
                    "json", dumped_objects(database), stream=target, use_natural_foreign_keys=True, cls=PreciseEncoder
                )
            digest = hashlib.sha256()
            with open(data_path, "rb") as source, zipped.open("data.json", "w", force_zip64=True) as target:
                size = _copy(source, target, digest)
            manifest["data"] = {"member": "data.json", "size": size, "sha256": digest.hexdigest()}
        for alias in backed_up_storages():
            storage = storages[alias]
            for name in storage_names(storage):
                member = f"files/{alias}/{name}"
                digest = hashlib.sha256()
                with storage.open(name, "rb") as source, zipped.open(member, "w", force_zip64=True) as target:
                    size = _copy(source, target, digest)
                manifest["files"].append(
                    {"storage": alias, "name": name, "member": member, "size": size, "sha256": digest.hexdigest()}
                )
        zipped.writestr("manifest.json", json.dumps(manifest, indent=1))
    return manifest


def backup_create(*, keep=None, now=None):
    """Write a new archive into the backups storage, then delete all but the newest `keep`; return its name."""
    now = now or timezone.now()
    storage = backups_storage()
    name = f"backup-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}.zip"
    with tempfile.TemporaryFile() as archive:
        backup_write(archive=archive, now=now)
        archive.seek(0)
        saved = storage.save(name, File(archive, name=name))
    if keep:
        backups_prune(keep=keep)
    return saved


def backups_prune(*, keep):
    """Delete all but the newest `keep` archives (their names sort by time)."""
    storage = backups_storage()
    names = sorted(name for name in storage_names(storage) if name.startswith("backup-") and name.endswith(".zip"))
    for name in names[:-keep] if keep > 0 else []:
        storage.delete(name)
    return names[-keep:]


def _safe_name(name):
    """A stored file's name from the archive, or BackupError if it could step outside its storage."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ":" in parts[0]
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise BackupError(f"The archive names a file outside its storage: {name!r}")
    return name


def _read_manifest(zipped):
    try:
        info = zipped.getinfo("manifest.json")
    except KeyError:
        raise BackupError("This is not a backup of this site: it has no manifest.json.") from None
    with zipped.open(info) as source:
        raw = source.read(MANIFEST_MAX_BYTES + 1)
    if len(raw) > MANIFEST_MAX_BYTES:
        raise BackupError("The manifest is too big to be a backup's.")
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise BackupError("The manifest is not JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("This is not a backup of this site, or one from a version this code cannot read.")
    return manifest


def backup_check(*, zipped, max_bytes=None):
    """Read every member once, as the manifest describes it, before anything is restored; return the manifest.

    Refuses: members the manifest does not list, names that could leave their storage, storages this site does not
    have, a declared total past `max_bytes`, and any member whose bytes differ from its size or hash.
    """
    max_bytes = settings.RESTORE_MAX_BYTES if max_bytes is None else max_bytes
    manifest = _read_manifest(zipped)
    entries = [manifest.get("data")] + list(manifest.get("files") or [])
    if not all(isinstance(entry, dict) for entry in entries):
        raise BackupError("The manifest is damaged.")
    expected = {}
    for entry in entries:
        member = entry.get("member")
        if entry is manifest["data"]:
            if member != "data.json":
                raise BackupError("The manifest is damaged.")
        else:
            name = _safe_name(str(entry.get("name", "")))
            if entry.get("storage") not in backed_up_storages():
                raise BackupError(
                    f"The archive has files for a storage this site does not have: {entry.get('storage')!r}"
                )
            if member != f"files/{entry['storage']}/{name}":
                raise BackupError(f"The manifest is damaged at {member!r}.")
        if not isinstance(entry.get("size"), int) or entry["size"] < 0:
            raise BackupError(f"The manifest gives no size for {member!r}.")
        expected[member] = entry
    infos = {info.filename: info for info in zipped.infolist() if info.filename != "manifest.json"}
    if set(infos) != set(expected):
        unlisted = sorted(set(infos) - set(expected))[:3] or sorted(set(expected) - set(infos))[:3]
        raise BackupError(f"The archive and its manifest do not match: {unlisted}")
    if sum(entry["size"] for entry in expected.values()) > max_bytes:
        raise BackupError(f"The archive would unpack to more than {max_bytes} bytes (RESTORE_MAX_BYTES).")
    for member, entry in expected.items():
        info = infos[member]
        if info.flag_bits & 0x1:
            raise BackupError(f"{member} is encrypted.")
        if info.file_size != entry["size"]:
            raise BackupError(f"{member} is not the size the manifest gives.")
        digest = hashlib.sha256()
        with zipped.open(info) as source:
            size = _copy(source, None, digest, limit=entry["size"])
        if size != entry["size"] or digest.hexdigest() != entry.get("sha256"):
            raise BackupError(f"{member} is damaged: its contents do not match the manifest.")
    return manifest


def backup_restore(*, archive, database=DEFAULT_DB_ALIAS, max_bytes=None):
    """Replace this site's data and files with the archive's (a binary file object, seekable); return the manifest.

    The archive is checked whole first. The database must be migrated to the same migrations as the archive's.
    """
    with zipfile.ZipFile(archive) as zipped:
        manifest = backup_check(zipped=zipped, max_bytes=max_bytes)
        missing = sorted(set(manifest.get("migrations", [])) - set(applied_migrations(database)))
        if missing:
            raise BackupError(
                f"This database lacks migrations the backup was made with ({', '.join(missing[:5])}): deploy the "
                "same version of the site and run migrate first."
            )
        for entry in manifest["files"]:
            _restore_file(zipped, entry)
        with tempfile.TemporaryDirectory() as folder:
            data_path = os.path.join(folder, "data.json")
            with zipped.open("data.json") as source, open(data_path, "wb") as target:
                _copy(source, target, hashlib.sha256(), limit=manifest["data"]["size"])
            with transaction.atomic(using=database):
                database_empty(database=database)
                call_command("loaddata", data_path, database=database, verbosity=0)
    return manifest


def database_empty(*, database=DEFAULT_DB_ALIAS):
    """Delete every row of every table (as `flush` does, which then makes the content types and permissions again)."""
    with transaction.atomic(using=database):
        if connections[database].vendor == "postgresql":
            # Rows written earlier in an enclosing transaction leave their deferred foreign key checks pending, and
            # PostgreSQL will not empty a table that has some: run them now.
            with connections[database].cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, database=database, verbosity=0)


def _restore_file(zipped, entry):
    storage = storages[entry["storage"]]
    name = entry["name"]
    if storage.exists(name):
        storage.delete(name)
    with zipped.open(entry["member"]) as source, tempfile.TemporaryFile() as copy:
        _copy(source, copy, hashlib.sha256(), limit=entry["size"])
        copy.seek(0)
        saved = storage.save(name, File(copy, name=posixpath.basename(name)))
    if saved != name:
        raise BackupError(f"{entry['storage']} stored {name!r} as {saved!r}.")
