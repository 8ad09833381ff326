"""Consent changes reach the blurred copies on a real Celery worker and Redis (CI sets REDIS_URL)."""

import time

import pytest

from children.models import ConsentPurpose
from children.services import record_consent
from children.tests.factories import consent
from learning_stories.faces import services
from learning_stories.models import PhotoVariant

from .faces import group_photo, name_left_and_right
from .factories import ObservationFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_remakes_the_copies_within_a_minute_of_a_consent_change(
    nursery, practitioner, parent, child, other_child, celery_worker
):
    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child, other_child])
    photo = group_photo(entry, [child, other_child])
    name_left_and_right(photo, child, other_child)
    services.refresh_variants(photo_id=photo.pk)
    old = PhotoVariant.objects.get()  # Zara's family sees Ava blurred

    record_consent(
        child=child,
        purpose=ConsentPurpose.objects.get(code=ConsentPurpose.PHOTOS_OTHERS_STORIES),
        granted=True,
        by=parent,
    )

    deadline = time.monotonic() + 60
    while PhotoVariant.objects.filter(pk=old.pk).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not PhotoVariant.objects.exists(), "Ava's family agreed: nobody needs a blurred copy any more"
    assert not old.image.storage.exists(old.image.name)
