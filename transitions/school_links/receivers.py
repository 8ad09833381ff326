"""Transitions' part in changes other apps make: a family withdrawing consent to sharing with the school."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from children.models import Consent, ConsentPurpose

from .services import stop_school_link_mail


@receiver(post_save, sender=Consent, dispatch_uid="transitions.stop_school_link_mail")
def consent_recorded(sender, instance: Consent, created: bool, **kwargs) -> None:
    """The link stops working at once (it checks consent on every request); its e-mail must not go either."""
    if created and not instance.granted and instance.purpose.code == ConsentPurpose.SHARE_WITH_SCHOOL:
        stop_school_link_mail(child_id=instance.child_id)
