"""Other people who care for a child (a childminder, a speech and language therapist), the family's consent
to sharing with each, the links they are sent, each time a link was opened and what they sent back."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child

from ..links import ExpiringLink


class OtherCarer(models.Model):
    """Someone else who cares for the child. Nothing is shared with them until the family agrees."""

    class Role(models.TextChoices):
        CHILDMINDER = "childminder", "Childminder"
        SPEECH_THERAPIST = "speech_therapist", "Speech and language therapist"
        OTHER_SETTING = "other_setting", "Another nursery or pre-school"
        HEALTH = "health", "Health visitor or other health professional"
        OTHER = "other", "Someone else"

    class Consent(models.TextChoices):
        ASKED = "asked", "Waiting for the family"
        AGREED = "agreed", "The family agreed"
        DECLINED = "declined", "The family said no"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="other_carers")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.ASKED)
    consent_at = models.DateTimeField(null=True, blank=True)
    # The parent who decided in their account; or, for a signed paper form, its date and who recorded it.
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_on_paper = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}) for {self.child}"

    @property
    def agreed(self) -> bool:
        return self.consent == self.Consent.AGREED


class CarerShareLink(ExpiringLink):
    """An expiring link to the child's summary for one carer: works only while the family's consent stands."""

    carer = models.ForeignKey(OtherCarer, on_delete=models.CASCADE, related_name="links")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Link for {self.carer.name}"


class CarerLinkView(models.Model):
    """Each time the carer opened the summary (privacy rule 5: every sharing can be answered for)."""

    link = models.ForeignKey(CarerShareLink, on_delete=models.CASCADE, related_name="views")
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Opened by {self.link.carer.name} at {self.at:%d %b %Y %H:%M}"


class CarerNote(models.Model):
    """What the carer sent back through their link: what they are working on with the child."""

    MAX_LENGTH = 2000

    link = models.ForeignKey(CarerShareLink, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=MAX_LENGTH)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Note from {self.link.carer.name} on {self.at:%d %b %Y}"
