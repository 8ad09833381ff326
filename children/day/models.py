"""The day's records: stays (signed in and out), the care log with sleep checks, and accidents or incidents."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import get_text_list

from children.models import Child


def clock(moment: datetime) -> str:
    """A time of day as the nursery reads it (its own time zone), e.g. 13:05."""
    return f"{timezone.localtime(moment):%H:%M}"


def names_of(children: Iterable[Child]) -> str:
    """Children's names as a sentence says them: "Ava, Leo and Zara"."""
    return get_text_list([child.known_as for child in children], "and")


class Attendance(models.Model):
    """One stay at the nursery: signed in, then signed out (a child may come back later the same day)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attendances")
    day = models.DateField(db_index=True)
    signed_in_at = models.DateTimeField()
    signed_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_out_at = models.DateTimeField(null=True, blank=True)
    signed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who took the child home, as staff chose them at sign-out (a name, kept even if the family later
    # takes that person off their list).
    collected_by = models.CharField("collected by", max_length=250, blank=True)

    class Meta:
        ordering = ["day", "signed_in_at"]
        constraints = [
            # A child is either here or not: never two open stays at once.
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(signed_out_at__isnull=True), name="one_open_attendance_per_child"
            ),
            models.CheckConstraint(
                condition=models.Q(signed_out_at__isnull=True) | models.Q(signed_out_at__gte=models.F("signed_in_at")),
                name="attendance_signed_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} on {self.day}"


class Amount(models.TextChoices):
    ALL = "all", "All"
    MOST = "most", "Most"
    HALF = "half", "Half"
    LITTLE = "little", "A little"
    NONE = "none", "None"


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", "Breakfast"
    MORNING_SNACK = "morning_snack", "Morning snack"
    LUNCH = "lunch", "Lunch"
    AFTERNOON_SNACK = "afternoon_snack", "Afternoon snack"
    TEA = "tea", "Tea"
    DRINK = "drink", "Drink"


class Condition(models.TextChoices):
    WET = "wet", "Wet"
    SOILED = "soiled", "Soiled"
    DRY = "dry", "Dry"


class CareEntry(models.Model):
    """One line of a child's daily care log. Which fields matter depends on ``kind``."""

    class Kind(models.TextChoices):
        MEAL = "meal", "Food and drink"
        SLEEP = "sleep", "Sleep"
        NAPPY = "nappy", "Nappy"
        TOILET = "toilet", "Toilet"
        CARE = "care", "Personal care"
        NOTE = "note", "Note"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    day = models.DateField(db_index=True)
    at = models.DateTimeField(help_text="When it happened (for sleep: when the child fell asleep).")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Sleep only: when the child woke up.")
    meal = models.CharField(max_length=20, choices=Meal.choices, blank=True)
    amount = models.CharField("how much", max_length=10, choices=Amount.choices, blank=True)
    condition = models.CharField(max_length=10, choices=Condition.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", help_text="Who did it."
    )
    recorded_at = models.DateTimeField(auto_now=True)
    # Who made the last tap or change (the "by" above is who did the care): Undo is theirs alone.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "care entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("at")),
                name="care_entry_ends_after_start",
            ),
            # A child cannot be asleep twice at once.
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(kind="sleep", ends_at__isnull=True),
                name="one_open_sleep_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child}: {self.summary}"

    @property
    def summary(self) -> str:
        """The entry in a few words, as staff and parents read it."""
        if self.kind == self.Kind.MEAL:
            return f"{self.get_meal_display() or 'Food'}: {self.get_amount_display().lower() or 'had some'}"
        if self.kind == self.Kind.SLEEP:
            if self.ends_at:
                return f"Slept {clock(self.at)} to {clock(self.ends_at)} ({self.sleep_minutes} min)"
            return f"Asleep since {clock(self.at)}"
        if self.kind in (self.Kind.NAPPY, self.Kind.TOILET):
            return f"{self.get_kind_display()}: {self.get_condition_display().lower()}"
        return self.note or self.get_kind_display()

    @property
    def sleep_minutes(self) -> int | None:
        if self.ends_at is None:
            return None
        return int((self.ends_at - self.at).total_seconds() // 60)


class SleepCheck(models.Model):
    """A check on a sleeping child (breathing, position, temperature): safe sleep asks for one every 10 minutes."""

    entry = models.ForeignKey(CareEntry, on_delete=models.CASCADE, related_name="checks")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # When the tap was made (``at`` may be typed earlier): Undo's window counts from here.
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"Checked {self.entry.child} at {self.at:%H:%M}"


class Incident(models.Model):
    """An accident or incident, which a parent reads and acknowledges the same day."""

    class Kind(models.TextChoices):
        ACCIDENT = "accident", "Accident (the child was hurt)"
        INCIDENT = "incident", "Incident (something else happened)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ACCIDENT)
    happened_at = models.DateTimeField()
    day = models.DateField(db_index=True)
    what_happened = models.TextField("what happened", max_length=5000)
    where = models.CharField("where it happened", max_length=120)
    first_aid = models.TextField(
        "first aid given", max_length=2000, blank=True, help_text="Leave empty if none was needed."
    )
    witness = models.CharField("who saw it", max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-happened_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.child} {self.happened_at:%d %b %Y %H:%M}"
