"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3), against a real S3 server: moto's, started locally."""

import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

import boto3
import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from moto.server import ThreadedMotoServer

from children.models import ConsentPurpose
from children.tests.factories import consent
from config.settings import s3_media_storage
from learning_stories.models import Observation
from learning_stories.tests.test_capture import form_data
from tests.images import camera_jpeg, upload

pytestmark = pytest.mark.s3

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


class Bucket(NamedTuple):
    name: str
    endpoint: str
    s3: Any  # a boto3 S3 client signed in to it

    def read(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.name, Key=key)["Body"].read()

    def keys(self) -> set[str]:
        return {item["Key"] for item in self.s3.list_objects_v2(Bucket=self.name)["Contents"]}

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


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch) -> Bucket:
    """A fresh bucket, and KeyStory's media storage switched to it through the environment variables."""
    name = f"keystory-{uuid.uuid4().hex[:12]}"
    variables = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "keystory-test",
        "AWS_SECRET_ACCESS_KEY": "keystory-test-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="keystory-test",
        aws_secret_access_key="keystory-test-secret",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": s3_media_storage(environ.Env())}
    return Bucket(name, s3_endpoint, client)


@pytest.mark.django_db
def test_a_photo_goes_to_the_bucket_privately_and_reaches_only_the_childs_family_through_keystory(
    bucket, login, practitioner, parent, other_parent, child, nursery, django_capture_on_commit_callbacks
):
    nursery.observations_need_review = False
    nursery.save()
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    staff = login(practitioner)
    key = uuid.uuid4()
    pk = staff.post(reverse("stories:autosave"), form_data([child], key=key)).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):  # runs the thumbnail task
        assert staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(camera_jpeg())}).json()["ok"]
    staff.post(reverse("stories:new"), form_data([child], key=key))
    photo = Observation.objects.get(status=Observation.Status.PUBLISHED).photos.get()

    assert {photo.image.name, photo.thumbnail.name} <= bucket.keys()
    assert bucket.is_private(photo.image.name)
    assert bucket.is_private(photo.thumbnail.name)
    assert "X-Amz-Expires=60&" in photo.image.url  # were a URL ever made, it is signed and short-lived

    family = login(parent).get(reverse("stories:photo", args=[photo.pk]))
    assert family.status_code == 200
    assert b"".join(family.streaming_content) == bucket.read(photo.image.name)
    assert family["Cache-Control"] == "private, no-cache"
    small = login(parent).get(reverse("stories:photo_thumbnail", args=[photo.pk]))
    assert b"".join(small.streaming_content) == bucket.read(photo.thumbnail.name)
    assert login(other_parent).get(reverse("stories:photo", args=[photo.pk])).status_code == 404


def test_s3_media_needs_a_bucket(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)

    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        s3_media_storage(environ.Env())
