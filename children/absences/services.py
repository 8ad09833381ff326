"""Writes for absences: a family member (or staff taking their call) reports a child off, changes or cancels it.

The key person is told by the app that knows who that is: ``absence_reported`` is sent inside the
transaction, and keyworker's receiver queues the e-mail in the outbox with it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event

from .models import Absence
from .selectors import clashing_absence

Action = ChildAuditEvent.Action

# A report covers at most this many days (longer stays away are arranged with the manager), and starts
# within a year: further ahead is a typing slip.
MAX_DAYS = 60
MAX_AHEAD_DAYS = 365

# Sent with ``absence`` and ``created`` (False when the days or reason changed) inside the transaction.
absence_reported = Signal()


@dataclass(frozen=True)
class Report:
    """What the family told the nursery."""

    first_day: date
    last_day: date
    reason: str
    symptoms: str = ""
    note: str = ""


def dates_problem(
    child: Child, first_day: date, last_day: date, *, today: date, was_first_day: date | None = None
) -> dict[str, str]:
    """Why these days cannot be reported (by field); empty if they can. A report already under way keeps
    its first day, though it is now in the past."""
    errors = {}
    if first_day < today and first_day != was_first_day:
        errors["first_day"] = "Choose today or a day to come: days already gone cannot be reported."
    elif first_day > today + timedelta(days=MAX_AHEAD_DAYS):
        errors["first_day"] = "Choose a day within the next year."
    if last_day < first_day:
        errors["last_day"] = "The last day off is before the first day. Check the dates."
    elif (last_day - first_day).days + 1 > MAX_DAYS:
        errors["last_day"] = f"A report covers at most {MAX_DAYS} days. For a longer time away, speak to the nursery."
    elif child.leave_date and first_day > child.leave_date:
        errors["first_day"] = f"{child.known_as}'s last day at the nursery is {child.leave_date:%-d %B %Y}."
    return errors


def check_report(child: Child, report: Report, *, besides: Absence | None = None) -> None:
    """Raise ``ValidationError`` (by field) unless the report can be saved."""
    errors = dates_problem(
        child,
        report.first_day,
        report.last_day,
        today=timezone.localdate(),
        was_first_day=besides.first_day if besides else None,
    )
    if report.reason not in Absence.Reason.values:
        errors["reason"] = "Choose why your child will be off."
    elif report.reason == Absence.Reason.ILLNESS and not report.symptoms.strip():
        errors["symptoms"] = "Tell us the symptoms, so staff can check whether other children may catch it."
    if not errors:
        clash = clashing_absence(child, report.first_day, report.last_day, besides=besides.pk if besides else None)
        if clash:
            errors["first_day"] = f"{child.known_as} is already reported off {clash.days_label}: change that report."
    if errors:
        raise ValidationError(errors)


def _fields(report: Report) -> dict:
    # Symptoms only go with an illness: a holiday keeps no health details typed before the reason changed.
    illness = report.reason == Absence.Reason.ILLNESS
    return {
        "first_day": report.first_day,
        "last_day": report.last_day,
        "reason": report.reason,
        "symptoms": report.symptoms.strip() if illness else "",
        "note": report.note.strip(),
    }


@transaction.atomic
def report_absence(*, child: Child, report: Report, by: User, reported_by: User | None, reporter_name: str) -> Absence:
    """Save a family's report that the child will be off. ``by`` typed it (the family member, or staff who
    took the call); ``reported_by`` is the family member who told the nursery, if they have an account."""
    check_report(child, report)
    absence = Absence.objects.create(
        child=child, reported_by=reported_by, reporter_name=reporter_name[:150], recorded_by=by, **_fields(report)
    )
    record_event(child=child, actor=by, action=Action.CREATED, what=f"Absence reported: {absence.days_label}")
    absence_reported.send(sender=Absence, absence=absence, created=True)
    return absence


OVER = "This report is over: it stays on the record as it was."


def is_over(absence: Absence) -> bool:
    """A report whose last day has gone is part of the register's record: no longer changed or cancelled."""
    return absence.last_day < timezone.localdate()


@transaction.atomic
def change_absence(*, absence: Absence, report: Report, by: User) -> Absence:
    if is_over(absence) or absence.is_cancelled:
        raise ValidationError(OVER)
    check_report(absence.child, report, besides=absence)
    for name, value in _fields(report).items():
        setattr(absence, name, value)
    absence.save()
    record_event(child=absence.child, actor=by, action=Action.CHANGED, what=f"Absence changed: {absence.days_label}")
    absence_reported.send(sender=Absence, absence=absence, created=False)
    return absence


@transaction.atomic
def cancel_absence(*, absence: Absence, by: User) -> Absence:
    """The child is coming after all. Kept, marked cancelled, as a record of what the nursery was told."""
    if is_over(absence):
        raise ValidationError(OVER)
    if absence.cancelled_at is None:
        absence.cancelled_at = timezone.now()
        absence.cancelled_by = by
        absence.save(update_fields=["cancelled_at", "cancelled_by", "updated_at"])
        record_event(
            child=absence.child, actor=by, action=Action.CHANGED, what=f"Absence cancelled: {absence.days_label}"
        )
    return absence
