"""Writes for children and families."""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import Invited, create_invitation
from core.images import ProcessedImage, store_photo
from core.queue import Dispatch
from nursery.models import Nursery
from nursery.services import replace_week

from .day.selectors import day_bounds
from .models import (
    ABOUT_ME_FIELDS,
    AllAboutMe,
    Booking,
    Child,
    ChildAuditEvent,
    ConfidentialNote,
    Consent,
    ConsentPurpose,
    EmergencyContact,
    GuardianInvitation,
    Guardianship,
    HomeChange,
    Relationship,
)
from .selectors import consent_purposes_for, has_consent

Action = ChildAuditEvent.Action
# A view of the same record by the same person within this many minutes is not written again: a page
# opened, refreshed and opened again is one reading for "who saw what", and the history stays readable.
VIEW_AGAIN_AFTER = timedelta(minutes=10)


def record_event(*, child: Child, actor: User | None, action: str, what: str) -> ChildAuditEvent | None:
    """Write one line of the child's audit log (a view of what the person viewed in the last
    ``VIEW_AGAIN_AFTER`` is not written again: None)."""
    what = what[:200]
    if (
        action == Action.VIEWED
        and actor is not None
        and ChildAuditEvent.objects.filter(
            child=child, actor=actor, action=action, what=what, at__gte=timezone.now() - VIEW_AGAIN_AFTER
        ).exists()
    ):
        return None
    return ChildAuditEvent.objects.create(child=child, actor=actor, action=action, what=what)


def record_events(events: Iterable[tuple[int, str]], *, actor: User | None, action: str) -> None:
    """Lines of several children's audit logs in one write, as ``(child id, what)`` (a tap for a whole room)."""
    ChildAuditEvent.objects.bulk_create(
        ChildAuditEvent(child_id=child_id, actor=actor, action=action, what=what[:200]) for child_id, what in events
    )


def record_daily_view(*, child_ids: Iterable[int], actor: User, what: str) -> None:
    """Note in each child's log that the user saw this today, once a day: pages that refresh every
    minute (the care log, a parent's "today") would otherwise bury the history."""
    ids = set(child_ids)
    start, end = day_bounds(timezone.localdate())
    seen = ChildAuditEvent.objects.filter(
        actor=actor, action=Action.VIEWED, what=what, child_id__in=ids, at__gte=start, at__lt=end
    ).values_list("child_id", flat=True)
    record_events(((child_id, what) for child_id in ids - set(seen)), actor=actor, action=Action.VIEWED)


@transaction.atomic
def invite_guardian(
    *,
    children: list[Child],
    email: str,
    full_name: str,
    relationship: str,
    has_parental_responsibility: bool,
    invited_by: User,
) -> Invited:
    """One invitation for a parent of one or more siblings (all at one nursery)."""
    names = [child.display_name for child in children]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    known = relationship in Relationship.values and relationship != Relationship.OTHER
    label = Relationship(relationship).label.lower() if known else "family member or carer"
    invited = create_invitation(
        email=email,
        full_name=full_name,
        invited_by=invited_by,
        nursery_id=children[0].nursery_id,
        place=children[0].nursery.name,
        invited_as=f"{listed}'s {label}",
    )
    for child in children:
        GuardianInvitation.objects.create(
            invitation=invited.invitation,
            child=child,
            relationship=relationship,
            has_parental_responsibility=has_parental_responsibility,
        )
        record_event(child=child, actor=invited_by, action=ChildAuditEvent.Action.SHARED, what=f"Invited {email}")
    return invited


def grant_guardianship(*, grant: GuardianInvitation, user: User) -> Guardianship:
    link, created = Guardianship.objects.get_or_create(
        child=grant.child,
        user=user,
        defaults={
            "relationship": grant.relationship,
            "has_parental_responsibility": grant.has_parental_responsibility,
        },
    )
    if created:
        record_event(child=grant.child, actor=user, action=ChildAuditEvent.Action.CHANGED, what="Family member joined")
    return link


@transaction.atomic
def record_consent(*, child: Child, purpose: ConsentPurpose, granted: bool, by: User, note: str = "") -> Consent:
    """Add a decision to the child's consent history (history is never rewritten)."""
    decision = Consent.objects.create(child=child, purpose=purpose, granted=granted, recorded_by=by, note=note)
    verb = "given" if granted else "withdrawn"
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Consent {verb}: {purpose.name}")
    for hook in CONSENT_CHANGED_HOOKS:
        hook(child=child, purpose_code=purpose.code)
    return decision


# Apps above children register here what follows a consent decision (learning_stories remakes blurred photos).
CONSENT_CHANGED_HOOKS: list[Callable[..., None]] = []


def set_feedback_by_email(*, guardianship: Guardianship, on: bool) -> None:
    guardianship.feedback_by_email = on
    guardianship.save(update_fields=["feedback_by_email"])


def set_news_by_email(*, guardianship: Guardianship, on: bool) -> None:
    guardianship.news_by_email = on
    guardianship.save(update_fields=["news_by_email"])


@transaction.atomic
def set_child_photo(*, child: Child, photo: ProcessedImage | None, by: User) -> Dispatch | None:
    """Replace (or, with None, remove) the child's own photo; its thumbnail follows from a task.

    A photo needs the family's consent to photos in the child's own story.
    """
    if photo is not None and not has_consent(child, ConsentPurpose.PHOTOS_OWN_STORY):
        raise ValidationError(
            f"{child.known_as}'s family has not agreed to photos in {child.known_as}'s own learning story, "
            "so no photo can be added. A manager can record their consent first."
        )
    if photo is None and not child.photo:
        return None  # removed already (a second tap on "Remove")
    dispatch = store_photo(child, photo)
    record_event(
        child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Photo changed" if photo else "Photo removed"
    )
    return dispatch


@transaction.atomic
def save_child(*, child: Child, by: User, changed: list[str]) -> Child:
    """Create or update a child's record (already validated) and note it in the record history."""
    created = child.pk is None
    child.save()
    if created:
        record_event(child=child, actor=by, action=Action.CREATED, what="Child added")
    elif changed:
        record_event(child=child, actor=by, action=Action.CHANGED, what=f"Details changed: {', '.join(changed)}")
    return child


@transaction.atomic
def update_guardianship(*, link: Guardianship, by: User, changed: list[str]) -> Guardianship:
    link.save()
    if changed:
        what = f"{link.user} — {', '.join(changed)} changed"
        record_event(child=link.child, actor=by, action=Action.CHANGED, what=what)
    return link


@transaction.atomic
def update_own_contact_details(*, user: User, full_name: str, phone: str, address: str) -> None:
    """A parent's own details: name and phone on their account, their address on each link to a child."""
    user.full_name, user.phone = full_name, phone
    user.save(update_fields=["full_name", "phone"])
    for link in user.guardianships.select_related("child"):
        if link.address != address:
            link.address = address
            link.save(update_fields=["address"])
        record_event(child=link.child, actor=user, action=Action.CHANGED, what="Family contact details updated")


@transaction.atomic
def save_emergency_contact(*, contact: EmergencyContact, by: User) -> EmergencyContact:
    verb = "added" if contact.pk is None else "changed"
    contact.save()
    record_event(child=contact.child, actor=by, action=Action.CHANGED, what=f"Emergency contact {verb}: {contact.name}")
    return contact


@transaction.atomic
def remove_emergency_contact(*, contact: EmergencyContact, by: User) -> None:
    what = f"Emergency contact removed: {contact.name}"
    record_event(child=contact.child, actor=by, action=Action.CHANGED, what=what)
    contact.delete()


@transaction.atomic
def save_all_about_me(*, about: AllAboutMe, by: User) -> AllAboutMe:
    about.updated_by = by
    about.save()
    record_event(child=about.child, actor=by, action=Action.CHANGED, what="All about me updated")
    return about


class NothingChanged(ValueError):
    """A proposed change at home that changes nothing and says nothing."""


@transaction.atomic
def propose_home_change(*, child: Child, by: User, proposed: dict[str, str], note: str = "") -> HomeChange:
    """Keep what the family says has changed, field by field, for the key person to read and accept."""
    current = AllAboutMe.objects.filter(child=child).first() or AllAboutMe(child=child)
    changes = {}
    for field in ABOUT_ME_FIELDS:
        was, now = getattr(current, field).strip(), proposed.get(field, "").strip()
        if field in proposed and was != now:
            changes[field] = {"from": was, "to": now}
    if not changes and not note.strip():
        raise NothingChanged("Nothing has changed yet: change an answer or write a note for the key person.")
    change = HomeChange.objects.create(child=child, proposed_by=by, changes=changes, note=note.strip())
    record_event(child=child, actor=by, action=Action.CHANGED, what="Change at home sent to the key person")
    return change


@transaction.atomic
def review_home_change(*, change: HomeChange, by: User, accept: bool) -> HomeChange:
    """Mark a change at home as read; when accepted, copy what the family proposed into "All about me"."""
    change = HomeChange.objects.select_for_update().get(pk=change.pk)
    if change.read_at is not None:
        return change  # already dealt with (a double tap, or two staff at once)
    if accept and change.changes:
        about, _ = AllAboutMe.objects.get_or_create(child=change.child)
        for field, values in change.changes.items():
            setattr(about, field, values["to"])
        about.updated_by = by
        about.save()
    change.read_by, change.read_at, change.accepted = by, timezone.now(), accept
    change.save(update_fields=["read_by", "read_at", "accepted"])
    what = "Change at home accepted into All about me" if accept else "Change at home read"
    record_event(child=change.child, actor=by, action=Action.CHANGED, what=what)
    return change


def add_consent_purpose(*, nursery: Nursery, name: str, description: str) -> ConsentPurpose:
    """A nursery's own purpose, after the built-in ones, with a code unique in the nursery."""
    base = slugify(name)[:40] or "purpose"
    code, n = base, 1
    while consent_purposes_for(nursery.pk).filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return ConsentPurpose.objects.create(nursery=nursery, code=code, name=name, description=description, order=200)


@transaction.atomic
def add_confidential_note(*, child: Child, by: User, text: str, source: str) -> ConfidentialNote:
    note = ConfidentialNote.objects.create(child=child, written_by=by, text=text.strip(), source=source)
    record_event(child=child, actor=by, action=Action.CHANGED, what="Confidential note added")
    return note


@transaction.atomic
def set_booking_pattern(*, child: Child, slots: set[tuple[int, int]], by: User) -> bool:
    """Replace the child's usual week with these (weekday, session id) pairs; the change is logged."""
    changed = replace_week(
        child.bookings.all(),
        slots,
        lambda weekday, session_id: Booking.objects.create(child=child, weekday=weekday, session_id=session_id),
    )
    if changed:
        record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Booking pattern")
    return changed
