"""The EYFS framework as data, and each nursery's choice of it.

A framework version is never rewritten: a change to the guidance is loaded as a new ``Framework`` row
with its own areas, aspects, characteristics, bands and statements, so observations tagged against an
old version keep pointing at exactly what they were tagged with.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from nursery.models import Nursery


class Framework(models.Model):
    """One version of one curriculum guidance, e.g. "Development Matters" for the EYFS 2024."""

    code = models.SlugField(max_length=50, help_text="Stays the same across versions, e.g. development-matters.")
    version = models.CharField(max_length=20, help_text="e.g. 2024")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="What this guidance is, in plain words.")
    # What the guidance calls its age groups: Development Matters has "bands", Birth to 5 Matters "ranges".
    band_term = models.CharField(max_length=20, default="band")
    # The framework a nursery uses until a manager chooses one.
    is_default = models.BooleanField(default=False)
    # A superseded version stays for old observations but is not offered for new ones.
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_version_unique"),
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_framework"),
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """One of the seven areas of learning: three prime areas and four specific ones."""

    class Kind(models.TextChoices):
        PRIME = "prime", "Prime area"
        SPECIFIC = "specific", "Specific area"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="areas")
    code = models.SlugField(max_length=10, help_text="Short code, e.g. CL for Communication and Language.")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    explanation = models.TextField(help_text="What this area is about, in words a parent understands.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique_in_framework")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_prime(self) -> bool:
        return self.kind == self.Kind.PRIME


class Aspect(models.Model):
    """One of the 17 early learning goals, grouped by area (e.g. Speaking, within Communication and Language)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="aspects")
    name = models.CharField(max_length=80)
    explanation = models.TextField(help_text="What the goal is about, in plain words.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__order", "order"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="aspect_name_unique_in_area")]

    def __str__(self) -> str:
        return self.name


class Characteristic(models.Model):
    """A characteristic of effective learning: how a child learns rather than what (e.g. Active learning)."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="characteristics")
    name = models.CharField(max_length=80)
    explanation = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="characteristic_name_unique_in_framework")
        ]

    def __str__(self) -> str:
        return self.name


class CharacteristicPart(models.Model):
    """One part of a characteristic, e.g. "Keeping on trying" within Active learning."""

    characteristic = models.ForeignKey(Characteristic, on_delete=models.PROTECT, related_name="parts")
    name = models.CharField(max_length=120)
    explanation = models.TextField(blank=True)
    # The same idea as the other guidance words it, so a nursery switching framework recognises it.
    also_known_as = models.CharField(max_length=160, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["characteristic__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["characteristic", "name"], name="part_name_unique_in_characteristic")
        ]

    def __str__(self) -> str:
        return self.name


class Band(models.Model):
    """An age group of a framework: a Development Matters band or a Birth to 5 Matters range.

    Ranges overlap, so a child may be in two at once. ``max_months`` is exclusive; empty means "and older".
    """

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="bands")
    name = models.CharField(max_length=60)
    min_months = models.PositiveSmallIntegerField()
    max_months = models.PositiveSmallIntegerField(null=True, blank=True)
    explanation = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="band_name_unique_in_framework"),
            models.CheckConstraint(
                condition=Q(max_months__isnull=True) | Q(max_months__gt=models.F("min_months")),
                name="band_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def age_label(self) -> str:
        if self.max_months is None:
            return f"{self.min_months} months and older"
        return f"{self.min_months} to {self.max_months} months"


class Statement(models.Model):
    """What children typically show at one age band in one area (and often one aspect).

    Statements from the guidance have no nursery; a nursery may add its own. A statement is retired,
    never deleted, so whatever was tagged with it stays as it was.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="statements")
    aspect = models.ForeignKey(Aspect, null=True, blank=True, on_delete=models.PROTECT, related_name="statements")
    band = models.ForeignKey(Band, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField()
    nursery = models.ForeignKey(Nursery, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    # When a statement already in use is reworded, the new wording is a new row that replaces it.
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["area__order", "band__order", "aspect__order", "order", "pk"]
        indexes = [models.Index(fields=["band", "area"], name="statement_band_area")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_own(self) -> bool:
        """Written by a nursery rather than taken from the guidance."""
        return self.nursery_id is not None

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class NurseryFramework(models.Model):
    """The framework a nursery has chosen (the nursery app sits below this one, so the choice lives here)."""

    nursery = models.OneToOneField(Nursery, on_delete=models.CASCADE, related_name="framework_choice")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.nursery}: {self.framework}"
