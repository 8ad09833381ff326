"""Long lists come a page at a time, with links that keep the list's filters."""

import pytest
from django.urls import reverse
from django.utils import timezone

from children.tests.factories import ChildFactory
from learning_stories.models import Observation
from learning_stories.observations.views import REVIEW_PAGE_SIZE
from learning_stories.tests.factories import ObservationFactory
from nursery.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def test_the_review_queue_shows_a_page_of_the_oldest_entries_and_links_to_the_rest(login, manager, nursery, child):
    now = timezone.now()
    for minutes in range(REVIEW_PAGE_SIZE + 3):
        ObservationFactory(
            nursery=nursery,
            status=Observation.Status.AWAITING_REVIEW,
            submitted_at=now - timezone.timedelta(minutes=minutes),
            children=[child],
        )
    client = login(manager)
    first = client.get(reverse("stories:review_queue")).content.decode()
    assert first.count("Publish to the family") == REVIEW_PAGE_SIZE
    assert f"{REVIEW_PAGE_SIZE + 3} waiting, oldest first." in first
    assert 'aria-label="Pages of observations to check"' in first
    assert 'rel="next" href="?page=2"' in first
    second = client.get(reverse("stories:review_queue"), {"page": 2}).content.decode()
    assert second.count("Publish to the family") == 3
    assert 'rel="prev" href="?page=1"' in second


def test_a_page_number_past_the_end_shows_the_last_page_not_an_error(login, manager, nursery, child):
    ObservationFactory(nursery=nursery, status=Observation.Status.AWAITING_REVIEW, children=[child])
    page = login(manager).get(reverse("stories:review_queue"), {"page": "99"})
    assert page.status_code == 200
    assert page.content.decode().count("Publish to the family") == 1


def test_the_children_list_filters_by_room_and_its_page_links_keep_the_room(login, manager, nursery, room):
    other_room = RoomFactory(nursery=nursery, name="Rainbows")
    for _ in range(51):
        ChildFactory(nursery=nursery, room=room)
    ChildFactory(nursery=nursery, room=other_room, first_name="Otto")
    client = login(manager)

    everyone = client.get(reverse("children:list")).content.decode()
    assert 'aria-label="Pages of children"' in everyone
    assert "Page 1 of 2" in everyone
    assert f'{room.name} <span class="text-body-secondary fw-normal">(51)</span>' in everyone

    one_room = client.get(reverse("children:list"), {"room": room.pk}).content.decode()
    assert f'href="?room={room.pk}&amp;page=2"' in one_room
    second = client.get(reverse("children:list"), {"room": room.pk, "page": 2}).content.decode()
    assert second.count('class="list-group-item child-card') == 1
    assert "Otto" not in second
    assert "Otto" in client.get(reverse("children:list"), {"room": other_room.pk}).content.decode()


def test_another_nurserys_room_in_the_filter_shows_every_child_with_a_message(
    login, manager, nursery, child, other_nursery
):
    elsewhere = RoomFactory(nursery=other_nursery)
    page = login(manager).get(reverse("children:list"), {"room": elsewhere.pk}).content.decode()
    assert "That room is not one of this nursery's: all rooms are shown." in page
    assert child.first_name in page
