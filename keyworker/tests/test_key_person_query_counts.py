"""The key person pages run a fixed number of queries however many children are booked in."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from children.tests.factories import BookingFactory, ChildFactory, GuardianshipFactory
from keyworker.tests.factories import KeyGroupFactory, KeyPersonAssignmentFactory
from nursery.tests.factories import (
    NurserySessionFactory,
    StaffAbsenceFactory,
    StaffMemberFactory,
    WorkingPatternFactory,
)
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

PAGES = [
    ("manager", "keyworker:overview"),
    ("manager", "keyworker:key_groups"),
    ("practitioner", "keyworker:register"),
    ("practitioner", "keyworker:ratios"),
    ("practitioner", "keyworker:my_key_children"),
    ("parent", "keyworker:my_children"),
]


@pytest.fixture
def week(nursery, room, practitioner_post):
    session = NurserySessionFactory(nursery=nursery)
    buddy = StaffMemberFactory(nursery=nursery, room=room)
    KeyGroupFactory(key_person=practitioner_post, buddy=buddy)
    for weekday in range(5):
        WorkingPatternFactory(staff=practitioner_post, session=session, weekday=weekday)
        WorkingPatternFactory(staff=buddy, session=session, weekday=weekday)
    StaffAbsenceFactory(staff=practitioner_post)
    return session


def add_children(count, *, nursery, room, key_person, parent, session):
    for _ in range(count):
        child = ChildFactory(nursery=nursery, room=room)
        KeyPersonAssignmentFactory(child=child, key_person=key_person)
        GuardianshipFactory(child=child, user=parent)
        for weekday in range(7):
            BookingFactory(child=child, session=session, weekday=weekday)


@pytest.mark.parametrize(("role", "name"), PAGES)
def test_key_person_pages_do_not_grow_with_the_number_of_children(
    request, login, role, name, nursery, room, practitioner_post, parent, manager, week
):
    client = login(request.getfixturevalue(role))
    url = reverse(name)
    add = {"nursery": nursery, "room": room, "key_person": practitioner_post, "parent": parent, "session": week}
    add_children(2, **add)
    few = queries_for(client, url)
    add_children(15, **add)
    assert queries_for(client, url) == few


@pytest.mark.time_machine(datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/London")))  # a Monday
def test_a_buddys_key_children_page_does_not_grow_with_the_children_they_cover(
    login, nursery, room, practitioner_post, parent, week
):
    """The buddy covers the key person's group (the key person is away today): their "covering today" list is
    worked out from the children they are buddy of, in the same queries however many."""
    today = timezone.localdate()
    StaffAbsenceFactory(staff=practitioner_post, starts_on=today, ends_on=today)
    buddy = practitioner_post.key_group.buddy
    client = login(buddy.user)
    url = reverse("keyworker:my_key_children")
    add = {"nursery": nursery, "room": room, "key_person": practitioner_post, "parent": parent, "session": week}
    add_children(2, **add)
    few = queries_for(client, url)
    add_children(15, **add)
    assert queries_for(client, url) == few
    assert len(client.get(url).context["covering"]) == 17
