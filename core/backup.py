"""Backups that restore: the database and the media files (children's photos) in one folder, with a manifest.

A backup folder holds ``manifest.json``, the database (``database.pgdump`` from ``pg_dump`` in custom format,
or ``database.sqlite3`` made with SQLite's online backup API) and ``media/``, a copy of every file in the
media storage (MEDIA_ROOT, or the media bucket with MEDIA_STORAGE=s3), read through Django's storage API.
The database is dumped first, as one consistent snapshot, and the media copied after it, so every photo the
database names is in the folder (one uploaded during the copy may be there too, unnamed: harmless).
The folder is on this machine's disk, or a prefix in an S3-compatible bucket (``s3://bucket/prefix``,
see core.backup_s3).

Restoring checks every checksum before it changes anything (a backup in a bucket is downloaded first),
refuses a database that already holds data unless forced, then restores the database, writes the media back
through the storage, and runs migrate.
"""

import hashlib
import json
import logging
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from core import caching
from core.backup_s3 import S3BackupError, S3Location, S3Reader, S3Writer, Sha256Reader, is_s3, refuse_media_bucket

MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}

logger = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why in plain words."""


@dataclass(frozen=True)
class Restored:
    engine: str
    media_files: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def keystory_version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as pyproject:
        return tomllib.load(pyproject)["project"]["version"]


def sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def file_entry(path: Path) -> dict:
    return {"sha256": sha256(path), "bytes": path.stat().st_size}


def pg_env() -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: the password stays out of the process list."""
    database = connection.settings_dict
    _, env = DatabaseClient.settings_to_cmd_args_env(database, [])
    env = {**os.environ, **(env or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def run_pg_tool(tool: str, *args: str) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} was not found: install PostgreSQL's client tools (Debian: postgresql-client).")
    done = subprocess.run([program, *args], env=pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()}")


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def dump_database(vendor: str, target: Path) -> None:
    if vendor == "postgresql":
        run_pg_tool("pg_dump", "--format=custom", "--no-owner", f"--file={target}")
        return
    name = Path(connection.settings_dict["NAME"])
    if not name.is_file():
        raise BackupError(f"There is no database at {name} to back up.")
    source = read_only(name)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # a consistent snapshot, while the site keeps serving
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()


def is_link(storage: Storage, name: str) -> bool:
    """A symbolic link in MEDIA_ROOT was not put there by KeyStory: its target may be any file on the machine."""
    return isinstance(storage, FileSystemStorage) and os.path.islink(storage.path(name))


def media_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file in the media storage, by the name the database knows it by."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # no MEDIA_ROOT yet
        return
    for file in sorted(files):
        name = posixpath.join(directory, file)
        if not is_link(storage, name):
            yield name
    for child in sorted(directories):
        name = posixpath.join(directory, child)
        if not is_link(storage, name):
            yield from media_names(storage, name)


class FolderWriter:
    """A new backup folder on this disk. It gets its final name only once complete."""

    def __init__(self, output: Path, name: str) -> None:
        output.mkdir(parents=True, exist_ok=True)
        self.folder = output / name
        self.scratch = output / f".{name}.partial"
        if self.folder.exists() or self.scratch.exists():
            raise BackupError(f"{self.folder} already exists: wait a second and run the backup again.")
        self.scratch.mkdir(mode=0o700)  # children's data: readable by this account only

    def add_file(self, name: str, path: Path) -> dict:
        return file_entry(path)  # already written in place

    def add_stream(self, name: str, stream: BinaryIO) -> dict:
        target = self.scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        reader = Sha256Reader(stream)
        with open(target, "wb") as file:
            shutil.copyfileobj(reader, file)
        return reader.entry()

    def finish(self, manifest: bytes) -> str:
        (self.scratch / MANIFEST).write_bytes(manifest)
        self.scratch.rename(self.folder)
        return self.folder.as_posix()

    def abandon(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


class BucketWriter:
    """A new backup under a bucket prefix: the database dump is made on local disk, then uploaded, and the
    media streamed from their storage to the bucket. manifest.json goes last: without it, restore refuses."""

    def __init__(self, output: S3Location, name: str) -> None:
        self.location = output.child(name)
        refuse_media_bucket(self.location)
        self.bucket = S3Writer(self.location)
        self.temporary = tempfile.TemporaryDirectory(prefix="keystory-backup-")
        self.scratch = Path(self.temporary.name)

    def add_file(self, name: str, path: Path) -> dict:
        entry = file_entry(path)
        self.bucket.upload_file(name, path)
        path.unlink()
        return entry

    def add_stream(self, name: str, stream: BinaryIO) -> dict:
        return self.bucket.upload_stream(name, stream)

    def finish(self, manifest: bytes) -> str:
        self.bucket.put(MANIFEST, manifest)
        self.temporary.cleanup()
        return str(self.location)

    def abandon(self) -> None:
        self.temporary.cleanup()
        self.bucket.remove_written()


def copy_media(storage: Storage, writer: FolderWriter | BucketWriter) -> tuple[dict[str, dict], list[str]]:
    """Copy every media file through the storage; returns their checksums by their name in the backup, and
    the names of files listed but gone before they could be copied."""
    files, skipped = {}, []
    for name in media_names(storage):
        try:
            with storage.open(name, "rb") as source:
                files[f"{MEDIA}/{name}"] = writer.add_stream(f"{MEDIA}/{name}", source)
        except FileNotFoundError:
            # Deleted while we copied (e.g. a photo's original once its display copy was made). The database
            # was dumped before, so it may still name the file: restored, such a photo is marked as one that
            # could not be prepared (core.images.fill_display).
            skipped.append(name)
    return files, skipped


@contextmanager
def s3_errors() -> Iterator[None]:
    """Failures of a bucket, for backups or media (MEDIA_STORAGE=s3), as a message rather than a traceback."""
    try:
        yield
    except S3BackupError as error:
        raise BackupError(str(error)) from None
    except (BotoCoreError, ClientError) as error:
        raise BackupError(f"The media storage failed: {error}") from None


def create_backup(output: str | Path, on_skipped: Callable[[str], None] | None = None) -> str:
    """Write a new backup in output (a folder, or s3://bucket/prefix) and return where it is. ``on_skipped``
    is told of each media file that went while it was copied (also listed in the manifest)."""
    vendor = engine()
    created = datetime.now(UTC)
    name = f"keystory-{created:%Y%m%d-%H%M%S}"
    with s3_errors():
        writer = (
            BucketWriter(S3Location.parse(str(output)), name)
            if is_s3(str(output))
            else FolderWriter(Path(output), name)
        )
    try:
        with s3_errors():
            database_file = DUMP_FILES[vendor]
            dump_database(vendor, writer.scratch / database_file)
            files = {database_file: writer.add_file(database_file, writer.scratch / database_file)}
            media, skipped = copy_media(default_storage, writer)
            for name in skipped:
                logger.warning("Media file %s went while the backup was made: not in the backup", name)
                if on_skipped:
                    on_skipped(name)
            files.update(media)
            manifest = {
                "format": FORMAT,
                "keystory_version": keystory_version(),
                "created_at": created.isoformat(),
                "database": {"engine": vendor, "file": database_file},
                "migrations": applied_migrations(),
                "media": {
                    "files": len(media),
                    "bytes": sum(entry["bytes"] for entry in media.values()),
                    "skipped": skipped,
                },
                "files": files,
            }
            return writer.finish((json.dumps(manifest, indent=2) + "\n").encode())
    except BaseException:
        writer.abandon()
        raise


def read_manifest(folder: Path, label: str | None = None) -> dict:
    label = label or str(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{label} is not a KeyStory backup: it has no {MANIFEST}.") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"The backup in {label} is damaged: {MANIFEST} cannot be read.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{label} is not a backup this version of KeyStory can restore.")
    try:
        listed = manifest["database"]["file"] in manifest["files"] and isinstance(manifest["migrations"], list)
    except (KeyError, TypeError):
        listed = False
    if not listed:
        raise BackupError(f"The backup in {label} is damaged: {MANIFEST} is incomplete.")
    return manifest


def safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The backup's manifest names a file outside the backup: {name}.")
    return path


def refuse_links(folder: Path) -> None:
    """A backup holds plain files only: a symbolic link in it could make restore read (and put in the media
    folder, or the database) any file this account can read."""
    for root, directories, files in os.walk(folder):  # does not follow links
        for name in directories + files:
            path = Path(root, name)
            if path.is_symlink():
                raise BackupError(
                    f"The backup in {folder} holds a symbolic link ({path.relative_to(folder)}), which a backup "
                    "never does: copy the real files into it instead. Nothing was restored."
                )


def verify(folder: Path, manifest: dict, label: str) -> None:
    """Every file the manifest lists is present with the same checksum; nothing is changed otherwise."""
    damaged = []
    for name, entry in manifest["files"].items():
        path = folder / safe_relative(name)
        if not path.is_file():
            damaged.append(f"{name} is missing")
        elif sha256(path) != entry["sha256"]:
            damaged.append(f"{name} has changed")
    if damaged:
        listed = "; ".join(damaged[:5]) + ("; …" if len(damaged) > 5 else "")
        raise BackupError(f"The backup in {label} is damaged ({len(damaged)} file(s): {listed}). Nothing was restored.")


def check_compatible(manifest: dict, vendor: str) -> None:
    backed_up = manifest["database"]["engine"]
    if backed_up != vendor:
        raise BackupError(
            f"This backup is of a {backed_up} database, but DATABASE_URL points at {vendor}. Nothing was restored."
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            f"This backup was made by a newer KeyStory ({manifest['keystory_version']}; migrations such as "
            f"{unknown[0]} are not in this copy). Update KeyStory first. Nothing was restored."
        )


def database_holds_data() -> bool:
    """Accounts are where all real data starts; a freshly migrated database has only its reference data."""
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return False  # a fresh machine: not even the file yet
    user_table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return user_table in tables and get_user_model().objects.exists()


def restore_database(vendor: str, dump: Path) -> None:
    connection.close()
    if vendor == "postgresql":
        # One transaction: if anything fails, the database is as it was.
        run_pg_tool(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}", str(dump),
        )  # fmt: skip
        return
    target = Path(connection.settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API rather than a file copy, so an existing -wal file beside the target cannot outlive it.
    source = read_only(dump)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def restore_media(folder: Path, manifest: dict, storage: Storage) -> int:
    """Write the backup's media through the storage (MEDIA_ROOT or the media bucket), under their own names,
    and make it hold exactly the backup's files: a file not in the backup would be an orphaned photo."""
    wanted = set()
    for name in manifest["files"]:
        relative = safe_relative(name)
        if relative.parts[0] != MEDIA:
            continue
        inside = PurePosixPath(*relative.parts[1:]).as_posix()
        wanted.add(inside)
        if storage.exists(inside):
            storage.delete(inside)  # otherwise the storage would save under a new name
        with open(folder / relative, "rb") as source:
            saved = storage.save(inside, File(source, name=inside))
        if saved != inside:
            raise BackupError(f"The media storage saved {inside} as {saved}: restore stopped part way.")
    for existing in list(media_names(storage)):
        if existing not in wanted:
            storage.delete(existing)
    return len(wanted)


@contextmanager
def backup_on_disk(location: str) -> Iterator[tuple[Path, dict]]:
    """The backup's folder on this disk and its manifest. A backup in a bucket is first downloaded, streamed
    to a private temporary folder (TMPDIR needs room for it), which is removed afterwards."""
    if not is_s3(location):
        folder = Path(location)
        refuse_links(folder)
        yield folder, read_manifest(folder)
        return
    with s3_errors():
        bucket = S3Reader(S3Location.parse(location))
    with tempfile.TemporaryDirectory(prefix="keystory-restore-") as scratch:
        folder = Path(scratch)
        with s3_errors():
            if not bucket.download(MANIFEST, folder / MANIFEST):
                raise BackupError(f"{location} is not a KeyStory backup: it has no {MANIFEST}.")
            manifest = read_manifest(folder, location)
            for name in manifest["files"]:
                bucket.download(name, folder / safe_relative(name))  # a missing one is reported by verify
        yield folder, manifest


def restore_backup(location: str | Path, force: bool = False) -> Restored:
    """Restore the backup in location: a folder, or s3://bucket/prefix/keystory-<date>-<time>."""
    with backup_on_disk(str(location)) as (folder, manifest):
        verify(folder, manifest, str(location))
        vendor = engine()
        check_compatible(manifest, vendor)
        if database_holds_data() and not force:
            raise BackupError(
                "The database already holds data (it has accounts). Restoring would replace all of it: "
                "run restore again with --force if that is what you want. Nothing was restored."
            )
        restore_database(vendor, folder / manifest["database"]["file"])
        with s3_errors():
            media_files = restore_media(folder, manifest, default_storage)
    call_command("migrate", interactive=False, verbosity=0)
    try:  # values cached from the old database (e.g. the children's names hidden from families) must go
        caching.forget_all()
    except Exception as error:
        raise BackupError(
            f"The backup was restored, but the cache could not be reached to forget the old data ({error}): "
            "empty it (var/cache, or Redis) before opening the site."
        ) from error
    return Restored(engine=vendor, media_files=media_files)
