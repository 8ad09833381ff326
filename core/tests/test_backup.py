"""Backups that restore: ``manage.py backup`` on one install, ``manage.py restore`` on a fresh one. Run in child
processes, each with its own database and MEDIA_ROOT, as two machines would be."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.xdist_group("backup")  # one worker makes the demo backup once for the module

# What a nursery would check after a restore: the same children, stories and photos, byte for byte.
SNAPSHOT = """
import hashlib, json
from django.apps import apps
from django.contrib.auth import get_user_model
model = apps.get_model
photos = model("learning_stories", "ObservationPhoto").objects.order_by("image")
print(json.dumps({
    "accounts": sorted(get_user_model().objects.values_list("email", flat=True)),
    "children": sorted(model("children", "Child").objects.values_list("first_name", "last_name")),
    "observations": model("learning_stories", "Observation").objects.count(),
    "photos": {photo.image.name: hashlib.sha256(photo.image.read()).hexdigest() for photo in photos},
}))
"""


def environment(folder: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_STORAGE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEMO_MODE="1",
        DATABASE_URL=database_url or f"sqlite:///{folder / 'keystory.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        EMAIL_URL="dummymail://",
    )
    return env


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = run(*args, env=env)
    assert done.returncode == 0, done.stderr
    return done


def refused(*args: str, env: dict[str, str]) -> str:
    """The message of a command that must fail cleanly: an error, not a traceback."""
    done = run(*args, env=env)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr


def snapshot(env: dict[str, str]) -> dict:
    return json.loads(manage("shell", "-c", SNAPSHOT, env=env).stdout.splitlines()[-1])  # after shell's notice


def make_demo_backup(env: dict[str, str], output: Path) -> tuple[Path, dict]:
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("load_demo", env=env)
    folder = Path(manage("backup", "--output", str(output), env=env).stdout.splitlines()[-1])
    return folder, snapshot(env)


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory) -> tuple[Path, dict, dict[str, str]]:
    """The demo nursery backed up from its own install: the backup folder, what it held, and its environment."""
    source = tmp_path_factory.mktemp("source")
    env = environment(source)
    folder, before = make_demo_backup(env, source / "backups")
    assert before["photos"], "the demo nursery should have photos to restore"
    return folder, before, env


def test_a_backup_restored_on_a_fresh_machine_finds_the_same_children_stories_and_photos(demo_backup, tmp_path):
    folder, before, _ = demo_backup
    fresh = environment(tmp_path / "fresh")  # not even the folder of the database exists yet

    restored = manage("restore", str(folder), env=fresh)

    assert "Restored the sqlite database" in restored.stdout
    assert snapshot(fresh) == before
    assert "[ ]" not in manage("showmigrations", env=fresh).stdout  # restore ran migrate


def test_a_backup_holds_a_manifest_of_its_version_migrations_engine_and_checksums(demo_backup):
    folder, before, _ = demo_backup
    manifest = json.loads((folder / "manifest.json").read_text())

    assert manifest["database"] == {"engine": "sqlite", "file": "database.sqlite3"}
    assert manifest["keystory_version"] == "0.1.0"
    assert manifest["created_at"].startswith("20")
    assert "children.0001_initial" in manifest["migrations"]
    assert all(f"media/{name}" in manifest["files"] for name in before["photos"])
    assert manifest["media"]["files"] == sum(name.startswith("media/") for name in manifest["files"])
    assert (folder.stat().st_mode & 0o777) == 0o700  # children's data: only the owner may read it


@pytest.mark.parametrize("damaged", ["database.sqlite3", "a photo"])
def test_a_damaged_backup_is_refused_and_changes_nothing(demo_backup, tmp_path, damaged):
    folder, before, _ = demo_backup
    copy = shutil.copytree(folder, tmp_path / "backup")
    name = "database.sqlite3" if damaged == "database.sqlite3" else f"media/{next(iter(before['photos']))}"
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0x01  # one changed bit
    (copy / name).write_bytes(data)
    fresh = environment(tmp_path / "fresh")

    message = refused("restore", str(copy), env=fresh)

    assert f"is damaged (1 file(s): {name} has changed)" in message
    assert not (tmp_path / "fresh").exists()  # no database, no media


def test_restore_onto_a_database_with_data_refuses_without_force_and_replaces_it_with_force(demo_backup, tmp_path):
    folder, before, _ = demo_backup
    (tmp_path / "other").mkdir()
    other = environment(tmp_path / "other")
    manage("migrate", "--noinput", "-v", "0", env=other)
    manage("shell", "-c", "from accounts.models import User; User.objects.create_user('kept@example.org')", env=other)
    stray = tmp_path / "other" / "media" / "stories" / "not-in-the-backup.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"a photo of another nursery")
    held = snapshot(other)

    assert "already holds data" in refused("restore", str(folder), env=other)
    assert snapshot(other) == held
    assert stray.exists()

    manage("restore", "--force", str(folder), env=other)

    assert snapshot(other) == before
    assert not stray.exists()  # the media folder holds exactly the backup's files


@pytest.fixture
def postgres_databases():
    """Two throwaway databases on the server DATABASE_URL points at: one to back up, one to restore into."""
    url = os.environ.get("DATABASE_URL", "")
    if urlparse(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        pytest.skip("DATABASE_URL is not PostgreSQL")
    import psycopg2

    names = [f"keystory_backup_test_{os.getpid()}_{side}" for side in ("source", "fresh")]
    server = psycopg2.connect(urlparse(url)._replace(path="/postgres").geturl())
    server.autocommit = True
    with server.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [urlparse(url)._replace(path=f"/{name}").geturl() for name in names]
    finally:
        with server.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def test_a_postgresql_backup_restored_into_a_fresh_database_finds_the_same_children_stories_and_photos(
    postgres_databases, tmp_path
):
    source_url, fresh_url = postgres_databases
    source = environment(tmp_path / "source", source_url)
    folder, before = make_demo_backup(source, tmp_path / "backups")
    assert json.loads((folder / "manifest.json").read_text())["database"]["engine"] == "postgresql"
    fresh = environment(tmp_path / "fresh", fresh_url)

    manage("restore", str(folder), env=fresh)

    assert snapshot(fresh) == before
    assert "already holds data" in refused("restore", str(folder), env=fresh)


NAMES = """
from children.models import Child
from children.selectors import nursery_children_names
nursery_id = Child.objects.order_by("pk").first().nursery_id
print(nursery_children_names(nursery_id) == list(
    Child.objects.filter(nursery_id=nursery_id).order_by("pk").values_list("pk", "first_name", "preferred_name")
))
"""


def test_a_restore_over_a_warm_cache_reads_the_childrens_names_from_the_restored_database(demo_backup, tmp_path):
    folder, _, _ = demo_backup
    (tmp_path / "other").mkdir()
    other = environment(tmp_path / "other") | {"CACHE_DIR": str(tmp_path / "cache")}
    manage("migrate", "--noinput", "-v", "0", env=other)
    manage("load_demo", env=other)
    rename = "from children.models import Child; Child.objects.update(first_name='Zed', preferred_name='')"
    manage("shell", "-c", rename, env=other)
    assert manage("shell", "-c", NAMES, env=other).stdout.split()[-1] == "True"  # the cache holds the Zeds

    manage("restore", "--force", str(folder), env=other)

    assert manage("shell", "-c", NAMES, env=other).stdout.split()[-1] == "True"


def test_a_photo_deleted_while_the_backup_copies_is_listed_as_not_in_the_backup(tmp_path):
    from unittest import mock

    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from core.backup import FolderWriter, copy_media

    storage = FileSystemStorage(location=tmp_path / "media")
    for name in ("stories/kept.jpg", "stories/originals/gone.jpg"):
        storage.save(name, ContentFile(b"photo"))
    real_open = storage.open

    def open_racing(name, mode="rb"):
        if name.endswith("gone.jpg"):
            storage.delete(name)  # its display copy was made meanwhile
        return real_open(name, mode)

    with mock.patch.object(storage, "open", side_effect=open_racing):
        files, skipped = copy_media(storage, FolderWriter(tmp_path / "backups", "keystory-test"))

    assert list(files) == ["media/stories/kept.jpg"]
    assert skipped == ["stories/originals/gone.jpg"]


@pytest.mark.parametrize("link", ["a photo", "the media folder"])
def test_a_backup_folder_holding_a_symbolic_link_is_refused(demo_backup, tmp_path, link):
    folder, before, _ = demo_backup
    copy = shutil.copytree(folder, tmp_path / "backup")
    secret = tmp_path / "secret"
    if link == "a photo":
        name = copy / "media" / next(iter(before["photos"]))
        secret.write_bytes(name.read_bytes())  # the same bytes: the checksums alone would not notice
        name.unlink()
        name.symlink_to(secret)
    else:
        shutil.move(copy / "media", secret)
        (copy / "media").symlink_to(secret, target_is_directory=True)
    fresh = environment(tmp_path / "fresh")

    message = refused("restore", str(copy), env=fresh)

    assert "holds a symbolic link" in message
    assert not (tmp_path / "fresh").exists()
