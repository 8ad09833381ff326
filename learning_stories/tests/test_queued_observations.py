"""Observations sent later from the tablet's offline outbox: each once, with its photos, or a clear refusal."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import Observation, ObservationPhoto
from learning_stories.tests.test_capture import form_data
from tests.images import camera_jpeg, upload

pytestmark = pytest.mark.django_db

URL = reverse("stories:send_queued")


@pytest.fixture
def staff(login, practitioner, child, other_child):
    for kid in (child, other_child):
        consent(kid, ConsentPurpose.PHOTOS_OWN_STORY)
    return login(practitioner)


def queued(children, *, photos=2, key=None, **extra) -> dict:
    data = form_data(children, key=key, **extra)
    data["photos"] = [upload(camera_jpeg(), name=f"IMG_{n}.JPG") for n in range(photos)]
    data["photo_keys"] = [str(uuid.UUID(int=n + 1)) for n in range(photos)]
    return data


def test_a_queued_observation_arrives_with_its_photos(staff, child, practitioner):
    answer = staff.post(URL, queued([child]), headers={"X-KeyStory-Author": str(practitioner.pk)})

    observation = Observation.objects.get()
    assert answer.status_code == 200
    assert answer.json() == {
        "ok": True,
        "id": observation.pk,
        "sent": True,
        "status": "awaiting_review",
        "url": reverse("stories:observation", args=[observation.pk]),
    }
    assert observation.author == practitioner
    assert observation.photos.count() == 2
    assert list(observation.photos.get(client_key=uuid.UUID(int=1)).children.all()) == [child]


def test_sending_the_same_observation_again_answers_with_the_one_already_made(staff, child):
    key = uuid.uuid4()
    first = staff.post(URL, queued([child], key=key)).json()
    second = staff.post(URL, queued([child], key=key, text="Changed on a second try")).json()

    assert first == second
    assert Observation.objects.count() == 1
    assert ObservationPhoto.objects.count() == 2
    assert Observation.objects.get().text == "Built a tower of ten blocks."


def test_a_retry_after_a_refusal_does_not_add_the_photos_twice(staff, child, other_child):
    other_child.consents.all().delete()  # no photo consent: the observation cannot be sent with the photos
    key = uuid.uuid4()
    first = staff.post(URL, queued([child, other_child], key=key))
    second = staff.post(URL, queued([child, other_child], key=key))

    assert first.status_code == second.status_code == 422
    assert ObservationPhoto.objects.count() == 2
    draft = Observation.objects.get()
    assert draft.status == Observation.Status.DRAFT
    assert second.json()["draft_url"] == reverse("stories:edit", args=[draft.pk])
    assert "has not agreed to photos" in second.json()["errors"][0]


def test_a_child_who_has_left_meanwhile_is_a_conflict_shown_to_the_practitioner(staff, child):
    child.leave_date = timezone.localdate() - timedelta(days=30)
    child.save()

    answer = staff.post(URL, queued([child]))

    assert answer.status_code == 422
    assert "may have left the nursery" in answer.json()["errors"][0]
    assert not Observation.objects.exists()


def test_an_observation_waits_for_its_author_when_someone_else_is_signed_in(staff, child, manager):
    answer = staff.post(URL, queued([child]), headers={"X-KeyStory-Author": str(manager.pk)})

    assert answer.status_code == 409
    assert answer.json()["wrong_person"] is True
    assert not Observation.objects.exists()


def test_another_persons_key_is_not_found(staff, login, child, manager):
    key = uuid.uuid4()
    staff.post(URL, queued([child], key=key, photos=0))
    other = login(manager)

    answer = other.post(URL, queued([child], key=key, photos=0))

    assert answer.status_code == 404
    assert Observation.objects.get().author != manager


def test_a_queued_draft_is_kept_as_a_draft(staff, child):
    answer = staff.post(URL, queued([child], action="draft", photos=1)).json()

    draft = Observation.objects.get()
    assert answer["sent"] is False
    assert answer["url"] == reverse("stories:edit", args=[draft.pk])
    assert draft.status == Observation.Status.DRAFT


def test_a_refused_photo_keeps_the_rest_in_a_draft(staff, child):
    data = queued([child], photos=1)
    data["photos"].append(upload(b"not a picture", name="notes.jpg"))
    data["photo_keys"].append(str(uuid.uuid4()))

    answer = staff.post(URL, data)

    assert answer.status_code == 422
    assert answer.json()["errors"][0].startswith("notes.jpg:")
    assert Observation.objects.get().photos.count() == 1
