"""Writes for key person assignments and key groups, and the notice a family gets of a new key person."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.notices import news_recipients, news_unsubscribe_url
from children.services import record_event
from core.outbox import cancel_mail, queue_mail
from core.queue import Dispatch
from nursery.models import Nursery, StaffMember

from .models import KeyGroup, KeyPersonAssignment, KeyPersonNotice
from .selectors import key_group_sizes

OVER_LIMIT = "over_limit"


@dataclass
class Assigned:
    assignments: list[KeyPersonAssignment]
    dispatches: list[Dispatch] = field(default_factory=list)


def _name(staff: StaffMember) -> str:
    return staff.user.full_name


def _in_post(staff: StaffMember, day: date) -> bool:
    return staff.is_active and (staff.leaves_on is None or staff.leaves_on > day)


def check_key_person(key_person: StaffMember, nursery: Nursery, *, starts_on: date | None = None) -> None:
    """Anyone in post at the child's own nursery may be a key person (managers and deputies too), unless
    their post says not; someone who has left, or leaves before ``starts_on``, may not."""
    if key_person.nursery_id != nursery.pk or not key_person.is_active:
        raise ValidationError("That person does not work at this nursery.", code="not_staff")
    day = max(timezone.localdate(), starts_on or timezone.localdate())
    if not _in_post(key_person, day):
        gone = key_person.leaves_on
        when = "left on" if gone <= timezone.localdate() else "leaves on"
        raise ValidationError(
            f"{_name(key_person)} {when} {gone:%-d %B %Y}, so cannot be a key person from {day:%-d %B %Y}.",
            code="left",
        )
    if not key_person.can_be_key_person:
        raise ValidationError(
            f"{_name(key_person)}'s post says they are not a key person. Change it on the staff page first.",
            code="not_key_person",
        )


def check_buddy(buddy: StaffMember | None, *, key_person: StaffMember) -> None:
    if buddy is None:
        return
    if buddy.nursery_id != key_person.nursery_id or not _in_post(buddy, timezone.localdate()):
        raise ValidationError("The buddy must work at this nursery.", code="buddy_not_staff")
    if not buddy.can_be_key_person:
        raise ValidationError(
            f"{_name(buddy)}'s post says they are not a key person or buddy. Change it on the staff page first.",
            code="buddy_not_key_person",
        )
    if buddy.pk == key_person.pk:
        raise ValidationError("The buddy covers when the key person is away, so must be someone else.", code="buddy")


def check_group_room(key_person: StaffMember, adding: int, *, day: date, allow_over_limit: bool) -> None:
    """Refuse to take a key group over its limit unless the manager has explicitly said to."""
    group = KeyGroup.objects.filter(key_person=key_person).first()
    if group is None or group.size_limit is None or allow_over_limit:
        return
    size = key_group_sizes(key_person.nursery, day).get(key_person.pk, 0)
    if size + adding > group.size_limit:
        raise ValidationError(
            f"{_name(key_person)}'s key group would have {size + adding} children; its limit is "
            f"{group.size_limit}. Tick “Go over the limit” to do it anyway.",
            code=OVER_LIMIT,
        )


def _key_person_mail_key(assignment_id: int, user_id: int) -> str:
    return f"key-person:{assignment_id}:{user_id}"


def _tell_family(assignment: KeyPersonAssignment) -> list[Dispatch]:
    """Tell the child's family of their key person: on their home page, and one e-mail each."""
    links = list(assignment.child.guardianships.select_related("user"))
    if not links:
        return []
    KeyPersonNotice.objects.create(assignment=assignment)
    previous = (
        assignment.child.key_person_assignments.filter(starts_on__lt=assignment.starts_on)
        .select_related("key_person__user")
        .order_by("-starts_on")
        .first()
    )
    return [
        queue_mail(
            key=_key_person_mail_key(assignment.pk, link.user_id),
            kind="Key person change",
            to=link.user,
            template="keyworker/email/key_person",
            context={"assignment": assignment, "previous": previous, "user": link.user, "site_url": settings.SITE_URL},
            nursery_id=assignment.child.nursery_id,
            unsubscribe_url=news_unsubscribe_url(link),
        )
        for link in news_recipients(assignment.child)
    ]


def _forget_plan(spell: KeyPersonAssignment) -> None:
    """A planned key person replaced before starting: the family is not told of them if not told yet."""
    user_ids = spell.child.guardianships.values_list("user_id", flat=True)
    cancel_mail(keys=[_key_person_mail_key(spell.pk, user_id) for user_id in user_ids])
    spell.delete()


def _assign(
    *,
    child: Child,
    key_person: StaffMember,
    starts_on: date,
    ends_on: date | None,
    reason: str,
    by: User,
    buddy: StaffMember | None,
) -> tuple[KeyPersonAssignment, list[Dispatch]]:
    """Close the current spell the day before ``starts_on`` and open the new one (callers validate the person)."""
    today = timezone.localdate()
    spells = list(
        KeyPersonAssignment.objects.select_for_update(of=("self",))
        .filter(child=child)
        .select_related("key_person__user")
    )
    current = next((s for s in spells if s.ends_on is None), None)
    if current and current.starts_on >= starts_on and current.starts_on > today:
        # A plan that has not begun yet is not history: the new choice replaces it.
        spells.remove(current)
        _forget_plan(current)
        record_event(
            child=child,
            actor=by,
            action=ChildAuditEvent.Action.CHANGED,
            what=f"Planned key person {_name(current.key_person)} replaced before starting",
        )
        current = None
    if current and current.key_person_id == key_person.pk:
        raise ValidationError(f"{_name(key_person)} is already {child.known_as}'s key person.", code="same")
    for spell in spells:
        if spell is current and spell.starts_on >= starts_on:
            raise ValidationError(
                f"{_name(spell.key_person)} has been {child.known_as}'s key person since "
                f"{spell.starts_on:%-d %B %Y}. Choose a start date after that.",
                code="overlap",
            )
        if spell is not current and spell.ends_on >= starts_on:
            raise ValidationError(
                f"This overlaps {_name(spell.key_person)}'s time as key person "
                f"({spell.starts_on:%-d %B %Y} to {spell.ends_on:%-d %B %Y}). Choose a start date after that.",
                code="overlap",
            )
    if current:
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    try:
        with transaction.atomic():
            assignment = KeyPersonAssignment.objects.create(
                child=child,
                key_person=key_person,
                starts_on=starts_on,
                ends_on=ends_on,
                reason=reason.strip(),
                buddy=buddy,
                created_by=by,
            )
    except IntegrityError:  # another manager changed this child at the same moment
        raise ValidationError(
            f"{child.known_as}'s key person was changed by someone else just now. Please check and try again.",
            code="conflict",
        ) from None
    record_event(
        child=child,
        actor=by,
        action=ChildAuditEvent.Action.CHANGED,
        what=f"Key person: {_name(key_person)} from {starts_on:%-d %b %Y} ({reason.strip()})",
    )
    return assignment, _tell_family(assignment)


def _check_change(reason: str, starts_on: date, ends_on: date | None) -> None:
    if not reason.strip():
        raise ValidationError("Say why the key person is changing: it is kept in the child's history.", code="reason")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("The last day is before the first day. Check the dates.", code="dates")


@transaction.atomic
def assign_key_person(
    *,
    child: Child,
    key_person: StaffMember,
    starts_on: date,
    reason: str,
    by: User,
    ends_on: date | None = None,
    buddy: StaffMember | None = None,
    allow_over_limit: bool = False,
) -> Assigned:
    """Make ``key_person`` the child's key person from ``starts_on`` (before the child starts is encouraged)."""
    _check_change(reason, starts_on, ends_on)
    check_key_person(key_person, child.nursery, starts_on=starts_on)
    check_buddy(buddy, key_person=key_person)
    check_group_room(key_person, 1, day=starts_on, allow_over_limit=allow_over_limit)
    assignment, dispatches = _assign(
        child=child, key_person=key_person, starts_on=starts_on, ends_on=ends_on, reason=reason, by=by, buddy=buddy
    )
    return Assigned([assignment], dispatches)


@transaction.atomic
def reassign_key_group(
    *,
    from_person: StaffMember,
    to_person: StaffMember,
    starts_on: date,
    reason: str,
    by: User,
    allow_over_limit: bool = False,
) -> Assigned:
    """Move every child of one key group to another key person in one go, keeping each child's history."""
    _check_change(reason, starts_on, None)
    if from_person.pk == to_person.pk:
        raise ValidationError("Choose someone else to take the group.", code="same")
    check_key_person(to_person, from_person.nursery, starts_on=starts_on)
    spells = list(
        KeyPersonAssignment.objects.filter(key_person=from_person, ends_on__isnull=True).select_related("child")
    )
    if not spells:
        raise ValidationError(f"{_name(from_person)} has no key children to move.", code="empty")
    check_group_room(to_person, len(spells), day=starts_on, allow_over_limit=allow_over_limit)
    result = Assigned([])
    for spell in spells:
        try:
            assignment, dispatches = _assign(
                child=spell.child,
                key_person=to_person,
                starts_on=starts_on,
                ends_on=None,
                reason=reason,
                by=by,
                buddy=None,
            )
        except ValidationError as exc:
            raise ValidationError(f"{spell.child.display_name}: {exc.messages[0]} Nothing was changed.") from None
        result.assignments.append(assignment)
        result.dispatches += dispatches
    return result


@transaction.atomic
def set_child_buddy(*, child: Child, buddy: StaffMember | None, by: User) -> KeyPersonAssignment:
    """Name the child's own buddy for their current key person's spell (None: the group's buddy covers)."""
    spell = KeyPersonAssignment.objects.select_for_update().filter(child=child, ends_on__isnull=True).first()
    if spell is None:
        raise ValidationError(f"{child.known_as} needs a key person before a buddy.", code="no_key_person")
    check_buddy(buddy, key_person=spell.key_person)
    spell.buddy = buddy
    spell.save(update_fields=["buddy"])
    who = _name(buddy) if buddy else "the key group's buddy"
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Buddy: {who}")
    return spell


@transaction.atomic
def save_key_group(*, key_person: StaffMember, size_limit: int | None, buddy: StaffMember | None) -> KeyGroup:
    check_buddy(buddy, key_person=key_person)
    group, _ = KeyGroup.objects.update_or_create(
        key_person=key_person, defaults={"size_limit": size_limit, "buddy": buddy}
    )
    return group
