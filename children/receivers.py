"""Links an invited family member to the children once they accept the invitation; retires the cached list of a
nursery's children when one is added, renamed or removed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.signals import invitation_accepted
from core.caching import bump

from .models import Child, GuardianInvitation
from .selectors import NURSERY_CHILDREN
from .services import grant_guardianship


@receiver(invitation_accepted, dispatch_uid="children.grant_guardianship")
def apply_guardian_grants(sender, invitation, user, **kwargs) -> None:
    for grant in GuardianInvitation.objects.filter(invitation=invitation).select_related("child"):
        grant_guardianship(grant=grant, user=user)


@receiver(post_save, sender=Child, dispatch_uid="children.nursery_children_changed")
@receiver(post_delete, sender=Child, dispatch_uid="children.nursery_children_removed")
def nursery_children_changed(sender, instance: Child, **kwargs) -> None:
    bump(NURSERY_CHILDREN, instance.nursery_id)
