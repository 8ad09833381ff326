"""Reported absences where other apps read them: the ratios, retention and the subject access download."""

from datetime import date, time

import pytest
from django.urls import reverse

from children.absences import services
from children.absences.models import Absence
from children.absences.services import Report
from children.day.selectors import moment
from children.tests.factories import BookingFactory
from keyworker.days import NurseryDays
from nursery.tests.factories import NurserySessionFactory

MONDAY = date(2026, 12, 7)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(MONDAY, time(7, 30)))]


def report(child, by, first: date = MONDAY, reason="holiday", **more) -> Absence:
    return services.report_absence(
        child=child,
        report=Report(first_day=first, last_day=first, reason=reason, **more),
        by=by,
        reported_by=by,
        reporter_name=by.full_name,
    )


@pytest.fixture
def booked(child, nursery):
    """Ava is booked in every day of the week."""
    full_day = NurserySessionFactory(nursery=nursery, name="Full day", starts_at=time(8), ends_at=time(18))
    for weekday in range(7):
        BookingFactory(child=child, session=full_day, weekday=weekday)
    return child


def test_a_child_reported_off_is_not_expected_in_the_ratios_and_needs_no_cover(nursery, parent, booked):
    days = NurseryDays(nursery, MONDAY)
    assert [c.pk for rp in days.ratios(MONDAY) for c in rp.children] == [booked.pk]
    report(booked, parent)
    days = NurseryDays(nursery, MONDAY)
    assert days.ratios(MONDAY) == []
    (row,) = days.register(MONDAY)
    assert row.absence is not None
    assert not row.flagged


def test_a_cancelled_report_puts_the_child_back_in_the_ratios(nursery, parent, booked):
    services.cancel_absence(absence=report(booked, parent), by=parent)
    assert [c.pk for rp in NurseryDays(nursery, MONDAY).ratios(MONDAY) for c in rp.children] == [booked.pk]


def test_reported_absences_are_kept_with_the_register_and_in_the_subject_access_download(parent, child):
    from privacy.records import child_record
    from retention.schedule import KINDS

    report(child, parent, reason="illness", symptoms="Rash on arms")
    attendance = next(kind for kind in KINDS if kind.code == "attendance")
    assert Absence in [part.model for part in attendance.parts]
    data = child_record(child, photos=[], progress=lambda *args: None)
    (row,) = data["care_log"]["absences_reported"]
    assert row["symptoms"] == "Rash on arms"
    assert row["reported_by"] == "Sam Taylor"


def test_erasing_a_parent_keeps_the_days_off_but_not_their_name(nursery, manager, parent, child):
    from retention.services import FORMER_FAMILY_MEMBER, erase_family_member

    absence = report(child, parent)
    erase_family_member(nursery=nursery, member=parent, by=manager)
    absence.refresh_from_db()
    assert absence.reporter_name == FORMER_FAMILY_MEMBER
    assert absence.reported_by is None


def test_the_ratios_page_names_the_children_reported_off(login, manager, parent, booked):
    report(booked, parent, reason="illness", symptoms="Cough")
    page = login(manager).get(reverse("keyworker:ratios")).content.decode()
    assert "Reported off by their families, so not counted: Ava Taylor (ill)." in page
    assert "Cough" not in page
