"""Writes for children and families."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.services import Invited, create_invitation
from config.images import ProcessedImage, fill_thumbnail, store_photo
from config.queue import Dispatch, enqueue

from .models import Child, ChildAuditEvent, Consent, ConsentPurpose, GuardianInvitation, Guardianship
from .selectors import has_consent


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
    store_photo(child, photo, source="photo", thumbnail="photo_thumbnail")
    record_event(
        child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Photo changed" if photo else "Photo removed"
    )
    if photo is None:
        return None
    from .tasks import make_child_photo_thumbnail  # tasks import this module

    return enqueue(make_child_photo_thumbnail, child.pk)


def make_child_photo_thumbnail(*, child_id: int) -> bool:
    """Idempotent: does nothing when the child, their photo, or its thumbnail is gone or already there."""
    child = Child.objects.filter(pk=child_id).first()
    return child is not None and fill_thumbnail(child, source="photo", thumbnail="photo_thumbnail")
