"""Writes for collection: the family's list and password, one-off collectors, and the check at sign-out of who
is collecting (with the password for a one-off collector, wrong guesses counted)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event

from . import selectors
from .models import AuthorisedCollector, CollectionPassword, OneOffCollector

Action = ChildAuditEvent.Action

PASSWORD_MIN_LENGTH = 4
PASSWORD_MAX_LENGTH = 50
# How far ahead a family may name a one-off collector: a holiday club week or a planned appointment, not a
# standing arrangement (that is what the list is for).
ONE_OFF_AHEAD_DAYS = 28
# Wrong passwords at the door before the check stops for a while: enough for a mishearing, too few to guess.
MAX_WRONG_PASSWORDS = 5
WRONG_PASSWORD_PAUSE = timedelta(minutes=15)


def _call_the_family(child: Child) -> str:
    return (
        f"Do not hand {child.known_as} over: call the family to check. They can name a one-off collector for "
        "today on KeyStory."
    )


@transaction.atomic
def set_collection_password(*, child: Child, password: str, by: User) -> CollectionPassword:
    """Set or change the family's collection password; only its hash is stored, and a new one clears old misses."""
    password = password.strip()
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise ValidationError(
            f"Choose a password of {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} letters or numbers, easy to say "
            "at the door."
        )
    current = CollectionPassword.objects.select_for_update().filter(child=child).first()
    record = current or CollectionPassword(child=child)
    record.set_password(password)
    record.set_by, record.set_at = by, timezone.now()
    record.failed_attempts, record.last_failed_at = 0, None
    record.save()
    record_event(
        child=child, actor=by, action=Action.CHANGED if current else Action.CREATED, what="Collection password set"
    )
    return record


@transaction.atomic
def add_authorised_collector(*, collector: AuthorisedCollector, by: User) -> AuthorisedCollector:
    collector.added_by = by
    collector.save()
    record_event(
        child=collector.child,
        actor=by,
        action=Action.CREATED,
        what=f"May collect: {collector.name} ({collector.relationship})",
    )
    return collector


@transaction.atomic
def remove_authorised_collector(*, collector: AuthorisedCollector, by: User) -> None:
    record_event(
        child=collector.child,
        actor=by,
        action=Action.CHANGED,
        what=f"No longer collects: {collector.name} ({collector.relationship})",
    )
    collector.delete()


def one_off_day_problem(day: date) -> str:
    """Why a one-off collector cannot be named for ``day``; "" if they can."""
    today = timezone.localdate()
    if day < today:
        return "Choose today or a day to come."
    if day > today + timedelta(days=ONE_OFF_AHEAD_DAYS):
        return (
            f"Choose a day within the next {ONE_OFF_AHEAD_DAYS} days. For someone who collects often, add them to "
            "your list instead."
        )
    return ""


@transaction.atomic
def name_one_off_collector(
    *, child: Child, day: date, name: str, relationship: str, phone: str = "", by: User
) -> OneOffCollector:
    """Name the person collecting on one day (replacing anyone named for that day). They will be asked for the
    collection password, so the family must have set one."""
    if problem := one_off_day_problem(day):
        raise ValidationError(problem)
    if selectors.collection_password_of(child) is None:
        raise ValidationError("Set a collection password first: the person collecting will be asked for it.")
    one_off, _ = OneOffCollector.objects.update_or_create(
        child=child,
        day=day,
        defaults={
            "name": name.strip(),
            "relationship": relationship.strip(),
            "phone": phone.strip(),
            "named_by": by,
            "named_at": timezone.now(),
        },
    )
    record_event(
        child=child,
        actor=by,
        action=Action.CREATED,
        what=f"One-off collector for {day:%-d %b %Y}: {one_off.name} ({one_off.relationship})",
    )
    return one_off


@transaction.atomic
def cancel_one_off_collector(*, one_off: OneOffCollector, by: User) -> None:
    record_event(
        child=one_off.child,
        actor=by,
        action=Action.CHANGED,
        what=f"One-off collector for {one_off.day:%-d %b %Y} cancelled: {one_off.name}",
    )
    one_off.delete()


def _check_password(*, child: Child, given: str, who: str, by: User) -> None:
    """Check the password a one-off collector gave. Not in the sign-out's transaction: a wrong guess is counted
    even though the sign-out is refused."""
    record = selectors.collection_password_of(child)
    if record is None:
        raise ValidationError(f"The family has no collection password set. {_call_the_family(child)}")
    now = timezone.now()
    recent = record.last_failed_at is not None and now - record.last_failed_at < WRONG_PASSWORD_PAUSE
    if recent and record.failed_attempts >= MAX_WRONG_PASSWORDS:
        raise ValidationError(
            f"The password was wrong {record.failed_attempts} times, so checking it is paused for "
            f"{WRONG_PASSWORD_PAUSE.seconds // 60} minutes. {_call_the_family(child)}"
        )
    if not given.strip():
        raise ValidationError(f"Ask {who} for the family's collection password and type it in.")
    if record.matches(given.strip()):
        if record.failed_attempts:
            CollectionPassword.objects.filter(pk=record.pk).update(failed_attempts=0, last_failed_at=None)
        return
    misses = (record.failed_attempts if recent else 0) + 1
    CollectionPassword.objects.filter(pk=record.pk).update(failed_attempts=misses, last_failed_at=now)
    record_event(child=child, actor=by, action=Action.CHANGED, what=f"Wrong collection password given by {who}")
    left = MAX_WRONG_PASSWORDS - misses
    raise ValidationError(
        f"That is not the family's collection password. {_call_the_family(child)}"
        + (f" ({left} more tr{'y' if left == 1 else 'ies'} before checking pauses.)" if left > 0 else "")
    )


def collector_for_sign_out(*, child: Child, choice: str, password: str, day: date, by: User) -> str:
    """Who is collecting the child (as the sign-out records them), refusing anyone not on the family's list.

    A child with nobody on the list yet (a family still being set up) may go without a choice; "". Call it
    before the sign-out's transaction: a wrong password is counted even though the sign-out is refused.
    """
    collectors = selectors.collectors_for(child, day)
    if not collectors:
        return ""
    if not choice:
        raise ValidationError(f"Choose who is collecting {child.known_as}.")
    chosen = next((person for person in collectors if person.key == choice), None)
    if chosen is None:
        raise ValidationError(
            f"{child.known_as} may only go home with someone on the family's list. {_call_the_family(child)}"
        )
    if chosen.one_off:
        _check_password(child=child, given=password, who=chosen.name, by=by)
        return f"{chosen.label}, password given"
    return chosen.label
