"""A family's download (subject access) carries their copy of a photo: a face nobody named is blurred."""

import io
import zipfile

import pytest
from django.urls import reverse
from PIL import Image

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.tests.faces import difference, group_photo
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from privacy import records
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


def test_a_photo_whose_blurred_copy_cannot_be_made_is_counted_as_not_included(
    nursery, practitioner, child, monkeypatch
):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava at the sand.")
    ObservationPhotoFactory(observation=entry, children=[child])
    monkeypatch.setattr(records, "photo_file_for", lambda photo, viewer, small=False: None)

    [exported] = records.child_record(child, photos=[], progress=lambda percent, stage: None)["story"]

    assert exported["photos"] == []
    assert exported["photos_not_included"] == 1


def test_the_childs_record_carries_the_leuven_ratings_of_their_own_observations_even_when_families_do_not_see_them(
    nursery, practitioner, child, other_child
):
    assert not nursery.families_see_wellbeing
    ObservationFactory(nursery=nursery, author=practitioner, children=[child], wellbeing=2, involvement=4)
    ObservationFactory(nursery=nursery, author=practitioner, children=[child, other_child], wellbeing=5)

    alone, group = records.child_record(child, photos=[], progress=lambda percent, stage: None)["story"]

    assert alone["wellbeing"].startswith("2")
    assert alone["involvement"].startswith("4")
    assert group["wellbeing"] is None  # a rating on a group entry is nobody's in particular
