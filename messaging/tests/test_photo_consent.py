"""Photos in messages follow the same consent rules as story photos: staff say who is in a photo, a photo with a
child whose family has not agreed is refused, and a photo the family may no longer see is withheld."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from children.models import ConsentPurpose
from children.tests.factories import ChildFactory, consent
from core.images import process_upload
from messaging import services
from messaging.models import Message
from tests.images import camera_jpeg, upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Europe/London"))),
]

OWN, OTHERS = ConsentPurpose.PHOTOS_OWN_STORY, ConsentPurpose.PHOTOS_OTHERS_STORIES


def url(child) -> str:
    return reverse("messaging:conversation", args=[child.pk])


def photo_url(message: Message) -> str:
    return reverse("messaging:photo", args=[message.pk])


def send_photo(client, child, text: str = "Look at this tower!", others=()):
    data = {"text": text, "photo": upload(camera_jpeg())}
    if others:
        data["others_in_photo"] = [other.pk for other in others]
    return client.post(url(child), data)


def test_the_key_person_cannot_send_a_photo_of_a_child_without_photo_consent(login, child, practitioner):
    response = send_photo(login(practitioner), child)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ava&#x27;s family has not agreed to photos of Ava" in page
    assert "Look at this tower!" in page  # what was typed is kept
    assert not Message.objects.exists()


def test_a_photo_showing_another_child_without_consent_is_refused(
    login, child, other_child, other_parent, practitioner
):
    consent(child, OWN)
    consent(other_child, OWN)  # agreed to their own story only, not to appearing in others'
    response = send_photo(login(practitioner), child, others=[other_child])
    page = response.content.decode()
    assert response.status_code == 400
    assert "Zara is in the photo, and Zara&#x27;s family has not agreed" in page
    assert other_parent.full_name not in page  # the reason names the child, never their family
    assert "Look at this tower!" in page
    assert not Message.objects.exists()


def test_a_photo_with_consent_is_sent_and_only_the_family_sees_it(
    login, child, other_child, parent, other_parent, practitioner
):
    consent(child, OWN)
    consent(other_child, OWN)
    consent(other_child, OTHERS)
    assert send_photo(login(practitioner), child, others=[other_child]).status_code == 302
    message = Message.objects.get()
    assert set(message.children_in_photo.all()) == {child, other_child}
    page = login(parent).get(url(child)).content.decode()
    assert reverse("messaging:photo_thumbnail", args=[message.pk]) in page
    assert login(parent).get(photo_url(message)).status_code == 200
    assert login(other_parent).get(photo_url(message)).status_code == 404  # Zara's family: not their conversation


def test_the_choice_of_who_else_is_in_the_photo_offers_other_children_of_the_nursery(
    login, child, other_child, practitioner, other_nursery
):
    elsewhere = ChildFactory(nursery=other_nursery, first_name="Olly")
    page = login(practitioner).get(url(child)).content.decode()
    assert "Who else is in the photo?" in page
    assert "Tick nobody if only Ava is in it" in page
    assert "Zara Ahmed (no consent to appear in others&#x27; photos)" in page
    assert elsewhere.first_name not in page
    response = send_photo(login(practitioner), child, others=[elsewhere])
    assert response.status_code == 400  # not one of the choices
    assert not Message.objects.exists()


@pytest.mark.parametrize("withdrawn", ["own child", "other child"])
def test_when_consent_is_withdrawn_the_family_no_longer_sees_the_photo(
    login, child, other_child, parent, practitioner, withdrawn
):
    consent(child, OWN)
    consent(other_child, OWN)
    consent(other_child, OTHERS)
    send_photo(login(practitioner), child, others=[other_child])
    message = Message.objects.get()
    if withdrawn == "own child":
        consent(child, OWN, granted=False)
    else:
        consent(other_child, OTHERS, granted=False)
    page = login(parent).get(url(child)).content.decode()
    assert "Photo removed because of a change in consent." in page
    assert reverse("messaging:photo_thumbnail", args=[message.pk]) not in page
    assert "Look at this tower!" in page  # the words stay
    assert login(parent).get(photo_url(message)).status_code == 404
    assert login(parent).get(reverse("messaging:photo_thumbnail", args=[message.pk])).status_code == 404
    staff_page = login(practitioner).get(url(child)).content.decode()
    assert "The family no longer sees this photo" in staff_page
    assert login(practitioner).get(photo_url(message)).status_code == 200


def test_a_familys_photo_of_their_own_child_needs_no_consent_check(login, child, parent, practitioner):
    assert send_photo(login(parent), child, text="Our holiday").status_code == 302  # no photo consent recorded
    message = Message.objects.get()
    assert list(message.children_in_photo.all()) == [child]
    assert login(parent).get(photo_url(message)).status_code == 200
    assert login(practitioner).get(photo_url(message)).status_code == 200


def test_a_family_cannot_say_other_children_are_in_their_photo(login, child, other_child, parent):
    page = login(parent).get(url(child)).content.decode()
    assert "Who else is in the photo?" not in page
    assert send_photo(login(parent), child, others=[other_child]).status_code == 302  # the choice is not theirs
    assert list(Message.objects.get().children_in_photo.all()) == [child]


def test_the_service_refuses_a_family_naming_other_children_in_a_photo(child, other_child, parent):
    with pytest.raises(ValidationError, match="other children cannot be named"):
        services.send_message(
            child=child,
            by=parent,
            as_family=True,
            text="",
            photo=process_upload(upload(camera_jpeg())),
            others_in_photo=[other_child],
        )
    assert not Message.objects.exists()
