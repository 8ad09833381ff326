"""Backups that restore: the database and the media files (children's photos) in one folder, with a manifest.

A backup folder holds ``manifest.json``, the database (``database.pgdump`` from ``pg_dump`` in custom format,
or ``database.sqlite3`` made with SQLite's online backup API) and ``media/``, a copy of MEDIA_ROOT. The
database is dumped first, as one consistent snapshot, and the media copied after it, so every photo the
database names is in the folder (one uploaded during the copy may be there too, unnamed: harmless).

Restoring checks every checksum before it changes anything, refuses a database that already holds data
unless forced, then restores the database, the media, and runs migrate.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


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


def media_root() -> Path:
    # Media on object storage (S3) is kept by the bucket's own versioning and replication, not copied here.
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError("Media files are not on the local disk (MEDIA_ROOT): back up the bucket with its own tools.")
    return Path(settings.MEDIA_ROOT)


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


def copy_media(source_root: Path, target_root: Path) -> dict[str, dict]:
    """Copy every file under source_root; returns their checksums by path relative to target_root's parent."""
    files = {}
    for source in sorted(source_root.rglob("*")):
        if not source.is_file() or source.is_symlink():
            continue
        relative = source.relative_to(source_root).as_posix()
        target = target_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:  # deleted while we copied; the database dump no longer names it
            continue
        files[f"{MEDIA}/{relative}"] = file_entry(target)
    return files


def create_backup(output: Path) -> Path:
    """Write a new backup folder inside output and return it. Only a complete backup gets its final name."""
    vendor = engine()
    root = media_root()
    created = datetime.now(UTC)
    output.mkdir(parents=True, exist_ok=True)
    folder = output / f"keystory-{created:%Y%m%d-%H%M%S}"
    partial = output / f".{folder.name}.partial"
    if folder.exists() or partial.exists():
        raise BackupError(f"{folder} already exists: wait a second and run the backup again.")
    partial.mkdir(mode=0o700)  # children's data: readable by this account only
    try:
        database_file = DUMP_FILES[vendor]
        dump_database(vendor, partial / database_file)
        files = {database_file: file_entry(partial / database_file)}
        media = copy_media(root, partial / MEDIA) if root.is_dir() else {}
        files.update(media)
        manifest = {
            "format": FORMAT,
            "keystory_version": keystory_version(),
            "created_at": created.isoformat(),
            "database": {"engine": vendor, "file": database_file},
            "migrations": applied_migrations(),
            "media": {"files": len(media), "bytes": sum(entry["bytes"] for entry in media.values())},
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(folder)
    return folder


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a KeyStory backup: it has no {MANIFEST}.") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"The backup in {folder} is damaged: {MANIFEST} cannot be read.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is not a backup this version of KeyStory can restore.")
    try:
        listed = manifest["database"]["file"] in manifest["files"] and isinstance(manifest["migrations"], list)
    except (KeyError, TypeError):
        listed = False
    if not listed:
        raise BackupError(f"The backup in {folder} is damaged: {MANIFEST} is incomplete.")
    return manifest


def safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The backup's manifest names a file outside the backup: {name}.")
    return path


def verify(folder: Path, manifest: dict) -> None:
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
        raise BackupError(
            f"The backup in {folder} is damaged ({len(damaged)} file(s): {listed}). Nothing was restored."
        )


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


def restore_media(folder: Path, manifest: dict, root: Path) -> int:
    """Make MEDIA_ROOT hold exactly the backup's files: a file not in the backup would be an orphaned photo."""
    wanted = set()
    for name in manifest["files"]:
        relative = safe_relative(name)
        if relative.parts[0] != MEDIA:
            continue
        inside = PurePosixPath(*relative.parts[1:])
        wanted.add(inside.as_posix())
        target = root / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / relative, target)
    for existing in root.rglob("*") if root.is_dir() else ():
        if existing.is_file() and existing.relative_to(root).as_posix() not in wanted:
            existing.unlink()
    return len(wanted)


def restore_backup(folder: Path, force: bool = False) -> Restored:
    manifest = read_manifest(folder)
    verify(folder, manifest)
    vendor = engine()
    check_compatible(manifest, vendor)
    root = media_root()
    if database_holds_data() and not force:
        raise BackupError(
            "The database already holds data (it has accounts). Restoring would replace all of it: "
            "run restore again with --force if that is what you want. Nothing was restored."
        )
    restore_database(vendor, folder / manifest["database"]["file"])
    media_files = restore_media(folder, manifest, root)
    call_command("migrate", interactive=False, verbosity=0)
    return Restored(engine=vendor, media_files=media_files)
