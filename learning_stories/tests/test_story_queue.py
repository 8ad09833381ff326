"""Photos and notices survive a broker fault: saved at once, finished by the sweeps or a real worker."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories import notices
from learning_stories.models import NotificationPreference, Observation, ObservationPhoto
from learning_stories.observations import services
from tests.images import camera_jpeg, upload
from tests.test_queue_faults import wait_for

from .factories import ObservationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def draft_with_photo(client, child) -> ObservationPhoto:
    data = {"client_key": str(uuid.uuid4()), "observed_at": "2026-11-23T10:30", "children": [child.pk]}
    pk = client.post(reverse("stories:autosave"), data).json()["id"]
    answer = client.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(camera_jpeg())})
    assert answer.status_code == 200
    return ObservationPhoto.objects.get()


def test_a_photo_uploaded_while_the_broker_is_down_is_kept_and_the_sweep_prepares_it(
    login, practitioner, child, broker_down
):
    from conftest import use_broker
    from core.tasks import make_missing_thumbnails

    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    photo = draft_with_photo(login(practitioner), child)
    assert photo.original, "the stripped upload is kept"
    assert not photo.image
    assert not photo.thumbnail
    use_broker("memory://", eager=True)  # the broker is back
    make_missing_thumbnails.delay()
    photo.refresh_from_db()
    assert photo.image
    assert photo.thumbnail
    assert not photo.original


def test_a_notice_left_by_a_broker_fault_is_sent_by_the_sweep(nursery, child, parent, manager, broker_down):
    from conftest import use_broker
    from core.tasks import send_due_mail

    notices.set_notification_frequency(user=parent, frequency=NotificationPreference.Frequency.IMMEDIATE)
    entry = ObservationFactory(nursery=nursery, children=[child], status=Observation.Status.AWAITING_REVIEW)
    services.publish(observation=entry, by=manager)
    assert Observation.objects.get().status == Observation.Status.PUBLISHED
    assert mail.outbox == []
    use_broker("memory://", eager=True)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_due_mail.delay()
    assert [m.to for m in mail.outbox] == [[parent.email]]


@pytest.mark.worker
def test_a_real_worker_makes_the_thumbnail_of_an_uploaded_photo(login, practitioner, child, celery_worker):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    photo = draft_with_photo(login(practitioner), child)
    assert wait_for(lambda: ObservationPhoto.objects.exclude(thumbnail="").filter(pk=photo.pk).exists())
