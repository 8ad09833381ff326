"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3), against a real S3 server: moto's, started locally."""

import uuid

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from children.models import ConsentPurpose
from children.tests.factories import consent
from config.settings import s3_media_storage
from learning_stories.models import Observation
from learning_stories.tests.test_capture import form_data
from tests.images import camera_jpeg, upload

pytestmark = pytest.mark.s3


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


def test_no_acl_is_sent_unless_one_is_set_as_new_buckets_refuse_them(monkeypatch, settings):
    from config.settings import backup_s3
    from core.backup_s3 import put_arguments

    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "keystory-media")
    for variable in ("AWS_DEFAULT_ACL", "BACKUP_S3_ACL", "BACKUP_S3_SERVER_SIDE_ENCRYPTION"):
        monkeypatch.delenv(variable, raising=False)
    settings.BACKUP_S3 = backup_s3(environ.Env())
    assert s3_media_storage(environ.Env())["OPTIONS"]["default_acl"] is None
    assert "ACL" not in put_arguments()

    monkeypatch.setenv("AWS_DEFAULT_ACL", "bucket-owner-full-control")
    settings.BACKUP_S3 = backup_s3(environ.Env())
    assert s3_media_storage(environ.Env())["OPTIONS"]["default_acl"] == "bucket-owner-full-control"
    assert put_arguments()["ACL"] == "bucket-owner-full-control"

    monkeypatch.setenv("BACKUP_S3_ACL", "public-read")
    with pytest.raises(ImproperlyConfigured, match="never public"):
        backup_s3(environ.Env())
