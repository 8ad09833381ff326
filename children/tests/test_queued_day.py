"""Care-log taps and sign-ins made with no connection, sent later from the tablet: each recorded once."""

import uuid
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.day import services
from children.day.models import Attendance, CareEntry
from children.day.selectors import moment
from core.models import ClientRequest

NOW = moment(date(2026, 3, 4), time(10, 30))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


def outbox_headers(user) -> dict:
    return {"X-KeyStory-Outbox": "1", "X-KeyStory-Author": str(user.pk)}


@pytest.fixture
def here(child, practitioner):
    services.sign_in(child=child, by=practitioner, at=timezone.now() - timedelta(hours=1))
    return child


def queued_tap(client, user, room, key, **data):
    data = {"client_key": str(key), "at": "2026-03-04T10:15", "note": "", **data}
    return client.post(reverse("children:room_care", args=[room.pk]), data, headers=outbox_headers(user))


def test_a_queued_care_tap_is_recorded_at_the_time_it_was_made(login, practitioner, room, here):
    answer = queued_tap(login(practitioner), practitioner, room, uuid.uuid4(), child=[here.pk], action="nappy:wet")

    assert answer.status_code == 200
    assert answer.json()["ok"] is True
    entry = CareEntry.objects.get()
    assert timezone.localtime(entry.at).time() == time(10, 15)
    assert entry.by == practitioner


def test_a_care_tap_sent_twice_is_recorded_once(login, practitioner, room, here):
    client, key = login(practitioner), uuid.uuid4()
    first = queued_tap(client, practitioner, room, key, child=[here.pk], action="nappy:wet")
    second = queued_tap(client, practitioner, room, key, child=[here.pk], action="nappy:wet")

    assert first.json()["done"] == second.json()["done"]
    assert second.json()["again"] is True
    assert CareEntry.objects.count() == 1


def test_a_refused_tap_records_nothing_and_says_why(login, practitioner, room, child):
    key = uuid.uuid4()
    answer = queued_tap(login(practitioner), practitioner, room, key, child=[child.pk], action="nappy:wet")

    assert answer.status_code == 422
    assert answer.json()["errors"]
    assert not CareEntry.objects.exists()
    assert not ClientRequest.objects.filter(key=key).exists()  # a retry after signing the child in may work


def test_a_tap_waits_for_its_author_when_someone_else_is_signed_in(login, practitioner, manager, room, here):
    answer = queued_tap(login(manager), practitioner, room, uuid.uuid4(), child=[here.pk], action="nappy:wet")

    assert answer.status_code == 409
    assert answer.json()["wrong_person"] is True
    assert not CareEntry.objects.exists()


def queued_sign_in(client, user, child, key, at="2026-03-04T09:05"):
    url = reverse("children:sign_in", args=[child.pk])
    return client.post(url, {"client_key": str(key), "at": at}, headers=outbox_headers(user))


def test_a_sign_in_sent_twice_signs_the_child_in_once(login, practitioner, child):
    client, key = login(practitioner), uuid.uuid4()
    first = queued_sign_in(client, practitioner, child, key)
    second = queued_sign_in(client, practitioner, child, key)

    assert first.status_code == second.status_code == 200
    assert first.json()["done"] == f"{child.known_as} signed in at 09:05."
    assert Attendance.objects.get().signed_in_by == practitioner


def test_a_child_signed_in_meanwhile_by_someone_else_is_a_conflict_to_show(login, practitioner, manager, child):
    services.sign_in(child=child, by=manager, at=timezone.now() - timedelta(hours=1))

    answer = queued_sign_in(login(practitioner), practitioner, child, uuid.uuid4())

    assert answer.status_code == 422
    assert "has been signed in since" in answer.json()["errors"][0]
    assert Attendance.objects.count() == 1


def test_a_child_who_has_left_cannot_be_signed_in_from_the_queue(login, practitioner, child):
    child.leave_date = timezone.localdate() - timedelta(days=30)
    child.save()

    answer = queued_sign_in(login(practitioner), practitioner, child, uuid.uuid4())

    assert answer.status_code == 422
    assert "may have left" in answer.json()["errors"][0]


def test_signing_out_is_never_queued(login, practitioner, here):
    url = reverse("children:sign_out", args=[here.pk])
    answer = login(practitioner).post(url, {"client_key": str(uuid.uuid4())}, headers=outbox_headers(practitioner))

    assert answer.status_code == 422
    assert Attendance.objects.get().signed_out_at is None


def test_a_tap_made_on_friday_and_sent_on_monday_is_refused_not_recorded_on_monday(
    login, practitioner, room, here, time_machine
):
    # NOW is a Wednesday; the tap was made the Friday before and only reaches KeyStory now.
    key = uuid.uuid4()
    answer = queued_tap(
        login(practitioner), practitioner, room, key, child=[here.pk], action="nappy:wet", at="2026-02-27T15:40"
    )

    assert answer.status_code == 422
    assert "saved on the tablet on Friday 27 February" in answer.json()["errors"][0]
    assert not CareEntry.objects.exists()
    assert not ClientRequest.objects.filter(key=key).exists()


def test_a_sign_in_from_an_earlier_day_is_refused_with_the_reason(login, practitioner, child):
    answer = queued_sign_in(login(practitioner), practitioner, child, uuid.uuid4(), at="2026-03-03T09:05")

    assert answer.status_code == 422
    assert "Tuesday 3 March" in answer.json()["errors"][0]
    assert not Attendance.objects.exists()


def test_a_tap_with_a_time_later_than_now_is_refused(login, practitioner, room, here):
    answer = queued_tap(
        login(practitioner),
        practitioner,
        room,
        uuid.uuid4(),
        child=[here.pk],
        action="nappy:wet",
        at="2026-03-04T11:30",
    )

    assert answer.status_code == 422
    assert "later than now (11:30)" in answer.json()["errors"][0]
    assert not CareEntry.objects.exists()


def test_a_tap_made_late_in_the_evening_is_recorded_on_its_own_day(login, practitioner, room, here, time_machine):
    time_machine.move_to(moment(date(2026, 3, 4), time(23, 58)))
    answer = queued_tap(
        login(practitioner),
        practitioner,
        room,
        uuid.uuid4(),
        child=[here.pk],
        action="nappy:wet",
        at="2026-03-04T23:50",
    )

    assert answer.status_code == 200
    assert timezone.localtime(CareEntry.objects.get().at).date() == date(2026, 3, 4)


def test_a_tap_queued_with_only_a_time_by_an_older_page_is_taken_as_today(login, practitioner, room, here):
    answer = queued_tap(
        login(practitioner), practitioner, room, uuid.uuid4(), child=[here.pk], action="nappy:wet", at="10:15"
    )

    assert answer.status_code == 200
    assert timezone.localtime(CareEntry.objects.get().at) == moment(date(2026, 3, 4), time(10, 15))


def test_a_queued_short_sleep_asks_first_and_is_saved_when_sent_with_the_confirmation(login, practitioner, room, here):
    services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=2))
    client, key = login(practitioner), uuid.uuid4()

    asked = queued_tap(client, practitioner, room, key, child=[here.pk], action="sleep:end", at="2026-03-04T10:30")
    assert asked.status_code == 422
    assert asked.json()["confirm"] == {"name": "confirm", "value": "short-sleep"}
    assert CareEntry.objects.get().ends_at is None

    confirmed = queued_tap(
        client,
        practitioner,
        room,
        key,
        child=[here.pk],
        action="sleep:end",
        at="2026-03-04T10:30",
        confirm="short-sleep",
    )
    assert confirmed.status_code == 200
    assert CareEntry.objects.get().ends_at is not None
