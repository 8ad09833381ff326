"""A photo kept because a held child is in it too: the leaver's named face is no longer theirs."""

import pytest

from learning_stories.models import ObservationChild, PhotoFace
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from retention import services

pytestmark = pytest.mark.django_db


def test_a_leavers_named_face_on_a_photo_kept_for_a_held_child_is_unnamed_and_the_copies_remade(
    nursery, child, other_child, django_capture_on_commit_callbacks, monkeypatch
):
    entry = ObservationFactory(nursery=nursery, children=[child, other_child])
    photo = ObservationPhotoFactory(observation=entry, children=[child, other_child])
    leaver_face = PhotoFace.objects.create(photo=photo, x=0.1, y=0.1, w=0.2, h=0.2, child=child)
    held_face = PhotoFace.objects.create(photo=photo, x=0.5, y=0.1, w=0.2, h=0.2, child=other_child)
    queued = []
    monkeypatch.setattr(services, "queue_variants", lambda photo: queued.append(photo.pk))
    link = ObservationChild.objects.get(observation=entry, child=child)

    services._remove_story_links([link.pk], held={other_child.pk})

    leaver_face.refresh_from_db()
    held_face.refresh_from_db()
    assert leaver_face.child is None
    assert held_face.child == other_child
    assert list(photo.children.all()) == [other_child]
    assert queued == [photo.pk]
