"""The leaver pack carries the family's copy of a group photo: faces of children whose families did not
agree blurred, their own child's face sharp."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.tests.faces import GROUP_PHOTO, difference, group_photo, name_left_and_right
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from transitions.leaver_pack.packs import write_pack_zip

pytestmark = pytest.mark.django_db


def test_the_leaver_pack_holds_the_group_photo_with_the_non_consenting_friend_blurred(
    nursery, practitioner, child, other_child
):
    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)  # Zara's family agreed; Ava's did not
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child, other_child], text="A den.")
    photo = group_photo(entry, [child, other_child])
    ava, zara = name_left_and_right(photo, child, other_child)

    target = io.BytesIO()
    write_pack_zip(child=other_child, target=target)  # Zara's pack
    archive = zipfile.ZipFile(target)
    (name,) = [n for n in archive.namelist() if n.startswith("photos/")]
    packed = Image.open(io.BytesIO(archive.read(name))).convert("RGB")
    original = Image.open(photo.image.open("rb")).convert("RGB")

    assert name.endswith(f"-{photo.pk}.jpg")
    assert difference(original, packed, ava) > 25
    assert difference(original, packed, zara) < 3


def test_a_photo_finished_while_the_pack_is_made_has_the_faces_found_then_blurred(nursery, practitioner, child):
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava and a visitor.")
    photo = ObservationPhotoFactory(
        observation=entry, children=[child], image="", original=ContentFile(GROUP_PHOTO, "original.jpg")
    )
    assert not photo.faces_detected

    target = io.BytesIO()
    write_pack_zip(child=child, target=target)
    archive = zipfile.ZipFile(target)
    (name,) = [n for n in archive.namelist() if n.startswith("photos/")]
    packed = Image.open(io.BytesIO(archive.read(name))).convert("RGB")
    photo.refresh_from_db()
    faces = list(photo.faces.all())
    original = Image.open(photo.image.open("rb")).convert("RGB")

    assert len(faces) == 2  # two faces, one child: neither named, both blurred
    assert all(difference(original, packed, face) > 25 for face in faces)
