"""The care log's safety nets: a sleep of a few minutes is confirmed first, and the last tap can be undone."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from children.day import services
from children.day.models import CareEntry, SleepCheck
from children.day.selectors import moment
from children.tests.factories import ChildFactory
from nursery.tests.factories import StaffMemberFactory

# Half past ten on a Wednesday: "an hour ago" is today whatever the real hour.
NOW = moment(date(2026, 3, 4), time(10, 30))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def here(child, practitioner):
    services.sign_in(child=child, by=practitioner, at=timezone.now() - timedelta(hours=1))
    return child


@pytest.fixture
def asleep_a_minute(here, practitioner):
    [sleep] = services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=1))
    return sleep


def tap(client, room, **data):
    return client.post(reverse("children:room_care", args=[room.pk]), data, headers=HTMX)


def test_waking_up_a_minute_after_falling_asleep_asks_first_and_saves_nothing(
    login, practitioner, room, here, asleep_a_minute
):
    response = tap(login(practitioner), room, child=[here.pk], action="sleep:end", at="10:30", note="")
    page = response.content.decode()
    assert "Asleep for under 5 minutes?" in page
    assert "Yes, woke up" in page
    # The question carries what was chosen, so confirming records exactly that.
    assert f'name="child" value="{here.pk}" form="care-confirm"' in page
    assert 'name="at" value="10:30" form="care-confirm"' in page
    # The typed note and time stay in the form: they are not swapped out.
    assert 'id="care-note"' not in page
    asleep_a_minute.refresh_from_db()
    assert asleep_a_minute.ends_at is None


def test_a_confirmed_short_sleep_is_recorded(login, practitioner, room, here, asleep_a_minute):
    response = tap(login(practitioner), room, child=[here.pk], action="sleep:end", confirm="short-sleep")
    assert "Woke up: Ava" in response.content.decode()
    asleep_a_minute.refresh_from_db()
    assert asleep_a_minute.sleep_minutes == 1


def test_a_sleep_of_five_minutes_or_more_is_recorded_without_a_question(login, practitioner, room, here):
    [sleep] = services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=5))
    response = tap(login(practitioner), room, child=[here.pk], action="sleep:end")
    assert "Asleep for under" not in response.content.decode()
    sleep.refresh_from_db()
    assert sleep.sleep_minutes == 5


def test_the_question_is_asked_without_javascript_too_and_keeps_the_form(
    login, practitioner, room, here, asleep_a_minute
):
    response = login(practitioner).post(
        reverse("children:room_care", args=[room.pk]),
        {"child": [here.pk], "action": "sleep:end", "note": "grizzly", "at": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Asleep for under 5 minutes?" in page
    assert 'value="grizzly"' in page
    assert 'id="care-confirm"' in page


def test_each_tap_offers_undo_for_what_it_saved(login, practitioner, room, here):
    page = tap(login(practitioner), room, child=[here.pk], action="nappy:wet").content.decode()
    entry = CareEntry.objects.get()
    assert 'name="undo" value="entries" form="care-undo"' in page
    assert f'name="item" value="{entry.pk}" form="care-undo"' in page


def test_undo_takes_back_the_entries_of_the_last_tap_and_the_history_says_so(login, practitioner, room, here, nursery):
    other = ChildFactory(nursery=nursery, room=room, first_name="Leo")
    services.sign_in(child=other, by=practitioner, at=timezone.now() - timedelta(minutes=30))
    client = login(practitioner)
    tap(client, room, child=[here.pk, other.pk], action="meal:all", meal="lunch")
    ids = list(CareEntry.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("children:room_care_undo", args=[room.pk]), {"undo": "entries", "item": ids}, headers=HTMX
    )
    assert "Taken back: Lunch: all for Ava and Leo." in response.content.decode()
    assert not CareEntry.objects.exists()
    assert here.audit_events.filter(what="Care log removed: Lunch: all", actor=practitioner).exists()


def test_undoing_woke_up_puts_the_child_back_to_sleep(login, practitioner, room, here):
    [sleep] = services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=40))
    client = login(practitioner)
    tap(client, room, child=[here.pk], action="sleep:end")
    sleep.refresh_from_db()
    assert sleep.ends_at is not None
    response = client.post(
        reverse("children:room_care_undo", args=[room.pk]), {"undo": "wake", "item": [sleep.pk]}, headers=HTMX
    )
    assert "Taken back: Ava still asleep." in response.content.decode()
    sleep.refresh_from_db()
    assert sleep.ends_at is None


def test_undoing_a_sleep_check_removes_only_that_check(login, practitioner, room, here):
    services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=30))
    [earlier] = services.check_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=20))
    client = login(practitioner)
    page = tap(client, room, child=[here.pk], action="sleep:check").content.decode()
    latest = SleepCheck.objects.latest("at")
    assert 'name="undo" value="checks" form="care-undo"' in page
    client.post(reverse("children:room_care_undo", args=[room.pk]), {"undo": "checks", "item": [latest.pk]})
    assert list(SleepCheck.objects.all()) == [earlier]


def test_undo_is_refused_once_the_moment_has_passed(login, practitioner, room, here):
    client = login(practitioner)
    tap(client, room, child=[here.pk], action="nappy:dry")
    entry = CareEntry.objects.get()
    with time_machine.travel(NOW + timedelta(minutes=5)):
        response = client.post(
            reverse("children:room_care_undo", args=[room.pk]), {"undo": "entries", "item": [entry.pk]}, headers=HTMX
        )
    assert "Too late to undo" in response.content.decode()
    assert CareEntry.objects.filter(pk=entry.pk).exists()


def test_undo_cannot_reach_another_nurserys_entries(login, practitioner, room, here):
    stranger = ChildFactory()
    entry = CareEntry.objects.create(child=stranger, kind="nappy", condition="wet", day=NOW.date(), at=NOW)
    response = login(practitioner).post(
        reverse("children:room_care_undo", args=[room.pk]), {"undo": "entries", "item": [entry.pk]}, headers=HTMX
    )
    assert "Nothing to undo" in response.content.decode()
    assert CareEntry.objects.filter(pk=entry.pk).exists()


@pytest.fixture
def colleague(nursery, room):
    return StaffMemberFactory(nursery=nursery, room=room, user__full_name="Leah Colleague").user


def test_a_sleep_check_typed_for_earlier_can_be_undone_just_after_the_tap(login, practitioner, room, here):
    """Undo counts from when the check was tapped, not from the time typed for it."""
    services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=30))
    client = login(practitioner)
    tap(client, room, child=[here.pk], action="sleep:check", at="10:20")
    check = SleepCheck.objects.get()
    response = client.post(
        reverse("children:room_care_undo", args=[room.pk]), {"undo": "checks", "item": [check.pk]}, headers=HTMX
    )
    assert "Taken back: sleep check for Ava." in response.content.decode()
    assert not SleepCheck.objects.exists()


@pytest.mark.parametrize("kind", ["checks", "wake"])
def test_undo_of_a_sleep_tap_is_refused_once_the_moment_has_passed(login, practitioner, room, here, kind):
    services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=40))
    client = login(practitioner)
    tap(client, room, child=[here.pk], action="sleep:check" if kind == "checks" else "sleep:end")
    item = SleepCheck.objects.get().pk if kind == "checks" else CareEntry.objects.get().pk
    with time_machine.travel(NOW + timedelta(minutes=5)):
        response = client.post(
            reverse("children:room_care_undo", args=[room.pk]), {"undo": kind, "item": [item]}, headers=HTMX
        )
    assert "Too late to undo" in response.content.decode()
    still = SleepCheck.objects.exists() if kind == "checks" else CareEntry.objects.get().ends_at is not None
    assert still


@pytest.mark.parametrize("kind", ["entries", "wake", "checks"])
def test_a_colleagues_tap_cannot_be_undone_by_me(login, practitioner, colleague, room, here, kind):
    services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=40))
    action = {"entries": "nappy:wet", "wake": "sleep:end", "checks": "sleep:check"}[kind]
    tap(login(colleague), room, child=[here.pk], action=action)
    item = {
        "entries": lambda: CareEntry.objects.get(kind="nappy").pk,
        "wake": lambda: CareEntry.objects.get(kind="sleep").pk,
        "checks": lambda: SleepCheck.objects.get().pk,
    }[kind]()
    before = (CareEntry.objects.count(), SleepCheck.objects.count(), CareEntry.objects.get(kind="sleep").ends_at)
    response = login(practitioner).post(
        reverse("children:room_care_undo", args=[room.pk]), {"undo": kind, "item": [item]}, headers=HTMX
    )
    assert "Nothing to undo" in response.content.decode()
    after = (CareEntry.objects.count(), SleepCheck.objects.count(), CareEntry.objects.get(kind="sleep").ends_at)
    assert after == before
