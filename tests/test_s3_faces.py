"""Blurred copies of group photos with media in an S3-compatible bucket (moto's server, started locally):
stored privately beside the photos and reaching a family only through KeyStory's checked photo address."""

import io
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import Observation, PhotoVariant
from learning_stories.tests.faces import GROUP_PHOTO, difference
from learning_stories.tests.test_capture import form_data
from tests.images import upload

pytestmark = pytest.mark.s3


@pytest.mark.django_db
def test_a_group_photo_in_the_bucket_reaches_the_other_family_with_the_non_consenting_face_blurred(
    bucket, login, practitioner, other_parent, child, other_child, nursery, django_capture_on_commit_callbacks
):
    nursery.observations_need_review = False
    nursery.save()
    for kid in (child, other_child):
        consent(kid, ConsentPurpose.PHOTOS_OWN_STORY)
    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)  # Zara's family agreed; Ava's did not
    staff = login(practitioner)
    key = uuid.uuid4()
    pk = staff.post(reverse("stories:autosave"), form_data([child, other_child], key=key)).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):  # the photo task: display copy, faces, thumbnail
        photo_id = staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(GROUP_PHOTO)}).json()["id"]
    ava, zara = sorted(Observation.objects.get().photos.get().faces.all(), key=lambda face: face.x)
    for face, kid in ((ava, child), (zara, other_child)):
        staff.post(reverse("stories:name_face", args=[face.pk]), {f"face-{face.pk}-child": kid.pk})
    with django_capture_on_commit_callbacks(execute=True):  # publishing queues the blurred copies
        staff.post(reverse("stories:edit", args=[pk]), form_data([child, other_child], key=key))

    variant = PhotoVariant.objects.get()
    assert variant.image.name.startswith("stories/variants/")
    assert {variant.image.name, variant.thumbnail.name} <= bucket.keys("stories/variants/")
    assert bucket.is_private(variant.image.name)
    response = login(other_parent).get(reverse("stories:photo", args=[photo_id]))
    seen = b"".join(response.streaming_content)
    assert seen == bucket.read(variant.image.name)
    original = Image.open(io.BytesIO(bucket.read(variant.photo.image.name))).convert("RGB")
    assert difference(original, Image.open(io.BytesIO(seen)).convert("RGB"), ava) > 25
