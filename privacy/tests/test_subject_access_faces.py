"""A family's download (subject access) carries their copy of a photo: a face nobody named is blurred."""

import io
import zipfile

import pytest
from django.urls import reverse
from PIL import Image

from learning_stories.tests.faces import difference, group_photo
from learning_stories.tests.factories import ObservationFactory
from privacy.models import SubjectAccessExport

pytestmark = pytest.mark.django_db


def test_a_parents_download_has_the_photo_with_an_unnamed_face_blurred_and_their_childs_face_sharp(
    login, parent, child, nursery, practitioner, django_capture_on_commit_callbacks
):
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava and a visitor.")
    photo = group_photo(entry, [child])
    ava, stranger = sorted(photo.faces.all(), key=lambda face: face.x)
    ava.child = child
    ava.save()

    client = login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:request_own", args=[child.pk]))
    response = client.get(reverse("privacy:download", args=[SubjectAccessExport.objects.get().pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (name,) = [n for n in archive.namelist() if n.startswith("photos/")]
    downloaded = Image.open(io.BytesIO(archive.read(name))).convert("RGB")
    original = Image.open(photo.image.open("rb")).convert("RGB")

    assert difference(original, downloaded, stranger) > 25
    assert difference(original, downloaded, ava) < 3
