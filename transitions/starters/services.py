"""Writes for settling-in plans: start one, the visit and the key person's introduction, sessions booked
and how each went. Each change is written in the child's record history."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event

from ..models import SettlingSession, StarterPlan

# Settling-in happens around the first day: dates further than this either side of today are typing slips.
DATE_WINDOW = timedelta(days=365)
VISIT_TOO_FAR = "Choose a visit date within a year of today."
VISIT_AFTER_START = "The visit is before the child starts: choose a day up to their first day ({day})."
INTRODUCED_AHEAD = "Record the introduction once it has happened: choose today or an earlier day."
INTRODUCED_TOO_FAR = "Choose a date within the last year."
SESSION_TOO_FAR = "Choose a session time within a year of today."
NOT_STARTED_YET = "This session has not started yet: record how it went once it has."
SAY_WHAT_HAPPENED = "Say briefly what unsettled the child, so the next session can help."


def _record(child: Child, by: User | None, what: str) -> None:
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=what)


def start_plan(*, child: Child, by: User) -> StarterPlan:
    """The child's settling-in plan, made once (a second start returns the same plan)."""
    try:
        with transaction.atomic():
            plan, made = StarterPlan.objects.get_or_create(child=child, defaults={"created_by": by})
    except IntegrityError:  # two people at once: the other made it
        return StarterPlan.objects.get(child=child)
    if made:
        _record(child, by, "Settling-in plan started")
    return plan


def check_details(plan: StarterPlan, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    errors = {}
    starts = plan.child.start_date
    if plan.visit_on:
        if abs(plan.visit_on - today) > DATE_WINDOW:
            errors["visit_on"] = VISIT_TOO_FAR
        elif starts and plan.visit_on > starts:
            errors["visit_on"] = VISIT_AFTER_START.format(day=f"{starts:%-d %B %Y}")
    if plan.visit_on and not plan.visit_kind:
        errors["visit_kind"] = "Choose a home visit or a stay and play."
    if plan.introduced_on:
        if plan.introduced_on > today:
            errors["introduced_on"] = INTRODUCED_AHEAD
        elif today - plan.introduced_on > DATE_WINDOW:
            errors["introduced_on"] = INTRODUCED_TOO_FAR
        elif not plan.introduced_how:
            errors["introduced_how"] = "Say how the family met the key person."
    if errors:
        raise ValidationError(errors)


def save_details(*, plan: StarterPlan, by: User, today: date | None = None) -> StarterPlan:
    """The visit before starting and the key person's introduction."""
    check_details(plan, today=today)
    plan.visit_by, plan.visit_notes = plan.visit_by.strip(), plan.visit_notes.strip()
    plan.save()
    _record(plan.child, by, "Settling-in plan changed")
    return plan


def book_session(*, session: SettlingSession, by: User) -> SettlingSession:
    if abs(session.starts_at - timezone.now()) > DATE_WINDOW:
        raise ValidationError({"starts_at": SESSION_TOO_FAR})
    if not 15 <= session.minutes <= 600:
        raise ValidationError({"minutes": "A session lasts between 15 minutes and 10 hours."})
    session.save()
    _record(session.plan.child, by, f"Settling session booked for {timezone.localtime(session.starts_at):%-d %b %H:%M}")
    return session


def record_session(*, session: SettlingSession, outcome: str, note: str, what_helped: str, by: User) -> SettlingSession:
    """How the session went: settled, or unsettled with a short note."""
    if session.starts_at > timezone.now():
        raise ValidationError(NOT_STARTED_YET)
    if outcome not in (SettlingSession.Outcome.SETTLED, SettlingSession.Outcome.UNSETTLED):
        raise ValidationError({"outcome": "Choose how the session went."})
    if outcome == SettlingSession.Outcome.UNSETTLED and not note.strip():
        raise ValidationError({"note": SAY_WHAT_HAPPENED})
    session.outcome, session.note, session.what_helped = outcome, note.strip(), what_helped.strip()
    session.recorded_by = by
    session.save(update_fields=["outcome", "note", "what_helped", "recorded_by"])
    _record(session.plan.child, by, f"Settling session recorded: {session.get_outcome_display()}")
    return session
