"""An S3-compatible bucket for tests: moto's standalone server, started locally (no network), and helpers to
look into a bucket the way an operator would. The ``s3_endpoint`` fixture lives in tests/conftest.py."""

import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

import boto3
from moto.server import ThreadedMotoServer

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
ACCESS_KEY = "keystory-test"
SECRET_KEY = "keystory-test-secret"
REGION = "us-east-1"


def moto_server() -> Iterator[str]:
    """Runs moto's S3 server for as long as the generator is open; yields its address."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


class Bucket(NamedTuple):
    name: str
    endpoint: str
    s3: Any  # a boto3 S3 client signed in to it

    def read(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.name, Key=key)["Body"].read()

    def write(self, key: str, body: bytes) -> None:
        self.s3.put_object(Bucket=self.name, Key=key, Body=body)

    def keys(self, prefix: str = "") -> set[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return {item["Key"] for page in pages for item in page.get("Contents", ())}

    def is_private(self, key: str) -> bool:
        """No grant to everyone, and an anonymous GET of the object's plain URL is refused."""
        grants = self.s3.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        if any(grant["Grantee"].get("URI") == ALL_USERS for grant in grants):
            return False
        try:
            urllib.request.urlopen(f"{self.endpoint}/{self.name}/{key}", timeout=10)
        except urllib.error.HTTPError as refused:
            return refused.code == 403
        return False


def new_bucket(endpoint: str) -> Bucket:
    """A fresh, empty bucket with a unique name on the server at endpoint."""
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
    )
    name = f"keystory-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return Bucket(name, endpoint, client)


def media_variables(bucket: Bucket) -> dict[str, str]:
    """The environment that puts KeyStory's media in bucket (MEDIA_STORAGE=s3)."""
    return {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket.name,
        "AWS_S3_ENDPOINT_URL": bucket.endpoint,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_S3_REGION_NAME": REGION,
    }
