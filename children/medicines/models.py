"""A parent's request and written permission for the nursery to give a medicine, and each dose given.

EYFS statutory framework 3.45: written permission from a parent for each and every medicine before any is
given; a written record each time one is given; the parent told the same day. Medicines are usually given
only when prescribed (by a doctor, dentist, nurse or pharmacist); aspirin only when a doctor prescribed it.
"""

from datetime import date, time

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child
from core.private_media import UnguessableName


def parse_times(text: str) -> list[time]:
    """``"09:00, 13:30"`` as times of day, in order (the form has checked the text)."""
    times = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if part:
            hours, _, minutes = part.partition(":")
            times.append(time(int(hours), int(minutes or 0)))
    return sorted(times)


class MedicineRequest(models.Model):
    """A medicine the family asks the nursery to give, with their written permission (their account's
    confirmation, who and when). It covers the days from ``starts_on`` to ``ends_on`` unless withdrawn."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="medicine_requests")
    medicine = models.CharField("name of the medicine", max_length=120)
    dose = models.CharField("dose", max_length=60, help_text="How much each time, e.g. 5 ml or 1 puff.")
    times = models.CharField(
        "times to give it",
        max_length=120,
        blank=True,
        help_text="Times of day, e.g. 12:00, 15:30. Leave empty if only when needed, and say when in the reason.",
    )
    reason = models.TextField("what it is for", max_length=1000)
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    prescribed = models.BooleanField("prescribed for my child", default=True)
    prescribed_by = models.CharField(
        "prescribed by", max_length=120, blank=True, help_text="The doctor, dentist, nurse or pharmacist."
    )
    # Not prescribed: the nursery needs to know the child has had it before and when the last dose was.
    had_before = models.BooleanField("my child has had this medicine before with no reaction", default=False)
    last_given_at = models.DateTimeField("last given at home", null=True, blank=True)
    instructions = models.TextField(
        "anything else staff should know", max_length=1000, blank=True, help_text="e.g. keep in the fridge."
    )
    long_term = models.BooleanField("long-term medication (a health care plan)", default=False)
    plan = models.FileField(
        "health care plan or letter", upload_to=UnguessableName("children/medicine-plans"), blank=True
    )
    # The written permission: the parent's own account confirmed it, at this moment.
    consented_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    consented_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="medicine_request_ends_after_start",
                violation_error_message="The last day cannot be before the first day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} for {self.child}"

    @property
    def time_list(self) -> list[time]:
        return parse_times(self.times)

    def covers(self, day: date) -> bool:
        """Whether the family's permission stands for giving it on ``day``."""
        return self.withdrawn_at is None and self.starts_on <= day <= self.ends_on


class MedicineDose(models.Model):
    """One dose given at the nursery: when, how much, who gave it and who witnessed it; a parent reads it the
    same day, as an accident report."""

    request = models.ForeignKey(MedicineRequest, on_delete=models.CASCADE, related_name="doses")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="medicine_doses")
    day = models.DateField(db_index=True)
    given_at = models.DateTimeField("time given")
    dose_given = models.CharField("dose given", max_length=60)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    witness = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    # Given at another time or in another amount than agreed: what differed and the reason staff gave.
    outside_agreement = models.TextField("given differently from what was agreed", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request.medicine} given to {self.child} {self.given_at:%d %b %Y %H:%M}"
