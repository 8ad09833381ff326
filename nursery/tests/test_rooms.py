"""Rooms: adding, changing, archiving and bringing back rooms, without leaving any age in no room."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from nursery.forms import StaffInvitationForm
from nursery.models import Room, StaffMember
from nursery.rooms import age_gap
from nursery.tests.factories import RoomFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture
def rooms(nursery):
    """Babies 0 to 23 months, Toddlers 24 to 35, Pre-school 36 to 60."""
    return {
        name: RoomFactory(nursery=nursery, name=name, min_age_months=low, max_age_months=high)
        for name, low, high in [("Babies", 0, 23), ("Toddlers", 24, 35), ("Pre-school", 36, 60)]
    }


@pytest.mark.parametrize(
    ("ranges", "gap"),
    [
        ([], None),
        ([(0, 23), (24, 35), (36, 60)], None),
        ([(24, 35), (0, 30), (30, 60)], None),  # overlapping is fine
        ([(0, 60), (10, 20)], None),
        ([(0, 23), (36, 60)], (24, 35)),
        ([(0, 23), (25, 60)], (24, 24)),
        ([(0, 23), (24, 30), (40, 60)], (31, 39)),
    ],
)
def test_age_gap_finds_the_first_ages_no_room_takes(ranges, gap):
    assert age_gap(ranges) == gap


def room_data(**changes) -> dict:
    return {"name": "Sunflowers", "min_age_months": 61, "max_age_months": 72, "capacity": 12, **changes}


def test_a_manager_adds_a_room(login, manager, nursery, rooms):
    response = login(manager).post(reverse("nursery:add_room"), room_data())
    assert response.url == reverse("nursery:rooms")
    room = Room.objects.get(name="Sunflowers")
    assert (room.nursery, room.min_age_months, room.max_age_months, room.capacity) == (nursery, 61, 72, 12)


def test_the_first_room_may_take_any_ages(login, manager, nursery):
    login(manager).post(reverse("nursery:add_room"), room_data(min_age_months=0, max_age_months=60))
    assert nursery.rooms.get().name == "Sunflowers"


def test_a_new_room_that_would_leave_an_age_in_no_room_is_refused_naming_the_ages(login, manager, rooms):
    response = login(manager).post(reverse("nursery:add_room"), room_data(min_age_months=66))
    page = response.content.decode()
    assert "No room would take children aged 61 to 65 months." in page
    assert 'value="Sunflowers"' in page, "what the manager typed is kept"
    assert not Room.objects.filter(name="Sunflowers").exists()


def test_changing_a_rooms_ages_so_that_children_of_some_age_have_no_room_is_refused(login, manager, rooms):
    toddlers = rooms["Toddlers"]
    response = login(manager).post(
        reverse("nursery:edit_room", args=[toddlers.pk]),
        room_data(name="Toddlers", min_age_months=24, max_age_months=29),
    )
    assert "No room would take children aged 30 to 35 months." in response.content.decode()
    toddlers.refresh_from_db()
    assert toddlers.max_age_months == 35


def test_a_manager_changes_a_rooms_name_and_places(login, manager, rooms):
    toddlers = rooms["Toddlers"]
    login(manager).post(
        reverse("nursery:edit_room", args=[toddlers.pk]),
        room_data(name="Ladybirds", min_age_months=20, max_age_months=40, capacity=14),
    )
    toddlers.refresh_from_db()
    assert (toddlers.name, toddlers.min_age_months, toddlers.max_age_months, toddlers.capacity) == (
        "Ladybirds",
        20,
        40,
        14,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_age_months": 40, "max_age_months": 30}, "The oldest age must be the same as the youngest age or more."),
        ({"max_age_months": 73}, "Ensure this value is less than or equal to 72."),
        ({"min_age_months": -1}, "Ensure this value is greater than or equal to 0."),
        ({"capacity": 0}, "Ensure this value is greater than or equal to 1."),
        ({"name": "  toddlers "}, "There is already a room called toddlers. Choose another name."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_room_details_are_explained_and_nothing_is_saved(login, manager, rooms, changes, message):
    response = login(manager).post(reverse("nursery:add_room"), room_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Room.objects.count() == 3


def test_a_name_used_by_an_archived_room_is_refused_with_a_way_back(login, manager, nursery, rooms):
    RoomFactory(nursery=nursery, name="Owls", min_age_months=0, max_age_months=60, archived_on=date(2025, 1, 1))
    response = login(manager).post(reverse("nursery:add_room"), room_data(name="owls"))
    assert "There is already a room called owls (archived: you can bring it back from the list)" in (
        response.content.decode()
    )


@time_machine.travel(TODAY)
def test_archiving_a_room_stops_it_being_offered_for_staff_invitations(login, manager, nursery, rooms):
    babies = rooms["Babies"]

    response = login(manager).post(reverse("nursery:archive_room", args=[babies.pk]), follow=True)

    assert "Babies archived." in response.content.decode()
    babies.refresh_from_db()
    assert babies.archived_on == TODAY
    assert babies not in StaffInvitationForm(nursery=nursery).fields["room"].queryset
    assert list(nursery.rooms.active()) == [rooms["Toddlers"], rooms["Pre-school"]]


def test_the_rooms_page_lists_archived_rooms_apart(login, manager, rooms):
    babies = rooms["Babies"]
    babies.archived_on = date(2025, 7, 18)
    babies.save()
    page = login(manager).get(reverse("nursery:rooms")).content.decode()
    assert "Archived rooms" in page
    assert "archived on 18 July 2025" in page
    assert "Use again" in page


def test_a_room_in_the_middle_of_the_ages_cannot_be_archived(login, manager, rooms):
    toddlers = rooms["Toddlers"]
    response = login(manager).post(reverse("nursery:archive_room", args=[toddlers.pk]), follow=True)
    assert "Toddlers cannot be archived: No room would take children aged 24 to 35 months." in (
        response.content.decode()
    )
    toddlers.refresh_from_db()
    assert toddlers.archived_on is None


def test_a_room_that_is_staff_members_usual_room_cannot_be_archived(login, manager, nursery, rooms):
    babies = rooms["Babies"]
    StaffMemberFactory(nursery=nursery, room=babies, user__full_name="Bea Baker")
    StaffMemberFactory(nursery=nursery, room=babies, user__full_name="Lee Leaver", leaves_on=date(2020, 1, 1))
    response = login(manager).post(reverse("nursery:archive_room", args=[babies.pk]), follow=True)
    page = response.content.decode()
    assert "Babies is still in use. Change the usual room of Bea Baker (on the Staff page)." in page
    assert "Lee Leaver" not in page, "a member of staff who has left does not keep a room in use"
    babies.refresh_from_db()
    assert babies.archived_on is None


def test_an_archived_room_can_be_used_again(login, manager, rooms):
    babies = rooms["Babies"]
    babies.archived_on = date(2025, 7, 18)
    babies.save()
    login(manager).post(reverse("nursery:restore_room", args=[babies.pk]))
    babies.refresh_from_db()
    assert babies.archived_on is None


def test_an_archived_room_whose_ages_no_longer_fit_is_not_used_again(login, manager, nursery, rooms):
    old = RoomFactory(nursery=nursery, name="Owls", min_age_months=65, max_age_months=72, archived_on=date(2025, 1, 1))
    response = login(manager).post(reverse("nursery:restore_room", args=[old.pk]), follow=True)
    assert "No room would take children aged 61 to 64 months." in response.content.decode()
    old.refresh_from_db()
    assert old.archived_on == date(2025, 1, 1)


def test_a_manager_cannot_change_another_nurserys_room(login, other_manager, rooms):
    client = login(other_manager)
    babies = rooms["Babies"]
    assert client.get(reverse("nursery:edit_room", args=[babies.pk])).status_code == 404
    assert client.post(reverse("nursery:archive_room", args=[babies.pk])).status_code == 404
    babies.refresh_from_db()
    assert babies.archived_on is None


def test_a_practitioner_cannot_change_rooms(login, practitioner, rooms):
    assert login(practitioner).post(reverse("nursery:add_room"), room_data()).status_code == 403
    assert not Room.objects.filter(name="Sunflowers").exists()
    assert StaffMember.objects.filter(user=practitioner).exists()
