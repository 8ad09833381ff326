"""Writes for the day: signing in and out, care log entries (all or nothing for a group), sleeps, accidents."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list

from accounts.models import User
from children.collection import services as collection
from children.models import Child, ChildAuditEvent
from children.services import record_event, record_events

from . import selectors
from .models import Attendance, CareEntry, Incident, SleepCheck, clock, names_of

Action = ChildAuditEvent.Action


def _log_care_entries(entries: list[CareEntry], *, by: User, action: str) -> None:
    record_events(((entry.child_id, f"Care log: {entry.summary}") for entry in entries), actor=by, action=action)


# A sleep this short is more likely a mis-tap ("Woke up" for "Checked") than a nap: ask before recording it.
SHORT_SLEEP = timedelta(minutes=5)
# How long after a tap its Undo still works (the room screen offers it for about ten seconds).
UNDO_WINDOW = timedelta(minutes=2)


class ShortSleep(ValidationError):
    """Waking up within ``SHORT_SLEEP`` of falling asleep: the caller asks the person to confirm."""

    def __init__(self, sleeps: list[CareEntry]) -> None:
        self.sleeps = sleeps
        times = get_text_list([f"{entry.child.known_as} at {clock(entry.at)}" for entry in sleeps], "and")
        super().__init__(
            f"Asleep for under {SHORT_SLEEP.seconds // 60} minutes? {times} only just fell asleep, so this may "
            "be a mis-tap. Nothing was saved yet."
        )


# A tablet's clock may run a little ahead of the server's: allow that much "future".
CLOCK_SLACK = timedelta(minutes=2)


def _not_in_future(at: datetime, what: str) -> None:
    now = timezone.now()
    if at > now + CLOCK_SLACK:
        raise ValidationError(f"{what} cannot be in the future: it is {clock(now)} now and you chose {clock(at)}.")


@transaction.atomic
def sign_in(*, child: Child, by: User, at: datetime | None = None) -> Attendance:
    at = at or timezone.now()
    _not_in_future(at, "Signing in")
    current = selectors.open_attendance(child)
    if current is not None:
        raise ValidationError(f"{child.known_as} has been signed in since {clock(current.signed_in_at)}.")
    stay = Attendance.objects.create(child=child, day=timezone.localdate(at), signed_in_at=at, signed_in_by=by)
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what=f"Signed in at {clock(at)}")
    return stay


def sign_out(
    *, child: Child, by: User, at: datetime | None = None, collector: str = "", password: str = ""
) -> Attendance:
    """Sign the child out with the person collecting (``collector``, a choice from the family's list, and the
    collection password a one-off collector gave): anyone not on the list is refused."""
    at = at or timezone.now()
    _not_in_future(at, "Signing out")
    stay = selectors.open_attendance(child)
    if stay is None:
        raise ValidationError(f"{child.known_as} is not signed in.")
    if at < stay.signed_in_at:
        raise ValidationError(
            f"{child.known_as} cannot leave ({clock(at)}) before arriving ({clock(stay.signed_in_at)})."
        )
    # Outside the transaction below: a wrong password is counted even though the sign-out is refused.
    collected_by = collection.collector_for_sign_out(
        child=child, choice=collector, password=password, day=timezone.localdate(at), by=by
    )
    with transaction.atomic():
        stay = Attendance.objects.select_for_update().get(pk=stay.pk)
        if stay.signed_out_at is not None:
            raise ValidationError(f"{child.known_as} was signed out at {clock(stay.signed_out_at)}.")
        stay.signed_out_at, stay.signed_out_by, stay.collected_by = at, by, collected_by
        stay.save(update_fields=["signed_out_at", "signed_out_by", "collected_by"])
        what = f"Signed out at {clock(at)}" + (f", collected by {collected_by}" if collected_by else "")
        record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=what)
    return stay


def _require_present(children: list[Child], at: datetime) -> None:
    if not children:
        raise ValidationError("Choose at least one child first.")
    ids = {child.pk for child in children}
    present = set(selectors.present_at(Child.objects.filter(pk__in=ids), at).values_list("pk", flat=True))
    missing = [child for child in children if child.pk not in present]
    if missing:
        raise ValidationError(
            f"{names_of(missing)} {'is' if len(missing) == 1 else 'are'} not signed in at {clock(at)}. "
            "Sign them in on the register first, or untick them. Nothing was saved."
        )


@transaction.atomic
def log_care(
    *,
    children: list[Child],
    kind: str,
    by: User,
    at: datetime | None = None,
    meal: str = "",
    amount: str = "",
    condition: str = "",
    note: str = "",
) -> list[CareEntry]:
    """The same care entry for each child (lunch for the table, a note for the group): all or nothing."""
    at = at or timezone.now()
    label = CareEntry.Kind(kind).label
    _not_in_future(at, f"A {label.lower()} entry")
    if kind in (CareEntry.Kind.NAPPY, CareEntry.Kind.TOILET) and not condition:
        raise ValidationError("Say whether it was wet, soiled or dry.")
    if kind == CareEntry.Kind.MEAL and not (meal and amount):
        raise ValidationError("Say which meal or drink and how much was eaten.")
    if kind in (CareEntry.Kind.CARE, CareEntry.Kind.NOTE) and not note.strip():
        raise ValidationError("Write what was done in the note box.")
    _require_present(children, at)
    entries = CareEntry.objects.bulk_create(
        CareEntry(
            child=child,
            kind=kind,
            day=timezone.localdate(at),
            at=at,
            meal=meal,
            amount=amount,
            condition=condition,
            note=note.strip(),
            by=by,
            recorded_by=by,
        )
        for child in children
    )
    _log_care_entries(entries, by=by, action=Action.CREATED)
    return entries


@transaction.atomic
def start_sleep(*, children: list[Child], by: User, at: datetime | None = None) -> list[CareEntry]:
    at = at or timezone.now()
    _not_in_future(at, "Falling asleep")
    _require_present(children, at)
    asleep = list(selectors.sleeping(Child.objects.filter(pk__in=[c.pk for c in children])))
    if asleep:
        raise ValidationError(
            "; ".join(f"{entry.child.known_as} has been asleep since {clock(entry.at)}" for entry in asleep)
            + ". Nothing was saved."
        )
    entries = CareEntry.objects.bulk_create(
        CareEntry(child=child, kind=CareEntry.Kind.SLEEP, day=timezone.localdate(at), at=at, by=by, recorded_by=by)
        for child in children
    )
    _log_care_entries(entries, by=by, action=Action.CREATED)
    return entries


def _sleeps_of(children: list[Child]) -> list[CareEntry]:
    if not children:
        raise ValidationError("Choose at least one child first.")
    sleeps = list(
        selectors.sleeping(Child.objects.filter(pk__in=[c.pk for c in children])).select_for_update(of=("self",))
    )
    awake = [child for child in children if child.pk not in {entry.child_id for entry in sleeps}]
    if awake:
        raise ValidationError(
            f"{names_of(awake)} {'is' if len(awake) == 1 else 'are'} not asleep. Untick them. Nothing was saved."
        )
    return sleeps


def _sleeps_under_way(children: list[Child], at: datetime, *, what: str, did: str) -> list[CareEntry]:
    """The children's open sleeps, refusing a time in the future or before a child fell asleep."""
    _not_in_future(at, what)
    sleeps = _sleeps_of(children)
    for entry in sleeps:
        if at < entry.at:
            raise ValidationError(
                f"{entry.child.known_as} {did} ({clock(at)}) before falling asleep ({clock(entry.at)}). "
                "Nothing was saved."
            )
    return sleeps


@transaction.atomic
def end_sleep(
    *, children: list[Child], by: User, at: datetime | None = None, short_ok: bool = False
) -> list[CareEntry]:
    """End the children's sleeps; a sleep under ``SHORT_SLEEP`` raises ``ShortSleep`` unless ``short_ok``."""
    at = at or timezone.now()
    sleeps = _sleeps_under_way(children, at, what="Waking up", did="cannot wake up")
    short = [entry for entry in sleeps if at - entry.at < SHORT_SLEEP]
    if short and not short_ok:
        raise ShortSleep(short)
    for entry in sleeps:
        entry.ends_at, entry.recorded_by = at, by
        entry.save(update_fields=["ends_at", "recorded_at", "recorded_by"])
    _log_care_entries(sleeps, by=by, action=Action.CHANGED)
    return sleeps


@transaction.atomic
def check_sleep(*, children: list[Child], by: User, at: datetime | None = None) -> list[SleepCheck]:
    at = at or timezone.now()
    sleeps = _sleeps_under_way(children, at, what="A sleep check", did="cannot be checked")
    return SleepCheck.objects.bulk_create(SleepCheck(entry=entry, at=at, by=by) for entry in sleeps)


@transaction.atomic
def correct_care_entry(
    *,
    entry: CareEntry,
    by: User,
    done_by: User | None,
    at: datetime,
    ends_at: datetime | None = None,
    amount: str = "",
    condition: str = "",
    note: str = "",
) -> CareEntry:
    """Fix an entry's times or details after the event; the record history keeps who changed it."""
    _not_in_future(at, "The time")
    if ends_at is not None:
        _not_in_future(ends_at, "Waking up")
        if ends_at < at:
            raise ValidationError(f"Waking up ({clock(ends_at)}) cannot be before falling asleep ({clock(at)}).")
    _require_present([entry.child], at)
    entry.at, entry.day, entry.ends_at, entry.by = at, timezone.localdate(at), ends_at, done_by
    entry.recorded_by = by
    entry.amount, entry.condition, entry.note = amount or entry.amount, condition or entry.condition, note.strip()
    entry.save()
    record_event(
        child=entry.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Care log corrected: {entry.summary}"
    )
    return entry


@transaction.atomic
def remove_care_entry(*, entry: CareEntry, by: User) -> None:
    """Take back an entry logged by mistake (the wrong child ticked); the record history keeps what it was."""
    record_event(
        child=entry.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Care log removed: {entry.summary}"
    )
    entry.delete()


def _undoable(recorded: list[datetime], what: str) -> None:
    """Refuse an Undo of nothing, or once ``UNDO_WINDOW`` has passed since the tap was recorded (not since the
    time typed for what happened, which may be earlier)."""
    if not recorded:
        raise ValidationError(f"Nothing to undo: the {what} was already taken back or corrected.")
    if min(recorded) < timezone.now() - UNDO_WINDOW:
        raise ValidationError(f"Too late to undo the {what}: use Correct in today's list instead.")


@transaction.atomic
def undo_entries(*, entries: list[CareEntry], by: User) -> None:
    """Take back what one tap just logged (the entries it made), while it is fresh."""
    _undoable([entry.recorded_at for entry in entries], "entry")
    for entry in entries:
        remove_care_entry(entry=entry, by=by)


@transaction.atomic
def undo_wake(*, sleeps: list[CareEntry], by: User) -> None:
    """A "Woke up" tapped by mistake: the children are asleep again, from when they fell asleep."""
    sleeps = [entry for entry in sleeps if entry.ends_at]
    _undoable([entry.recorded_at for entry in sleeps], "waking up")
    again = selectors.sleeping(Child.objects.filter(pk__in=[entry.child_id for entry in sleeps]))
    if again.exists():
        raise ValidationError(f"{names_of(e.child for e in again)} fell asleep again since. Nothing was changed.")
    for entry in sleeps:
        entry.ends_at, entry.recorded_by = None, by
        entry.save(update_fields=["ends_at", "recorded_at", "recorded_by"])
    _log_care_entries(sleeps, by=by, action=Action.CHANGED)


@transaction.atomic
def undo_checks(*, checks: list[SleepCheck], by: User) -> None:
    """Take back sleep checks just recorded by mistake."""
    _undoable([check.recorded_at for check in checks], "sleep check")
    record_events(
        ((check.entry.child_id, f"Care log: sleep check at {clock(check.at)} taken back") for check in checks),
        actor=by,
        action=Action.CHANGED,
    )
    SleepCheck.objects.filter(pk__in=[check.pk for check in checks]).delete()


@transaction.atomic
def report_incident(*, child: Child, by: User, happened_at: datetime, **details: str) -> Incident:
    """Record an accident or incident (``kind``, ``what_happened``, ``where``, ``first_aid``, ``witness``)."""
    _not_in_future(happened_at, "An accident or incident")
    _require_present([child], happened_at)
    incident = Incident.objects.create(
        child=child, happened_at=happened_at, day=timezone.localdate(happened_at), recorded_by=by, **details
    )
    record_event(
        child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what=f"{incident.get_kind_display()} recorded"
    )
    return incident


@transaction.atomic
def acknowledge_incident(*, incident: Incident, by: User) -> Incident:
    """A parent has read the report. The first acknowledgement stands."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.acknowledged_at is None:
        incident.acknowledged_at, incident.acknowledged_by = timezone.now(), by
        incident.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_event(
            child=incident.child,
            actor=by,
            action=ChildAuditEvent.Action.CHANGED,
            what="Parent read the accident report",
        )
    return incident
