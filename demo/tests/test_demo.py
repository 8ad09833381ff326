"""The demo nursery as `make run` loads it: its rooms, staff and accounts, its holes, and loading it again."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from children.day.selectors import moment
from children.models import Booking, Child
from demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from keyworker.days import NurseryDays
from keyworker.ratios import Cover
from keyworker.selectors import children_without_key_person, key_children_of, key_groups, starters_without_key_person
from nursery.models import Room, StaffAbsence, StaffMember, WorkingPattern

pytestmark = pytest.mark.django_db


def test_demo_nursery_has_three_rooms_six_staff_and_about_thirty_children():
    nursery = load_demo()
    assert Room.objects.filter(nursery=nursery).count() == 3
    assert StaffMember.objects.filter(nursery=nursery).count() == 6
    assert StaffMember.objects.filter(nursery=nursery, role="manager").count() == 1
    assert 25 <= Child.objects.filter(nursery=nursery).count() <= 35
    ages = [child.age_in_months() for child in Child.objects.all()]
    assert min(ages) >= 6
    assert max(ages) <= 54


def test_loading_the_demo_twice_changes_nothing():
    load_demo()
    counts = (User.objects.count(), Child.objects.count(), StaffMember.objects.count())
    load_demo()
    assert (User.objects.count(), Child.objects.count(), StaffMember.objects.count()) == counts


def test_every_demo_account_logs_in_with_the_printed_password(client, capsys):
    call_command("load_demo")
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    for account in DEMO_ACCOUNTS:
        assert account.email in printed
        assert User.objects.get(email=account.email).check_password(DEMO_PASSWORD)


def test_load_demo_refuses_to_run_outside_demo_mode_and_creates_no_account(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only runs in demo mode"):
        call_command("load_demo")
    assert not User.objects.exists()
    assert not Child.objects.exists()


def test_demo_has_a_practitioner_with_key_children_and_parents_of_two_and_of_one():
    load_demo()
    priya = User.objects.get(email="priya@rainbow.example")
    assert key_children_of(priya).exists()
    assert User.objects.get(email="sam.taylor@families.example").guardianships.count() == 2
    assert User.objects.get(email="jess.ahmed@families.example").guardianships.count() == 1
    manager = User.objects.get(email="manager@rainbow.example")
    assert [child.first_name for child in children_without_key_person(manager)] == ["Nell"]  # the demo starter


def test_demo_gives_every_child_sessions_and_every_member_of_staff_a_working_week():
    nursery = load_demo()
    assert not Child.objects.filter(nursery=nursery, bookings__isnull=True).exists()
    assert not StaffMember.objects.filter(nursery=nursery, working_pattern__isnull=True).exists()
    assert [s.name for s in nursery.sessions.all()] == ["Morning", "Full day", "Afternoon"]


@pytest.mark.parametrize(
    "today", [date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 28)], ids=["Monday", "Friday", "Saturday"]
)
def test_demo_shows_each_hole_the_dashboard_exists_for(today):
    nursery = load_demo(today)
    manager = User.objects.get(email="manager@rainbow.example")
    days = NurseryDays(nursery, today, today + timedelta(days=6))

    starters = starters_without_key_person(manager, today)
    assert [(c.first_name, c.start_date) for c in starters] == [("Nell", today + timedelta(days=6))]
    over = [group.user.email for group in key_groups(nursery, today) if group.over_limit]
    assert over == ["priya@rainbow.example"]
    cover = {row.cover for row in days.register(days.first_open_day())}
    assert cover == {Cover.KEY_PERSON, Cover.BUDDY}  # Ben is off sick, Leah covers his key children
    short = {(rp.day, rp.room.name) for rp in days.shortfalls()}
    assert len(short) == 1
    ((short_day, room),) = short
    assert room == "Rainbows"
    assert short_day > days.first_open_day()  # Leah's training day


def test_loading_the_demo_on_another_day_moves_its_holes_without_adding_records():
    with time_machine.travel(moment(date(2026, 11, 23), time(10))):  # children still in, on the first day
        load_demo(date(2026, 11, 23))
    counts = (Booking.objects.count(), WorkingPattern.objects.count(), StaffAbsence.objects.count())
    with time_machine.travel(moment(date(2026, 12, 7), time(23, 30))):
        load_demo(date(2026, 12, 7))
    assert (Booking.objects.count(), WorkingPattern.objects.count(), StaffAbsence.objects.count()) == counts
    assert sorted(StaffAbsence.objects.values_list("starts_on", flat=True)) == [date(2026, 12, 7), date(2026, 12, 8)]


def test_some_demo_staff_have_a_drawn_photo_and_loading_again_keeps_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    with_photo = StaffMember.objects.exclude(photo="")
    names = {member.photo.name for member in with_photo}

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    assert with_photo.count() == 3
    assert {member.photo.name for member in StaffMember.objects.exclude(photo="")} == names
    assert all(member.photo_thumbnail for member in with_photo)


def test_the_demo_manager_owns_the_demo_group_and_reaches_its_overview(login):
    nursery = load_demo()
    load_demo()
    assert nursery.group.name == "Rainbow Group"
    maya = User.objects.get(email="manager@rainbow.example")
    assert list(nursery.group.owners.all()) == [maya]
    page = login(maya).get(reverse("keyworker:group_overview", args=[nursery.group_id]))
    assert page.status_code == 200
    assert "Rainbow Nursery" in page.content.decode()
