"""A family's report that their child will be off, for a day or a range of days."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child


class Absence(models.Model):
    """The child will be off from ``first_day`` to ``last_day`` (both included), and why.

    Reported by a family member from their phone, or recorded by staff who took the call. ``symptoms`` is
    health data: only the child's family and the staff of the child's nursery read it. A cancelled report
    is kept (who cancelled it and when), as the register is a record of what the nursery was told.
    """

    class Reason(models.TextChoices):
        ILLNESS = "illness", "Ill"
        HOLIDAY = "holiday", "Holiday"
        OTHER = "other", "Another reason"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="absences")
    first_day = models.DateField("first day off")
    last_day = models.DateField("last day off")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    symptoms = models.TextField(
        max_length=1000, blank=True, help_text="For example a temperature, sickness or a rash, and since when."
    )
    note = models.CharField("anything else the nursery should know", max_length=500, blank=True)
    # The family member who told the nursery; their name is kept as the register showed it.
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reporter_name = models.CharField("who told the nursery", max_length=150)
    # Who typed it in: the family member themselves, or the member of staff who took the call.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["first_day", "pk"]
        indexes = [models.Index(fields=["child", "last_day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="child_absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} off {self.days_label}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def covers_today(self) -> bool:
        return self.covers(timezone.localdate())

    @property
    def days_label(self) -> str:
        """ "Tuesday 8 December" or "8 December to 11 December"."""
        if self.first_day == self.last_day:
            return f"{self.first_day:%A %-d %B}"
        return f"{self.first_day:%-d %B} to {self.last_day:%-d %B}"

    @property
    def reason_label(self) -> str:
        """The reason as staff read it on the register: "ill", "holiday" or the family's own words."""
        if self.reason == self.Reason.OTHER and self.note:
            return self.note
        return self.get_reason_display().lower()
