"""Gives an invited member of staff their post, or a group's new owner the group, once they accept."""

from django.dispatch import receiver

from accounts.signals import invitation_accepted

from .models import GroupOwnerInvitation, StaffInvitation
from .services import grant_staff_post


@receiver(invitation_accepted, dispatch_uid="nursery.grant_staff_post")
def apply_staff_grant(sender, invitation, user, **kwargs) -> None:
    grant = StaffInvitation.objects.filter(invitation=invitation).first()
    if grant is not None:
        grant_staff_post(grant=grant, user=user)


@receiver(invitation_accepted, dispatch_uid="nursery.grant_group_owner")
def apply_group_owner_grant(sender, invitation, user, **kwargs) -> None:
    grant = GroupOwnerInvitation.objects.filter(invitation=invitation).select_related("group").first()
    if grant is not None:
        grant.group.owners.add(user)
