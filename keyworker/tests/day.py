"""Helpers that set up a child's session for the feedback tests."""

from datetime import date, datetime, time

from children.day.models import CareEntry
from children.models import Child
from children.tests.factories import AttendanceFactory, BookingFactory, CareEntryFactory
from nursery.models import NurserySession
from nursery.tests.factories import NurserySessionFactory


def all_day_session(nursery) -> NurserySession:
    """A session from midnight to 23:59, so a test run at any hour is inside it."""
    return NurserySessionFactory(nursery=nursery, name="Long day", starts_at=time(0), ends_at=time(23, 59))


def attended(child: Child, session: NurserySession, day: date, *, start: datetime, end: datetime | None = None) -> None:
    """``child`` was booked for ``session`` on ``day`` and signed in from ``start`` (until ``end``)."""
    BookingFactory(child=child, session=session, weekday=day.weekday())
    AttendanceFactory(child=child, day=day, signed_in_at=start, signed_out_at=end)


def lunch(child: Child, at: datetime, amount: str = "all") -> CareEntry:
    return CareEntryFactory(child=child, kind=CareEntry.Kind.MEAL, meal="lunch", amount=amount, condition="", at=at)
