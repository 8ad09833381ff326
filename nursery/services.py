"""Writes for the nursery app."""

from django.db import transaction

from accounts.models import User
from accounts.services import Invited, create_invitation
from config.images import ProcessedImage, fill_thumbnail, store_photo
from config.queue import Dispatch, enqueue

from .models import Nursery, Room, StaffInvitation, StaffMember


@transaction.atomic
def invite_staff(
    *,
    nursery: Nursery,
    email: str,
    full_name: str,
    role: str,
    room: Room | None = None,
    job_title: str = "",
    invited_by: User,
) -> Invited:
    invited = create_invitation(email=email, full_name=full_name, invited_by=invited_by)
    StaffInvitation.objects.create(
        invitation=invited.invitation, nursery=nursery, role=role, room=room, job_title=job_title
    )
    return invited


def grant_staff_post(*, grant: StaffInvitation, user: User) -> StaffMember:
    """Apply an accepted staff invitation; re-activates a post the person held before."""
    post, _ = StaffMember.objects.update_or_create(
        user=user,
        nursery=grant.nursery,
        defaults={"role": grant.role, "room": grant.room, "job_title": grant.job_title, "is_active": True},
    )
    return post


@transaction.atomic
def set_staff_photo(*, member: StaffMember, photo: ProcessedImage | None) -> Dispatch | None:
    """Replace (or, with None, remove) a member of staff's photo; its thumbnail follows from a task."""
    store_photo(member, photo, source="photo", thumbnail="photo_thumbnail")
    if photo is None:
        return None
    from .tasks import make_staff_photo_thumbnail  # tasks import this module

    return enqueue(make_staff_photo_thumbnail, member.pk)


def make_staff_photo_thumbnail(*, member_id: int) -> bool:
    """Idempotent: does nothing when the post, its photo, or the thumbnail is gone or already there."""
    member = StaffMember.objects.filter(pk=member_id).first()
    return member is not None and fill_thumbnail(member, source="photo", thumbnail="photo_thumbnail")
