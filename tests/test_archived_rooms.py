"""An archived room: no longer offered where a new choice is made, while everything that names it still works."""

from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from children.forms import ChildForm
from children.tests.factories import ChildFactory
from keyworker.days import NurseryDays
from nursery.rooms import archive_room
from nursery.tests.factories import NurserySessionFactory, RoomFactory, StaffMemberFactory
from transitions.models import TransitionPlan
from transitions.plans.forms import PlanForm
from transitions.plans.selectors import suggested_room
from transitions.tests.factories import TransitionPlanFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture
def rooms(nursery):
    return {
        name: RoomFactory(nursery=nursery, name=name, min_age_months=low, max_age_months=high)
        for name, low, high in [("Babies", 0, 23), ("Toddlers", 24, 35), ("Pre-school", 36, 60)]
    }


@time_machine.travel(TODAY)
def test_a_room_with_children_on_roll_or_starting_cannot_be_archived_and_says_whom_to_move(
    login, manager, nursery, rooms
):
    babies = rooms["Babies"]
    ChildFactory(nursery=nursery, room=babies, first_name="Ava", last_name="Taylor", start_date=date(2025, 9, 1))
    ChildFactory(nursery=nursery, room=babies, first_name="Ben", last_name="Ng", start_date=date(2026, 4, 1))
    ChildFactory(
        nursery=nursery, room=babies, first_name="Cal", last_name="Old", start_date=date(2024, 9, 1), leave_date=TODAY
    )
    ChildFactory(
        nursery=nursery,
        room=babies,
        first_name="Dee",
        last_name="Gone",
        start_date=date(2024, 9, 1),
        leave_date=date(2026, 3, 9),
    )

    response = login(manager).post(reverse("nursery:archive_room", args=[babies.pk]), follow=True)

    page = response.content.decode()
    assert "Babies is still in use. Move Ava Taylor, Ben Ng, Cal Old to another room first." in page
    assert "Dee Gone" not in page, "a child who has left does not keep the room in use"
    babies.refresh_from_db()
    assert babies.archived_on is None


@pytest.fixture
def archived(nursery, rooms):
    """Babies, archived on TODAY; Dee left it last year and stays in it on her record."""
    babies = rooms["Babies"]
    dee = ChildFactory(
        nursery=nursery,
        room=babies,
        first_name="Dee",
        last_name="Gone",
        date_of_birth=date(2023, 1, 5),
        start_date=date(2023, 9, 1),
        leave_date=date(2025, 7, 18),
    )
    with time_machine.travel(TODAY):
        archive_room(room=babies)
    return babies, dee


@time_machine.travel(TODAY)
def test_an_archived_room_is_not_offered_for_a_new_child(nursery, archived):
    babies, _ = archived
    assert babies not in ChildForm(nursery=nursery).fields["room"].queryset


@time_machine.travel(TODAY)
def test_a_child_who_was_in_an_archived_room_keeps_it_on_their_record(login, manager, nursery, archived):
    babies, dee = archived
    assert babies in ChildForm(nursery=nursery, instance=dee).fields["room"].queryset
    page = login(manager).get(reverse("children:detail", args=[dee.pk])).content.decode()
    assert "Babies" in page


@time_machine.travel(TODAY)
def test_an_archived_rooms_register_still_opens(login, manager, archived):
    babies, _ = archived
    response = login(manager).get(reverse("children:room_register", args=[babies.pk]))
    assert response.status_code == 200


@time_machine.travel(TODAY)
def test_an_archived_room_is_not_offered_for_a_room_move(nursery, archived, rooms):
    babies, _ = archived
    young = ChildFactory(nursery=nursery, room=rooms["Toddlers"], date_of_birth=date(2025, 1, 1))
    assert babies not in PlanForm(nursery=nursery).fields["to_room"].queryset
    assert suggested_room(young, TODAY) != babies


@time_machine.travel(TODAY)
def test_ratios_leave_out_an_archived_room_from_its_archiving_day(nursery, rooms):
    babies = rooms["Babies"]
    session = NurserySessionFactory(nursery=nursery, starts_at=time(8), ends_at=time(18))
    worker = StaffMemberFactory(nursery=nursery, room=babies)
    worker.working_pattern.create(session=session, weekday=TODAY.weekday())
    worker.working_pattern.create(session=session, weekday=TODAY.weekday() - 1)
    yesterday = date(2026, 3, 9)
    assert [period.room for period in NurseryDays(nursery, yesterday).ratios(yesterday)] == [babies]

    worker.room = None
    worker.save()
    archive_room(room=babies)
    worker.room = babies  # a record made before, still naming the room
    worker.save()

    assert NurseryDays(nursery, TODAY).ratios(TODAY) == []
    days = NurseryDays(nursery, yesterday, TODAY)
    assert [period.room for period in days.ratios(yesterday)] == [babies], "the days before keep their figures"
    assert days.ratios(TODAY) == []


@time_machine.travel(TODAY)
def test_a_room_children_are_planned_to_move_into_cannot_be_archived_until_the_plan_changes(
    login, manager, nursery, rooms
):
    pre_school = rooms["Pre-school"]
    rooms["Toddlers"].max_age_months = 60  # Toddlers alone would still take every age
    rooms["Toddlers"].save()
    toddler = ChildFactory(nursery=nursery, room=rooms["Toddlers"], first_name="Leo", last_name="Taylor")
    plan = TransitionPlanFactory(child=toddler, to_room=pre_school, planned_on=date(2026, 4, 20))
    client = login(manager)

    page = client.post(reverse("nursery:archive_room", args=[pre_school.pk]), follow=True).content.decode()

    assert (
        "Pre-school is still in use. Leo Taylor (on 20 April 2026) is planned to move into it: "
        "change or cancel the plan first." in page
    )
    pre_school.refresh_from_db()
    assert pre_school.archived_on is None

    plan.status = TransitionPlan.Status.CANCELLED
    plan.save()
    client.post(reverse("nursery:archive_room", args=[pre_school.pk]))
    pre_school.refresh_from_db()
    assert pre_school.archived_on == TODAY


@time_machine.travel(TODAY)
def test_pages_that_name_an_archived_room_keep_working(login, manager, nursery, archived, rooms):
    """Room feedback, a past register, the tracker by room, and a completed room move out of it."""
    babies, dee = archived
    moved = ChildFactory(nursery=nursery, room=rooms["Toddlers"], first_name="Mo", last_name="Moved")
    plan = TransitionPlanFactory(
        child=moved,
        from_room=babies,
        to_room=rooms["Toddlers"],
        planned_on=date(2026, 1, 5),
        status=TransitionPlan.Status.COMPLETED,
    )
    client = login(manager)

    assert client.get(reverse("keyworker:room_feedback", args=[babies.pk])).status_code == 200
    register = client.get(reverse("keyworker:register"), {"day": "2025-06-02"})
    assert register.status_code == 200
    assert client.get(reverse("keyworker:tracker"), {"scope": f"room-{babies.pk}"}).status_code == 200
    move = client.get(reverse("transitions:plan", args=[plan.pk]))
    assert move.status_code == 200
    assert "Babies" in move.content.decode()
    child_page = client.get(reverse("children:detail", args=[dee.pk]))
    assert child_page.status_code == 200


@time_machine.travel(TODAY)
def test_narrowing_a_rooms_ages_so_that_a_child_on_roll_is_in_no_room_is_refused_naming_them(
    login, manager, nursery, rooms
):
    pre_school = rooms["Pre-school"]
    ChildFactory(nursery=nursery, room=pre_school, first_name="Zed", last_name="Old", date_of_birth=date(2022, 1, 5))
    data = {"name": "Pre-school", "min_age_months": 36, "max_age_months": 47, "capacity": 16}

    response = login(manager).post(reverse("nursery:edit_room", args=[pre_school.pk]), data)

    page = response.content.decode()
    assert "Zed Old (50 months) would then be in no room&#x27;s age range." in page
    assert 'value="47"' in page, "what the manager typed is kept"
    pre_school.refresh_from_db()
    assert pre_school.max_age_months == 60
    data["max_age_months"] = 52
    assert login(manager).post(reverse("nursery:edit_room", args=[pre_school.pk]), data).status_code == 302
