"""Gives an invited member of staff their post once they accept the invitation."""

from django.dispatch import receiver

from accounts.signals import invitation_accepted

from .models import StaffInvitation
from .services import grant_staff_post


@receiver(invitation_accepted, dispatch_uid="nursery.grant_staff_post")
def apply_staff_grant(sender, invitation, user, **kwargs) -> None:
    grant = StaffInvitation.objects.filter(invitation=invitation).first()
    if grant is not None:
        grant_staff_post(grant=grant, user=user)
