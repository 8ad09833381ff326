"""Links an invited family member to the children once they accept the invitation."""

from django.dispatch import receiver

from accounts.signals import invitation_accepted

from .models import GuardianInvitation
from .services import grant_guardianship


@receiver(invitation_accepted, dispatch_uid="children.grant_guardianship")
def apply_guardian_grants(sender, invitation, user, **kwargs) -> None:
    for grant in GuardianInvitation.objects.filter(invitation=invitation).select_related("child"):
        grant_guardianship(grant=grant, user=user)
