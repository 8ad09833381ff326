"""Backups in an S3-compatible bucket, and of media kept in one (MEDIA_STORAGE=s3), against moto's S3 server
started locally. Each install runs in child processes with its own database, as two machines would."""

import hashlib
import json
from pathlib import Path

import pytest

from core.tests.test_backup import environment, manage, refused, snapshot
from tests.s3 import ACCESS_KEY, REGION, SECRET_KEY, Bucket, media_variables, new_bucket

pytestmark = [pytest.mark.s3, pytest.mark.xdist_group("backup")]


def install(folder: Path, media: Bucket | None, **variables: str) -> dict[str, str]:
    """An install's environment: its own SQLite database, and its media in the bucket when one is given."""
    env = environment(folder)
    for variable in list(env):
        if variable.startswith(("AWS_", "BACKUP_S3_")):
            del env[variable]
    return {**env, **(media_variables(media) if media else {}), **variables}


@pytest.fixture(scope="module")
def s3_demo(s3_endpoint, tmp_path_factory) -> dict:
    """The demo nursery with its photos in a media bucket, backed up to another bucket, encrypted at rest."""
    media, backups = new_bucket(s3_endpoint), new_bucket(s3_endpoint)
    source = install(tmp_path_factory.mktemp("source"), media, BACKUP_S3_SERVER_SIDE_ENCRYPTION="AES256")
    manage("migrate", "--noinput", "-v", "0", env=source)
    manage("load_demo", env=source)
    location = manage("backup", "--output", f"s3://{backups.name}/nightly", env=source).stdout.splitlines()[-1]
    before = snapshot(source)
    assert before["photos"], "the demo nursery should have photos to restore"
    return {"location": location, "before": before, "media": media, "backups": backups, "env": source}


def prefix_of(location: str) -> str:
    return location.split("/", 3)[3]


def test_a_backup_to_a_bucket_restored_on_an_empty_install_finds_the_same_children_stories_and_photos(
    s3_demo, s3_endpoint, tmp_path
):
    location, backups = s3_demo["location"], s3_demo["backups"]
    assert location.startswith(f"s3://{backups.name}/nightly/keystory-")
    fresh_media = new_bucket(s3_endpoint)
    fresh = install(tmp_path / "fresh", fresh_media)

    restored = manage("restore", location, env=fresh)

    assert "Restored the sqlite database" in restored.stdout
    assert snapshot(fresh) == s3_demo["before"]  # photos read back from the new bucket, byte for byte
    assert set(s3_demo["before"]["photos"]) <= fresh_media.keys()
    assert "[ ]" not in manage("showmigrations", env=fresh).stdout


def test_a_backup_in_a_bucket_is_private_encrypted_and_holds_every_photo_of_the_media_bucket(s3_demo):
    backups, media = s3_demo["backups"], s3_demo["media"]
    prefix = prefix_of(s3_demo["location"])
    manifest = json.loads(backups.read(f"{prefix}/manifest.json"))

    assert manifest["database"]["engine"] == "sqlite"
    for name in s3_demo["before"]["photos"]:
        assert manifest["files"][f"media/{name}"]["sha256"] == hashlib.sha256(media.read(name)).hexdigest()
        assert backups.read(f"{prefix}/media/{name}") == media.read(name)
    keys = backups.keys(prefix)
    assert keys == {f"{prefix}/{name}" for name in manifest["files"]} | {f"{prefix}/manifest.json"}
    for key in keys:
        assert backups.is_private(key)
        assert backups.s3.head_object(Bucket=backups.name, Key=key)["ServerSideEncryption"] == "AES256"


def test_media_in_a_bucket_backed_up_to_a_folder_restore_onto_the_local_disk(s3_demo, tmp_path):
    folder = Path(manage("backup", "--output", str(tmp_path / "backups"), env=s3_demo["env"]).stdout.splitlines()[-1])
    fresh = install(tmp_path / "fresh", None)

    manage("restore", str(folder), env=fresh)

    assert snapshot(fresh) == s3_demo["before"]
    for name in s3_demo["before"]["photos"]:
        assert (tmp_path / "fresh" / "media" / name).read_bytes() == s3_demo["media"].read(name)


def test_a_changed_object_in_the_bucket_is_refused_and_nothing_is_restored(s3_demo, s3_endpoint, tmp_path):
    backups = s3_demo["backups"]
    prefix = prefix_of(s3_demo["location"])
    for key in backups.keys(prefix):  # a copy of the backup, so the other tests keep theirs
        backups.write(key.replace(prefix, f"{prefix}-copy", 1), backups.read(key))
    photo = f"media/{next(iter(s3_demo['before']['photos']))}"
    data = bytearray(backups.read(f"{prefix}-copy/{photo}"))
    data[len(data) // 2] ^= 0x01  # one changed bit
    backups.write(f"{prefix}-copy/{photo}", bytes(data))
    fresh_media = new_bucket(s3_endpoint)
    fresh = install(tmp_path / "fresh", fresh_media)

    message = refused("restore", f"{s3_demo['location']}-copy", env=fresh)

    assert f"is damaged (1 file(s): {photo} has changed). Nothing was restored." in message
    assert not (tmp_path / "fresh").exists()  # no database
    assert not fresh_media.keys()


def test_restore_from_a_bucket_address_that_holds_no_backup_says_so(s3_demo, tmp_path):
    # Media on the local disk: the bucket is reached with the BACKUP_S3_* variables alone.
    fresh = install(
        tmp_path / "fresh",
        None,
        BACKUP_S3_ENDPOINT_URL=s3_demo["backups"].endpoint,
        BACKUP_S3_REGION_NAME=REGION,
        BACKUP_S3_ACCESS_KEY_ID=ACCESS_KEY,
        BACKUP_S3_SECRET_ACCESS_KEY=SECRET_KEY,
    )

    message = refused("restore", f"s3://{s3_demo['backups'].name}/nightly/keystory-19990101-000000", env=fresh)

    assert "is not a KeyStory backup: it has no manifest.json" in message


def test_a_backup_into_the_media_bucket_itself_is_refused(s3_demo):
    media = s3_demo["media"]

    message = refused("backup", "--output", f"s3://{media.name}/backups", env=s3_demo["env"])

    assert "in the bucket that holds the media files" in message
    assert not media.keys("backups/")
