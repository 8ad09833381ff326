"""The register, cover and ratios worked out from real bookings, working weeks, absences and history."""

from datetime import date, time

import pytest

from children.tests.factories import BookingFactory, ChildFactory
from keyworker.days import NurseryDays
from keyworker.ratios import Cover
from keyworker.tests.factories import KeyGroupFactory, KeyPersonAssignmentFactory
from nursery.tests.factories import (
    NurserySessionFactory,
    RoomFactory,
    StaffAbsenceFactory,
    StaffMemberFactory,
    WorkingPatternFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


@pytest.fixture
def full_day(nursery):
    return NurserySessionFactory(nursery=nursery, name="Full day", starts_at=time(8), ends_at=time(18))


@pytest.fixture
def morning(nursery):
    return NurserySessionFactory(nursery=nursery, name="Morning", starts_at=time(8), ends_at=time(13))


def attends(child, session, *weekdays):
    for weekday in weekdays:
        BookingFactory(child=child, session=session, weekday=weekday)
    return child


def works(staff, session, *weekdays):
    for weekday in weekdays:
        WorkingPatternFactory(staff=staff, session=session, weekday=weekday)
    return staff


def born_months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, day.day)


def test_the_register_names_the_key_person_on_each_date_across_several_changes(nursery, room, child, full_day):
    first = child.key_person_assignments.get()
    first.ends_on = date(2026, 2, 28)
    first.save()
    cover = StaffMemberFactory(nursery=nursery, user__full_name="Carla Cover")
    settled = StaffMemberFactory(nursery=nursery, user__full_name="Sam Settled")
    KeyPersonAssignmentFactory(child=child, key_person=cover, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 8))
    KeyPersonAssignmentFactory(child=child, key_person=settled, starts_on=date(2026, 3, 9))
    attends(child, full_day, 0)
    days = NurseryDays(nursery, date(2026, 2, 23), date(2026, 3, 16))

    named = {day: [row.key_person for row in days.register(day)] for day in days.days() if day.weekday() == 0}

    assert named == {
        date(2026, 2, 23): [first.key_person],
        MONDAY: [cover],
        date(2026, 3, 9): [settled],
        date(2026, 3, 16): [settled],
    }
    row = days.register(MONDAY)[0]
    assert row.sessions == [full_day]
    assert row.hours == 10


def test_the_register_lists_only_children_booked_that_weekday_who_have_started_and_not_left(
    nursery, room, child, full_day, morning
):
    attends(child, morning, 0)
    attends(ChildFactory(nursery=nursery, room=room, start_date=date(2026, 3, 3)), full_day, 0)  # starts Tuesday
    attends(ChildFactory(nursery=nursery, room=room, leave_date=date(2026, 2, 27)), full_day, 0)  # left
    attends(ChildFactory(nursery=nursery, room=room), full_day, 1)  # Tuesdays only

    rows = NurseryDays(nursery, MONDAY).register(MONDAY)

    assert [(row.child, row.hours) for row in rows] == [(child, 5)]


def test_cover_key_person_in_buddy_covers_and_flagged(nursery, room, practitioner_post, child, full_day):
    attends(child, full_day, 0, 1, 2)
    buddy = works(StaffMemberFactory(nursery=nursery, room=room), full_day, 0, 1)
    KeyGroupFactory(key_person=practitioner_post, buddy=buddy)
    works(practitioner_post, full_day, 0, 1, 2)
    StaffAbsenceFactory(staff=practitioner_post, starts_on=TUESDAY, ends_on=date(2026, 3, 4), kind="sickness")
    days = NurseryDays(nursery, MONDAY, date(2026, 3, 4))

    assert days.register(MONDAY)[0].cover == Cover.KEY_PERSON
    tuesday = days.register(TUESDAY)[0]
    assert (tuesday.cover, tuesday.buddy) == (Cover.BUDDY, buddy)
    wednesday = days.register(date(2026, 3, 4))[0]  # key person still off, buddy does not work Wednesdays
    assert wednesday.cover == Cover.NOT_COVERED
    assert wednesday.cover.flagged


def test_a_childs_own_buddy_comes_before_the_groups(nursery, room, practitioner_post, child, full_day):
    attends(child, full_day, 0)
    KeyGroupFactory(key_person=practitioner_post, buddy=StaffMemberFactory(nursery=nursery))  # not working
    own = works(StaffMemberFactory(nursery=nursery), full_day, 0)
    spell = child.key_person_assignments.get()
    spell.buddy = own
    spell.save()

    row = NurseryDays(nursery, MONDAY).register(MONDAY)[0]

    assert (row.cover, row.buddy) == (Cover.BUDDY, own)


def test_a_child_with_no_key_person_that_day_is_flagged(nursery, room, full_day):
    attends(ChildFactory(nursery=nursery, room=room), full_day, 0)
    assert NurseryDays(nursery, MONDAY).register(MONDAY)[0].cover == Cover.NO_KEY_PERSON


def test_a_child_turning_two_changes_the_ratio_on_their_birthday(nursery, full_day):
    room = RoomFactory(nursery=nursery, min_age_months=0, max_age_months=36)
    works(StaffMemberFactory(nursery=nursery, room=room), full_day, 0, 1)
    attends(ChildFactory(nursery=nursery, room=room, date_of_birth=born_months_before(MONDAY, 12)), full_day, 0, 1)
    attends(ChildFactory(nursery=nursery, room=room, date_of_birth=date(2024, 3, 3)), full_day, 0, 1)  # 2 on Tuesday
    for _ in range(2):
        attends(ChildFactory(nursery=nursery, room=room, date_of_birth=born_months_before(MONDAY, 28)), full_day, 0, 1)
    days = NurseryDays(nursery, MONDAY, TUESDAY)

    (monday,) = days.ratios(MONDAY)
    (tuesday,) = days.ratios(TUESDAY)

    # Monday: two under two (2/3) and two aged two (2/5) = 16/15 -> 2 staff; one working.
    assert (monday.figures.under_two, monday.figures.two_year_olds) == (2, 2)
    assert (monday.figures.needed, monday.figures.shortfall) == (2, 1)
    # Tuesday: one under two (1/3) and three aged two (3/5) = 14/15 -> 1 staff.
    assert (tuesday.figures.under_two, tuesday.figures.two_year_olds) == (1, 3)
    assert (tuesday.figures.needed, tuesday.figures.shortfall) == (1, 0)
    assert days.shortfalls() == [monday]


def test_a_child_turning_three_with_a_level_six_practitioner_in(nursery, full_day):
    room = RoomFactory(nursery=nursery, min_age_months=24, max_age_months=60)
    works(StaffMemberFactory(nursery=nursery, room=room, qualification_level=6), full_day, 0, 1)
    attends(ChildFactory(nursery=nursery, room=room, date_of_birth=date(2023, 3, 3)), full_day, 0, 1)  # 3 on Tuesday
    for _ in range(12):
        attends(ChildFactory(nursery=nursery, room=room, date_of_birth=date(2022, 6, 1)), full_day, 0, 1)
    days = NurseryDays(nursery, MONDAY, TUESDAY)

    # Monday: 12/13 + 1/5 = 73/65 -> 2. Tuesday: 13/13 -> 1.
    assert [rp.figures.needed for rp in days.ratios(MONDAY)] == [2]
    assert [rp.figures.needed for rp in days.ratios(TUESDAY)] == [1]


def test_ratios_split_the_day_and_count_only_staff_in_that_room_who_are_in(nursery, full_day, morning):
    afternoon = NurserySessionFactory(nursery=nursery, name="Afternoon", starts_at=time(13), ends_at=time(18))
    babies = RoomFactory(nursery=nursery, name="Babies", min_age_months=0, max_age_months=23)
    works(StaffMemberFactory(nursery=nursery, room=babies), full_day, 0)
    away = works(StaffMemberFactory(nursery=nursery, room=babies), full_day, 0)
    StaffAbsenceFactory(staff=away, starts_on=MONDAY)
    works(StaffMemberFactory(nursery=nursery, room=babies), morning, 0)
    works(StaffMemberFactory(nursery=nursery, room=babies, is_active=False), full_day, 0)  # has left
    works(StaffMemberFactory(nursery=nursery), full_day, 0)  # no room: not counted
    for _ in range(4):
        attends(ChildFactory(nursery=nursery, room=babies, date_of_birth=born_months_before(MONDAY, 10)), full_day, 0)
    attends(ChildFactory(nursery=nursery, room=babies, date_of_birth=born_months_before(MONDAY, 10)), afternoon, 0)

    morning_figures, afternoon_figures = (rp.figures for rp in NurseryDays(nursery, MONDAY).ratios(MONDAY))

    assert (morning_figures.children, morning_figures.needed, morning_figures.working) == (4, 2, 2)
    assert (afternoon_figures.children, afternoon_figures.needed, afternoon_figures.working) == (5, 2, 1)
    assert afternoon_figures.shortfall == 1


def test_a_child_without_a_date_of_birth_is_named_in_the_ratios(nursery, room, full_day):
    works(StaffMemberFactory(nursery=nursery, room=room), full_day, 0)
    nameless_age = attends(ChildFactory(nursery=nursery, room=room, date_of_birth=None), full_day, 0)

    (rp,) = NurseryDays(nursery, MONDAY).ratios(MONDAY)

    assert rp.without_date_of_birth == [nameless_age]
    assert rp.figures.unknown_age == 1
    assert rp.figures.needed == 1
    # Unsure figures go to the manager's list even when not short.
    assert rp.figures.shortfall == 0
    assert [r.without_date_of_birth for r in NurseryDays(nursery, MONDAY).shortfalls()] == [[nameless_age]]


def test_a_member_of_staff_who_has_left_no_longer_counts_as_in(nursery, room, full_day):
    leaver = StaffMemberFactory(nursery=nursery, room=room, leaves_on=TUESDAY)
    works(leaver, full_day, 0, 1)
    child = ChildFactory(nursery=nursery, room=room, date_of_birth=date(2024, 9, 1))
    attends(child, full_day, 0, 1)
    KeyPersonAssignmentFactory(child=child, key_person=leaver)
    days = NurseryDays(nursery, MONDAY, TUESDAY)

    assert [row.cover for row in days.register(MONDAY)] == [Cover.KEY_PERSON]
    assert [row.cover for row in days.register(TUESDAY)] != [Cover.KEY_PERSON]
    assert [rp.figures.working for rp in days.ratios(TUESDAY)] == [0]
