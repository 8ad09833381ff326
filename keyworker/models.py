from django.conf import settings
from django.db import models

from children.models import Child
from nursery.models import StaffMember


class KeyPersonAssignment(models.Model):
    """One spell of a practitioner being a child's key person.

    Spells are kept, never overwritten, so "who was the key person on date D" can be answered
    for the daily register. ``ends_on`` is the last day of the spell; the open spell is current.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="key_person_assignments")
    key_person = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="key_assignments")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, help_text="Why this key person, e.g. “bonded with Sam”.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["child", "-starts_on"]
        constraints = [
            # The database, not only the forms, guarantees one current key person per child.
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(ends_on__isnull=True), name="one_current_key_person_per_child"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="key_person_spell_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_person.user} for {self.child} from {self.starts_on}"
