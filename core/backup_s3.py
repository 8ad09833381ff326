"""Backups in an S3-compatible bucket: ``s3://bucket/prefix`` as the place to write them and read them back.

The bucket is reached with boto3 and settings.BACKUP_S3 (BACKUP_S3_* variables, falling back to the media's
AWS_* ones). Every object is written private, with server-side encryption when BACKUP_S3_SERVER_SIDE_ENCRYPTION
asks for it, and files are streamed in parts: a large photo or database dump is never held in memory whole.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage

SCHEME = "s3://"


class S3BackupError(Exception):
    """Raised as core.backup.BackupError by the caller; kept apart so this module needs nothing from it."""


def is_s3(location: str) -> bool:
    return location.startswith(SCHEME)


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str  # no leading or trailing slash; may be empty

    @classmethod
    def parse(cls, location: str) -> "S3Location":
        bucket, _, prefix = location.removeprefix(SCHEME).partition("/")
        parts = PurePosixPath(prefix).parts
        if not bucket or ".." in parts:
            raise S3BackupError(f"{location} is not a bucket address like s3://bucket/folder.")
        return cls(bucket, "/".join(parts))

    def child(self, name: str) -> "S3Location":
        return S3Location(self.bucket, f"{self.prefix}/{name}" if self.prefix else name)

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def __str__(self) -> str:
        return f"{SCHEME}{self.bucket}/{self.prefix}" if self.prefix else f"{SCHEME}{self.bucket}"


@contextmanager
def reaching(location: S3Location) -> Iterator[None]:
    """boto3's failures (no credentials, no such bucket, no network) as one plain message."""
    try:
        yield
    except ClientError as error:
        detail = error.response.get("Error", {})
        raise S3BackupError(
            f"The bucket {location.bucket} refused: {detail.get('Code', '')} {detail.get('Message', '')}".strip()
        ) from None
    except BotoCoreError as error:
        raise S3BackupError(f"The bucket {location.bucket} could not be reached: {error}") from None


def client() -> Any:
    options = settings.BACKUP_S3
    return boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        config=Config(signature_version="s3v4", retries={"mode": "standard"}),
    )


def put_arguments() -> dict[str, str]:
    """Private to the bucket's owner, never public (no ACL is sent unless BACKUP_S3_ACL: new buckets refuse
    any); encrypted at rest by the service when configured."""
    options = settings.BACKUP_S3
    arguments = {"ACL": options["acl"]} if options.get("acl") else {}
    if options["server_side_encryption"]:
        arguments["ServerSideEncryption"] = options["server_side_encryption"]
        if options["kms_key_id"]:
            arguments["SSEKMSKeyId"] = options["kms_key_id"]
    return arguments


def refuse_media_bucket(location: S3Location) -> None:
    """A backup inside the media bucket dies with it, and would be copied into every later backup."""
    media_bucket = getattr(default_storage, "bucket_name", None)
    same_service = getattr(default_storage, "endpoint_url", None) == settings.BACKUP_S3["endpoint_url"]
    if media_bucket == location.bucket and same_service:
        raise S3BackupError(
            f"{location} is in the bucket that holds the media files: keep backups in another bucket, "
            "so they survive if that bucket is lost."
        )


class Sha256Reader:
    """Reads a stream once, in the order boto3 uploads it, counting its bytes and their SHA-256 as they pass."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False  # boto3 then reads it front to back, once, a part at a time

    def entry(self) -> dict:
        return {"sha256": self.digest.hexdigest(), "bytes": self.size}


class S3Writer:
    """Uploads one backup under location; remembers what it wrote so a failed backup leaves nothing behind."""

    def __init__(self, location: S3Location) -> None:
        self.location = location
        self.s3 = client()
        self.written: list[str] = []
        with reaching(location):
            listed = self.s3.list_objects_v2(Bucket=location.bucket, Prefix=location.key(""), MaxKeys=1)
        if listed.get("KeyCount", 0):
            raise S3BackupError(f"{location} already exists: wait a second and run the backup again.")

    def upload_file(self, name: str, path: Path) -> None:
        key = self.location.key(name)
        self.written.append(key)
        with reaching(self.location):
            self.s3.upload_file(str(path), self.location.bucket, key, ExtraArgs=put_arguments())

    def upload_stream(self, name: str, stream: BinaryIO) -> dict:
        key = self.location.key(name)
        reader = Sha256Reader(stream)
        self.written.append(key)
        with reaching(self.location):
            self.s3.upload_fileobj(reader, self.location.bucket, key, ExtraArgs=put_arguments())
        return reader.entry()

    def put(self, name: str, body: bytes) -> None:
        key = self.location.key(name)
        self.written.append(key)
        with reaching(self.location):
            self.s3.put_object(Bucket=self.location.bucket, Key=key, Body=body, **put_arguments())

    def remove_written(self) -> None:
        for start in range(0, len(self.written), 1000):  # DeleteObjects takes 1,000 keys at a time
            batch = [{"Key": key} for key in self.written[start : start + 1000]]
            # Best effort: without its manifest.json, whatever is left is not a backup restore accepts.
            with suppress(BotoCoreError, ClientError):
                self.s3.delete_objects(Bucket=self.location.bucket, Delete={"Objects": batch, "Quiet": True})


class S3Reader:
    """Downloads one backup's objects to local files, streamed to disk."""

    def __init__(self, location: S3Location) -> None:
        self.location = location
        self.s3 = client()

    def download(self, name: str, path: Path) -> bool:
        """False when the backup has no such object."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with reaching(self.location):
            try:
                self.s3.download_file(self.location.bucket, self.location.key(name), str(path))
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                    path.unlink(missing_ok=True)
                    return False
                raise
        return True
