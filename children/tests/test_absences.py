"""Absences families report: the rules of a report, who may make and read one, and what the register,
the ratios and the key person see."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from children.absences import selectors, services
from children.absences.models import Absence
from children.absences.services import Report
from children.day.selectors import mark_arrivals, moment, register_for
from children.tests.factories import AttendanceFactory, BookingFactory, GuardianshipFactory
from core.models import OutgoingMail
from nursery.tests.factories import NurserySessionFactory

MONDAY = date(2026, 12, 7)
LONDON = ZoneInfo("Europe/London")

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(MONDAY, time(7, 30)))]


def report(child, by, first: date = MONDAY, last: date | None = None, reason="holiday", **more) -> Absence:
    return services.report_absence(
        child=child,
        report=Report(first_day=first, last_day=last or first, reason=reason, **more),
        by=by,
        reported_by=by,
        reporter_name=by.full_name,
    )


def form(first: date = MONDAY, last: date | None = None, reason="holiday", **more) -> dict:
    return {
        "first_day": first.isoformat(),
        "last_day": last.isoformat() if last else "",
        "reason": reason,
        "symptoms": "",
        "note": "",
    } | more


@pytest.fixture
def full_day(nursery):
    return NurserySessionFactory(nursery=nursery, name="Full day", starts_at=time(8), ends_at=time(18))


@pytest.fixture
def booked(child, full_day):
    """Ava is booked in every day of the week."""
    for weekday in range(7):
        BookingFactory(child=child, session=full_day, weekday=weekday)
    return child


# --- The rules of a report ---------------------------------------------------------------------


def test_a_parent_reports_one_day_off_from_their_phone(login, parent, child):
    client = login(parent)
    response = client.post(
        reverse("children:report_absence", args=[child.pk]), form(reason="illness", symptoms="Temperature since 6am")
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.first_day, absence.last_day, absence.reason) == (MONDAY, MONDAY, "illness")
    assert (absence.reported_by, absence.recorded_by, absence.reporter_name) == (parent, parent, "Sam Taylor")
    page = client.get(response.url).content.decode()
    assert "Ava is reported off Monday 7 December (ill)" in page
    assert "Temperature since 6am" in page


def test_a_day_already_gone_cannot_be_reported(login, parent, child):
    response = login(parent).post(reverse("children:report_absence", args=[child.pk]), form(MONDAY - timedelta(1)))
    assert response.status_code == 200
    assert "days already gone cannot be reported" in response.content.decode()
    assert not Absence.objects.exists()


def test_a_report_cannot_end_before_it_starts_and_keeps_what_was_typed(login, parent, child):
    data = form(MONDAY + timedelta(3), MONDAY + timedelta(1), note="Grandma's")
    response = login(parent).post(reverse("children:report_absence", args=[child.pk]), data)
    page = response.content.decode()
    assert "The last day off is before the first day" in page
    assert 'value="2026-12-10"' in page
    assert "Grandma&#x27;s" in page
    assert not Absence.objects.exists()


def test_a_report_covers_at_most_sixty_days(parent, child):
    report(child, parent, MONDAY, MONDAY + timedelta(59))
    with pytest.raises(ValidationError, match="at most 60 days"):
        report(child, parent, MONDAY + timedelta(70), MONDAY + timedelta(130))


def test_an_illness_asks_for_the_symptoms(login, parent, child):
    response = login(parent).post(reverse("children:report_absence", args=[child.pk]), form(reason="illness"))
    assert "Tell us the symptoms" in response.content.decode()
    assert not Absence.objects.exists()


def test_two_reports_cannot_cover_the_same_day(parent, child):
    report(child, parent, MONDAY, MONDAY + timedelta(4))
    with pytest.raises(ValidationError, match="already reported off"):
        report(child, parent, MONDAY + timedelta(2))


def test_symptoms_are_not_kept_when_the_reason_is_a_holiday(parent, child):
    absence = report(child, parent, reason="holiday", symptoms="typed, then changed the reason")
    assert absence.symptoms == ""


def test_a_report_under_way_can_be_changed_keeping_its_first_day(parent, child, time_machine):
    absence = report(child, parent, MONDAY, MONDAY + timedelta(1))
    time_machine.move_to(moment(MONDAY + timedelta(1), time(8)))
    changed = services.change_absence(
        absence=absence, report=Report(MONDAY, MONDAY + timedelta(3), "holiday"), by=parent
    )
    assert changed.last_day == MONDAY + timedelta(3)


def test_a_finished_report_can_no_longer_be_changed_or_cancelled(login, parent, child, time_machine):
    absence = report(child, parent)
    time_machine.move_to(moment(MONDAY + timedelta(1), time(8)))
    response = login(parent).post(reverse("children:cancel_absence", args=[absence.pk]))
    assert response.status_code == 302
    absence.refresh_from_db()
    assert absence.cancelled_at is None
    assert login(parent).get(reverse("children:edit_absence", args=[absence.pk])).status_code == 302


def test_a_parent_sees_and_cancels_an_upcoming_report(login, parent, child):
    absence = report(child, parent, MONDAY + timedelta(2))
    page = login(parent).get(reverse("children:report_absence", args=[child.pk])).content.decode()
    assert "Wednesday 9 December" in page
    assert reverse("children:edit_absence", args=[absence.pk]) in page
    login(parent).post(reverse("children:cancel_absence", args=[absence.pk]))
    absence.refresh_from_db()
    assert absence.cancelled_by == parent
    assert not selectors.upcoming_absences(child).exists()


def test_a_parent_changes_a_report_from_one_day_to_three(login, parent, child):
    absence = report(child, parent)
    login(parent).post(reverse("children:edit_absence", args=[absence.pk]), form(MONDAY, MONDAY + timedelta(2)))
    absence.refresh_from_db()
    assert absence.last_day == MONDAY + timedelta(2)


def test_the_parents_home_page_offers_to_report_an_absence(login, parent, child):
    page = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert reverse("children:report_absence", args=[child.pk]) in page


# --- Who may report and read ---------------------------------------------------------------------


def test_another_family_cannot_report_or_see_a_childs_absence(login, parent, child, other_parent):
    absence = report(child, parent, reason="illness", symptoms="Rash")
    client = login(other_parent)
    assert client.get(reverse("children:report_absence", args=[child.pk])).status_code == 404
    assert client.post(reverse("children:report_absence", args=[child.pk]), form()).status_code == 404
    assert client.get(reverse("children:edit_absence", args=[absence.pk])).status_code == 404
    assert client.post(reverse("children:cancel_absence", args=[absence.pk])).status_code == 404
    assert Absence.objects.count() == 1
    assert Absence.objects.get().cancelled_at is None


def test_a_relative_without_parental_responsibility_cannot_report(login, child):
    grandad = GuardianshipFactory(child=child, relationship="grandparent", has_parental_responsibility=False).user
    assert login(grandad).post(reverse("children:report_absence", args=[child.pk]), form()).status_code == 403
    assert not Absence.objects.exists()


def test_staff_of_another_nursery_cannot_see_a_report(login, parent, child, other_manager):
    absence = report(child, parent, reason="illness", symptoms="Rash")
    client = login(other_manager)
    assert client.get(reverse("children:report_absence", args=[child.pk])).status_code == 404
    assert client.get(reverse("children:edit_absence", args=[absence.pk])).status_code == 404
    assert not selectors.readable_absences(other_manager).exists()


def test_staff_record_a_phone_call_naming_who_rang(login, manager, parent, child):
    link = parent.guardianships.get()
    response = login(manager).post(
        reverse("children:report_absence", args=[child.pk]), form(caller=link.pk, reason="other", note="Dentist")
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.reported_by, absence.recorded_by, absence.reporter_name) == (parent, manager, "Sam Taylor")
    assert absence.reason_label == "Dentist"


def test_staff_taking_a_call_must_say_who_rang(login, practitioner, child):
    response = login(practitioner).post(reverse("children:report_absence", args=[child.pk]), form())
    assert "Choose who called, or type their name" in response.content.decode()
    assert not Absence.objects.exists()


# --- The key person --------------------------------------------------------------------------------


def test_the_key_person_is_emailed_without_the_symptoms(
    parent, child, practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(child, parent, reason="illness", symptoms="Vomiting twice in the night")
    assert OutgoingMail.objects.get().recipient == practitioner
    (sent,) = mail.outbox
    assert "Ava will be off Monday 7 December" in sent.subject
    assert "Sam Taylor told Rainbow Nursery" in sent.body
    assert "(ill)" in sent.body
    assert "Vomiting" not in sent.body


def test_the_key_person_is_not_emailed_about_a_call_they_took(login, practitioner, parent, child):
    services.report_absence(
        child=child, report=Report(MONDAY, MONDAY, "holiday"), by=practitioner, reported_by=parent, reporter_name="Sam"
    )
    assert not OutgoingMail.objects.exists()


def test_the_key_person_sees_the_absence_on_my_key_children(login, parent, child, practitioner):
    report(child, parent, reason="illness", symptoms="High temperature")
    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()
    assert "Off today" in page
    assert "High temperature" in page
    assert "Reported by Sam Taylor" in page


# --- The register and the ratios -------------------------------------------------------------------


def test_the_daily_register_shows_the_child_absent_and_reported_by_the_parent(login, manager, parent, booked):
    report(booked, parent, reason="illness", symptoms="Cough")
    page = login(manager).get(reverse("keyworker:register")).content.decode()
    assert "Absent</span> \N{EN DASH} reported by Sam Taylor (ill)" in page


def _not_arrived(child, at: datetime) -> bool:
    with time_machine.travel(at, tick=False):
        day = timezone.localdate()
        (marked,) = mark_arrivals(register_for(child.room, day).select_related("nursery").filter(pk=child.pk), day)
        return marked.not_arrived


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 12, 7, 0, 30, tzinfo=LONDON), False),  # just after midnight: nobody is late yet
        (datetime(2026, 12, 7, 9, 59, tzinfo=LONDON), False),
        (datetime(2026, 12, 7, 10, 0, tzinfo=LONDON), True),
        (datetime(2026, 12, 7, 23, 30, tzinfo=LONDON), True),  # late evening: still that day's register
        # Summer time: ten on the wall is nine in UTC.
        (datetime(2026, 7, 6, 9, 0, tzinfo=ZoneInfo("UTC")), True),
        (datetime(2026, 7, 6, 8, 59, tzinfo=ZoneInfo("UTC")), False),
        (datetime(2026, 7, 6, 23, 30, tzinfo=ZoneInfo("UTC")), False),  # 00:30 the next day in London
        # The night the clocks go back (25 October 2026): 01:30 happens twice, ten o'clock once.
        (datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC")), False),
        (datetime(2026, 10, 25, 9, 59, tzinfo=LONDON), False),
        (datetime(2026, 10, 25, 10, 0, tzinfo=LONDON), True),
        # The night the clocks go forward (28 March 2027).
        (datetime(2027, 3, 28, 9, 0, tzinfo=ZoneInfo("UTC")), True),
        (datetime(2027, 3, 28, 8, 59, tzinfo=ZoneInfo("UTC")), False),
    ],
)
def test_a_booked_child_not_signed_in_is_not_arrived_after_ten_in_london(booked, at, expected):
    assert _not_arrived(booked, at) is expected


def test_the_nursery_sets_its_own_not_arrived_time(booked, nursery):
    nursery.not_arrived_after = time(9, 15)
    nursery.save()
    assert _not_arrived(booked, datetime(2026, 12, 7, 9, 15, tzinfo=LONDON))


def test_a_child_reported_off_or_signed_in_is_not_missing(booked, parent, other_child, full_day):
    BookingFactory(child=other_child, session=full_day, weekday=0)
    AttendanceFactory(child=other_child, day=MONDAY, signed_in_at=moment(MONDAY, time(7, 0)))
    report(booked, parent)
    at = datetime(2026, 12, 7, 11, 0, tzinfo=LONDON)
    assert not _not_arrived(booked, at)
    assert not _not_arrived(other_child, at)


def test_a_child_booked_for_the_afternoon_is_not_missing_in_the_morning(other_child, nursery):
    afternoon = NurserySessionFactory(nursery=nursery, name="Afternoon", starts_at=time(13), ends_at=time(18))
    BookingFactory(child=other_child, session=afternoon, weekday=0)
    assert not _not_arrived(other_child, datetime(2026, 12, 7, 11, 0, tzinfo=LONDON))
    assert _not_arrived(other_child, datetime(2026, 12, 7, 13, 0, tzinfo=LONDON))


def test_a_child_not_booked_that_day_is_not_missing(child):
    assert not _not_arrived(child, datetime(2026, 12, 7, 11, 0, tzinfo=LONDON))


def test_the_room_register_shows_not_arrived_and_absent(login, practitioner, parent, booked, other_child, full_day):
    BookingFactory(child=other_child, session=full_day, weekday=0)
    report(booked, parent, reason="holiday")
    with time_machine.travel(datetime(2026, 12, 7, 10, 30, tzinfo=LONDON)):
        page = login(practitioner).get(reverse("children:room_register", args=[booked.room_id])).content.decode()
    assert "Absent</span> \N{EN DASH} reported by Sam Taylor (holiday)" in page
    assert "Not arrived" in page
    assert "1 child booked in today has not arrived" in page


def test_a_manager_sets_the_not_arrived_time_with_the_nursery_details(login, manager, nursery):
    data = {
        "name": nursery.name,
        "address": "",
        "phone": "",
        "email": "",
        "ofsted_urn": "",
        "not_arrived_after": "09:30",
    }
    assert login(manager).post(reverse("nursery:details"), data).status_code == 302
    nursery.refresh_from_db()
    assert nursery.not_arrived_after == time(9, 30)
