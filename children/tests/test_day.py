"""The day at nursery: who attended which session, the care log's rules and accident reports."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from children.day import selectors, services
from children.day.models import Attendance, CareEntry, Condition, Meal
from children.day.selectors import moment, sessions_attended
from children.models import ChildAuditEvent
from children.tests.factories import AttendanceFactory, BookingFactory, ChildFactory, IncidentFactory
from nursery.tests.factories import NurserySessionFactory

MONDAY = date(2026, 3, 2)

# The day's rules refuse times in the future and the room screen takes times of day ("10:25"), so these tests
# run at half past ten on a Wednesday: "an hour ago" and "in an hour" are then today, whatever the real hour.
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(MONDAY + timedelta(days=2), time(10, 30)))]


@pytest.fixture
def sessions(nursery):
    return {
        name: NurserySessionFactory(nursery=nursery, name=name, starts_at=time(starts), ends_at=time(ends))
        for name, starts, ends in [("Morning", 8, 13), ("Afternoon", 13, 18), ("Full day", 8, 18)]
    }


def stay(child, start: time, end: time | None = None, day: date = MONDAY) -> Attendance:
    return AttendanceFactory(
        child=child, day=day, signed_in_at=moment(day, start), signed_out_at=moment(day, end) if end else None
    )


def attended(child, day: date = MONDAY, now=None) -> list[str]:
    found = sessions_attended(type(child).objects.filter(pk=child.pk), day, now=now or moment(day, time(23)))
    return [session.name for session in found.get(child.pk, [])]


# --- The attendance rule -----------------------------------------------------------------------


def test_a_child_booked_for_the_morning_and_in_for_it_attended_the_morning(child, sessions):
    BookingFactory(child=child, session=sessions["Morning"], weekday=MONDAY.weekday())
    stay(child, time(8, 5), time(12, 55))
    assert attended(child) == ["Morning"]


def test_a_full_day_booking_gives_one_session_not_morning_and_afternoon_as_well(child, sessions):
    BookingFactory(child=child, session=sessions["Full day"], weekday=MONDAY.weekday())
    stay(child, time(8), time(17, 30))
    assert attended(child) == ["Full day"]


def test_a_child_booked_for_both_halves_attended_both(child, sessions):
    BookingFactory(child=child, session=sessions["Morning"], weekday=MONDAY.weekday())
    BookingFactory(child=child, session=sessions["Afternoon"], weekday=MONDAY.weekday())
    stay(child, time(8), time(17))
    assert attended(child) == ["Morning", "Afternoon"]


def test_a_booked_child_who_was_not_signed_in_attended_nothing(child, sessions):
    BookingFactory(child=child, session=sessions["Morning"], weekday=MONDAY.weekday())
    assert attended(child) == []


def test_a_child_collected_at_lunchtime_did_not_attend_the_booked_afternoon(child, sessions):
    BookingFactory(child=child, session=sessions["Morning"], weekday=MONDAY.weekday())
    BookingFactory(child=child, session=sessions["Afternoon"], weekday=MONDAY.weekday())
    stay(child, time(8), time(13))
    assert attended(child) == ["Morning"]


def test_an_unbooked_visit_counts_as_the_session_that_covers_it_most_closely(child, sessions):
    stay(child, time(8, 30), time(12))
    assert attended(child) == ["Morning"]
    other = ChildFactory(nursery=child.nursery)
    stay(other, time(8), time(17, 45))
    assert attended(other) == ["Full day"]


def test_a_child_still_signed_in_attends_up_to_now(child, sessions):
    BookingFactory(child=child, session=sessions["Afternoon"], weekday=MONDAY.weekday())
    stay(child, time(12))
    assert attended(child, now=moment(MONDAY, time(12, 30))) == []
    assert attended(child, now=moment(MONDAY, time(14))) == ["Afternoon"]


def test_attendance_on_another_day_does_not_count(child, sessions):
    BookingFactory(child=child, session=sessions["Morning"], weekday=MONDAY.weekday())
    stay(child, time(8), time(12), day=MONDAY - timedelta(days=7))
    assert attended(child) == []


# --- Signing in and out ------------------------------------------------------------------------


def test_signing_in_records_when_and_who_and_a_child_cannot_be_signed_in_twice(child, practitioner):
    at = timezone.now() - timedelta(minutes=30)
    first = services.sign_in(child=child, by=practitioner, at=at)
    assert (first.signed_in_at, first.signed_in_by, first.day) == (at, practitioner, timezone.localdate(at))
    with pytest.raises(ValidationError, match="has been signed in since"):
        services.sign_in(child=child, by=practitioner)


def test_signing_out_before_arriving_is_refused(child, practitioner):
    services.sign_in(child=child, by=practitioner, at=timezone.now() - timedelta(minutes=30))
    with pytest.raises(ValidationError, match=r"cannot leave .* before arriving"):
        services.sign_out(child=child, by=practitioner, at=timezone.now() - timedelta(hours=1))
    stay = services.sign_out(child=child, by=practitioner)
    assert stay.signed_out_by == practitioner


# --- Care log: impossible entries get clear messages, nothing half-saved ------------------------


@pytest.fixture
def here(child, practitioner):
    """``child`` signed in an hour ago."""
    services.sign_in(child=child, by=practitioner, at=timezone.now() - timedelta(hours=1))
    return child


def test_lunch_for_three_children_is_one_call_with_now_and_the_logged_in_person(here, practitioner, nursery, room):
    others = [ChildFactory(nursery=nursery, room=room) for _ in range(2)]
    for other in others:
        services.sign_in(child=other, by=practitioner, at=timezone.now() - timedelta(minutes=50))

    entries = services.log_care(
        children=[here, *others], kind=CareEntry.Kind.MEAL, by=practitioner, meal=Meal.LUNCH, amount="most"
    )

    assert len(entries) == 3
    assert {entry.by for entry in entries} == {practitioner}
    assert all(timezone.now() - entry.at < timedelta(seconds=5) for entry in entries)
    assert entries[0].summary == "Lunch: most"
    assert ChildAuditEvent.objects.filter(what="Care log: Lunch: most").count() == 3


def test_a_nappy_change_in_the_future_is_refused_with_the_time_now(here, practitioner):
    with pytest.raises(ValidationError, match=r"cannot be in the future: it is .* now"):
        services.log_care(
            children=[here],
            kind=CareEntry.Kind.NAPPY,
            by=practitioner,
            at=timezone.now() + timedelta(minutes=30),
            condition=Condition.WET,
        )
    assert not CareEntry.objects.exists()


def test_a_sleep_ending_before_it_started_is_refused(here, practitioner):
    services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=20))
    with pytest.raises(ValidationError, match=r"cannot wake up .* before falling asleep"):
        services.end_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=40))
    sleep = CareEntry.objects.get(kind=CareEntry.Kind.SLEEP)
    assert sleep.ends_at is None
    services.end_sleep(children=[here], by=practitioner)
    sleep.refresh_from_db()
    assert sleep.sleep_minutes == 20


def test_a_child_cannot_fall_asleep_twice_and_checks_are_kept(here, practitioner):
    services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=25))
    with pytest.raises(ValidationError, match="has been asleep since"):
        services.start_sleep(children=[here], by=practitioner)
    services.check_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=15))
    services.check_sleep(children=[here], by=practitioner)
    assert CareEntry.objects.get().checks.count() == 2


def test_an_entry_for_a_child_not_signed_in_saves_nothing_for_anyone(here, practitioner, other_child):
    with pytest.raises(ValidationError, match=r"Zara is not signed in .* Nothing was saved"):
        services.log_care(children=[here, other_child], kind=CareEntry.Kind.NAPPY, by=practitioner, condition="dry")
    assert not CareEntry.objects.exists()


def test_an_entry_timed_before_the_child_arrived_is_refused(here, practitioner):
    with pytest.raises(ValidationError, match="not signed in at"):
        services.log_care(
            children=[here],
            kind=CareEntry.Kind.NAPPY,
            by=practitioner,
            condition="wet",
            at=timezone.now() - timedelta(hours=3),
        )


def test_a_correction_cannot_make_a_sleep_end_before_it_starts(here, practitioner):
    [sleep] = services.start_sleep(children=[here], by=practitioner, at=timezone.now() - timedelta(minutes=30))
    with pytest.raises(ValidationError, match="cannot be before falling asleep"):
        services.correct_care_entry(
            entry=sleep, by=practitioner, done_by=practitioner, at=sleep.at, ends_at=sleep.at - timedelta(minutes=5)
        )


# --- The room screen (htmx) ---------------------------------------------------------------------


def test_the_room_screen_logs_a_nappy_for_the_ticked_children_without_reloading(login, practitioner, here, room):
    response = login(practitioner).post(
        reverse("children:room_care", args=[room.pk]),
        {"child": [here.pk], "action": "nappy:soiled", "meal": "lunch", "note": "cream applied", "at": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="care-day"' in page
    assert "<html" not in page
    assert "Nappy: soiled: Ava" in page
    entry = CareEntry.objects.get()
    assert (entry.condition, entry.note, entry.by) == ("soiled", "cream applied", practitioner)


def test_the_room_screen_keeps_what_was_typed_when_an_entry_is_refused(login, practitioner, here, room):
    future = (timezone.localtime() + timedelta(hours=1)).strftime("%H:%M")
    response = login(practitioner).post(
        reverse("children:room_care", args=[room.pk]),
        {"child": [here.pk], "action": "care:", "note": "Sun cream on", "at": future},
    )
    page = response.content.decode()
    assert "cannot be in the future" in page
    assert 'value="Sun cream on"' in page
    assert f'value="{future}"' in page
    assert not CareEntry.objects.exists()


def test_the_room_screen_refuses_a_child_of_another_nursery(login, practitioner, here, room):
    stranger = ChildFactory()
    response = login(practitioner).post(
        reverse("children:room_care", args=[room.pk]), {"child": [stranger.pk], "action": "nappy:wet"}
    )
    assert "not in this room" in response.content.decode()
    assert not CareEntry.objects.exists()


def test_the_register_signs_a_child_in_and_names_who_did_it(login, practitioner, child, room):
    client = login(practitioner)
    response = client.post(reverse("children:sign_in", args=[child.pk]), headers={"HX-Request": "true"})
    assert "Ava signed in at" in response.content.decode()
    page = client.get(reverse("children:room_register", args=[room.pk])).content.decode()
    assert "(Priya)" in page
    assert "Sign out" in page


def test_an_entry_for_the_wrong_child_can_be_removed_and_the_history_says_what_it_was(login, practitioner, here):
    [entry] = services.log_care(children=[here], kind=CareEntry.Kind.NAPPY, by=practitioner, condition="dry")
    login(practitioner).post(reverse("children:remove_care_entry", args=[entry.pk]))
    assert not CareEntry.objects.exists()
    assert here.audit_events.filter(what="Care log removed: Nappy: dry", actor=practitioner).exists()


# --- Accidents and incidents --------------------------------------------------------------------


def test_an_accident_is_recorded_with_first_aid_and_witness_for_a_child_who_is_here(login, practitioner, here):
    response = login(practitioner).post(
        reverse("children:report_incident", args=[here.pk]),
        {
            "kind": "accident",
            "at": (timezone.localtime() - timedelta(minutes=5)).strftime("%H:%M"),
            "what_happened": "Fell off the climbing frame",
            "where": "Garden",
            "first_aid": "Ice pack",
            "witness": "Priya",
        },
    )
    assert response.status_code == 302
    incident = here.incidents.get()
    assert (incident.first_aid, incident.witness, incident.acknowledged_at) == ("Ice pack", "Priya", None)


def test_parent_acknowledges_an_accident_report_once(login, parent, child):
    incident = IncidentFactory(child=child)
    client = login(parent)
    assert list(selectors.incidents_awaiting_acknowledgement(parent)) == [incident]

    client.post(reverse("children:acknowledge_incident", args=[incident.pk]))
    incident.refresh_from_db()
    first = incident.acknowledged_at
    client.post(reverse("children:acknowledge_incident", args=[incident.pk]))
    incident.refresh_from_db()

    assert incident.acknowledged_by == parent
    assert timezone.localdate(incident.acknowledged_at) == incident.day  # the same day
    assert incident.acknowledged_at == first
    assert not selectors.incidents_awaiting_acknowledgement(parent).exists()


def test_another_family_cannot_acknowledge_a_childs_accident(login, other_parent, child):
    incident = IncidentFactory(child=child)
    response = login(other_parent).post(reverse("children:acknowledge_incident", args=[incident.pk]))
    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.acknowledged_at is None


def test_the_care_log_page_is_noted_in_each_childs_history_once_a_day(login, practitioner, child, room):
    Attendance.objects.create(child=child, day=timezone.localdate(), signed_in_at=timezone.now())
    client = login(practitioner)
    for _ in range(3):  # the page refreshes itself every minute
        client.get(reverse("children:room_care", args=[room.pk]))

    seen = ChildAuditEvent.objects.filter(child=child, actor=practitioner, what="Care log")
    assert seen.count() == 1
