"""Writes for children and families."""

from django.db import transaction

from accounts.models import User
from accounts.services import Invited, create_invitation
from nursery.services import replace_week

from .models import Booking, Child, ChildAuditEvent, Consent, ConsentPurpose, GuardianInvitation, Guardianship


def record_event(*, child: Child, actor: User | None, action: str, what: str) -> ChildAuditEvent:
    """Write one line of the child's audit log."""
    return ChildAuditEvent.objects.create(child=child, actor=actor, action=action, what=what[:200])


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
    """One invitation for a parent of one or more siblings."""
    invited = create_invitation(email=email, full_name=full_name, invited_by=invited_by)
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
    return decision


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
