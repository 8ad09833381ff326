"""Writes for the nursery app."""

from django.db import transaction

from accounts.models import User
from accounts.services import Invited, create_invitation

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
