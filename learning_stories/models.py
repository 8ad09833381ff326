"""The EYFS framework as data, and each nursery's choice of it.

A framework version is never rewritten: a change to the guidance is loaded as a new ``Framework`` row
with its own areas, aspects, characteristics, bands and statements, so observations tagged against an
old version keep pointing at exactly what they were tagged with.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from children.models import Child
from core.private_media import UnguessableName
from nursery.models import Nursery

from .wellbeing.scales import INVOLVEMENT_CHOICES, WELLBEING_CHOICES


class Framework(models.Model):
    """One version of one curriculum guidance, e.g. "Development Matters" for the EYFS 2024."""

    code = models.SlugField(max_length=50, help_text="Stays the same across versions, e.g. development-matters.")
    version = models.CharField(max_length=20, help_text="e.g. 2024")
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=5000, blank=True, help_text="What this guidance is, in plain words.")
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
    explanation = models.TextField(max_length=5000, help_text="What this area is about, in words a parent understands.")
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
    explanation = models.TextField(max_length=5000, help_text="What the goal is about, in plain words.")
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
    explanation = models.TextField(max_length=5000)
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
    explanation = models.TextField(max_length=2000, blank=True)
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
    text = models.TextField(max_length=2000)
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


class Observation(models.Model):
    """One entry in the learning story: something staff saw at the nursery, or a family shared from home.

    Home contributions are observations too (``source=HOME``), so the story is one timeline, comments
    and photos work the same way, and the key person tags their areas afterwards.
    """

    class Source(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        HOME = "home", "Home"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_REVIEW = "awaiting_review", "Waiting for a manager"
        PUBLISHED = "published", "Shared"
        RETURNED = "returned", "Returned for changes"

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="observations")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.NURSERY)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Made by the capture page before its first save: a retried or double-tapped submit finds this draft.
    client_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    observed_at = models.DateTimeField("when", default=timezone.now, db_index=True)
    text = models.TextField("what happened", max_length=10000, blank=True)
    child_voice = models.TextField("the child's own words", max_length=2000, blank=True)
    children = models.ManyToManyField(Child, through="ObservationChild", related_name="observations")
    # What it was tagged with, against the framework version in use at the time.
    framework = models.ForeignKey(Framework, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    areas = models.ManyToManyField(Area, blank=True, related_name="observations")
    aspects = models.ManyToManyField(Aspect, blank=True, related_name="observations")
    statements = models.ManyToManyField(Statement, blank=True, related_name="observations")
    characteristics = models.ManyToManyField(Characteristic, blank=True, related_name="observations")
    # The Leuven scales (wellbeing.scales), 1 to 5, optional: seen by staff, and by families if the nursery says so.
    wellbeing = models.PositiveSmallIntegerField(null=True, blank=True, choices=WELLBEING_CHOICES)
    involvement = models.PositiveSmallIntegerField(null=True, blank=True, choices=INVOLVEMENT_CHOICES)
    staff_only = models.BooleanField(
        "staff only", default=False, help_text="Kept in the child's record but never shown to families."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField("manager's comment", max_length=2000, blank=True)
    # Entries brought in with a leaver pack from another setting name that setting here ("" = our own).
    imported_from = models.CharField("from another setting", max_length=200, blank=True)
    # For home contributions: when the key person (or another member of staff) read it.
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-observed_at", "-pk"]
        indexes = [
            models.Index(fields=["nursery", "status"]),
            # The home contributions nobody has read yet: a handful, counted for every key group on the
            # key person's dashboard (without it PostgreSQL reads every observation of the group to find none).
            models.Index(
                fields=["id"], condition=Q(source="home", read_at__isnull=True), name="observation_home_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} observation {self.pk} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_home(self) -> bool:
        return self.source == self.Source.HOME


class ObservationChild(models.Model):
    """A child in an observation, with the next steps planned for that child."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="observation_links")
    next_steps = models.TextField("next steps", max_length=2000, blank=True)

    class Meta:
        ordering = ["child__first_name", "child__last_name"]
        constraints = [models.UniqueConstraint(fields=["observation", "child"], name="child_once_per_observation")]

    def __str__(self) -> str:
        return f"{self.child} in {self.observation_id}"


class ObservationPhoto(models.Model):
    """A photo re-encoded without EXIF. Served only through a view that checks the viewer's right to it."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="photos")
    THUMBNAIL = ("image", "thumbnail")  # made by core.tasks.make_thumbnail
    DISPLAY = ("original", "image")  # likewise, from a camera JPEG stripped in the request (core.images)
    # Empty while the photo is being prepared (or, with no original either, when it could not be): pages show a
    # placeholder and its addresses answer 404.
    image = models.FileField(upload_to=UnguessableName("stories"), blank=True)
    # The upload, stripped of its metadata but full size, until the display copy is saved. Never served.
    original = models.FileField(upload_to=UnguessableName("stories/originals"), blank=True)
    thumbnail = models.FileField(upload_to=UnguessableName("stories/thumbnails"), blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # Who is in the photo: consent is checked per child (own story; other children's stories).
    children = models.ManyToManyField(Child, blank=True, related_name="photos")
    # False until someone chooses who is in it; until then it shows the observation's children.
    children_chosen = models.BooleanField(default=False)
    # Faces (learning_stories.faces): looked for once the display copy exists; a practitioner's check that
    # every face has a box, asked for when fewer were found than children are in the photo.
    faces_detected = models.BooleanField(default=False)
    faces_checked = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The tablet's key for a photo queued offline (static/js/outbox.js): sent again, it is not added twice.
    client_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "client_key"], name="observation_photo_client_key_once")
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk} of observation {self.observation_id}"

    @property
    def is_ready(self) -> bool:
        """Shown once both its display copy and thumbnail exist; until then, "being prepared"."""
        return bool(self.image) and bool(self.thumbnail)

    @property
    def failed(self) -> bool:
        """Its upload went before a display copy was made (core.images.fill_display): it never will be."""
        return not self.image and not self.original


class Comment(models.Model):
    """A comment on one child's view of an entry: in a group observation each family talks only with staff."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="comments")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="story_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_staff = models.BooleanField(default=False)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    # When staff read a family's comment (staff comments are born read).
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.observation_id}"


class NotificationPreference(models.Model):
    """How a family member hears about new entries in their children's stories."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Straight away, one e-mail per entry"
        DAILY = "daily", "One e-mail a day with everything new"
        OFF = "off", "No e-mails (I'll look in KeyStory)"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_notices")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class EntryNotice(models.Model):
    """One family member to be told about one entry (never twice: the row is unique), and the e-mail that
    told them."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="notices")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The outbox key of the e-mail that carries it ("entry:…" at once, or a day's "digest:…"); empty while
    # it waits for the next daily digest.
    mail_key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "observation"], name="one_notice_per_person_per_entry")
        ]

    def __str__(self) -> str:
        return f"Notice to {self.recipient} about {self.observation_id}"


class AssessmentPoint(models.Model):
    """A moment the nursery sets for summing up every child's development, e.g. "Autumn term 2026"."""

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="assessment_points")
    name = models.CharField(max_length=80)
    # Assessments at this point are made in this window; trackers order points by it.
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nursery", "name"], name="assessment_point_name_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="assessment_point_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A key person's judgement of one child in one area (or one early learning goal) at one point.

    Under five the judgement is the child's band and whether they are on track for it; for a child in
    the reception year it is "emerging" or "expected" against an early learning goal (an aspect).
    """

    class Judgement(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        NOT_ON_TRACK = "not_on_track", "Not on track"
        EMERGING = "emerging", "Emerging (not yet at the early learning goal)"
        EXPECTED = "expected", "Expected (at the early learning goal)"

    # Judgements that count as "on track" in trackers.
    ON_TRACK_JUDGEMENTS = (Judgement.ON_TRACK, Judgement.EXPECTED)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assessments")
    point = models.ForeignKey(AssessmentPoint, on_delete=models.PROTECT, related_name="assessments")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="assessments")
    aspect = models.ForeignKey(Aspect, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments")
    band = models.ForeignKey(Band, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments")
    judgement = models.CharField(max_length=15, choices=Judgement.choices)
    rationale = models.TextField("why", max_length=2000, help_text="A sentence or two on what the key person has seen.")
    observations = models.ManyToManyField(Observation, blank=True, related_name="assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["point__starts_on", "area__order", "aspect__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "point", "area"],
                condition=Q(aspect__isnull=True),
                name="one_area_assessment_per_point",
            ),
            models.UniqueConstraint(
                fields=["child", "point", "aspect"],
                condition=Q(aspect__isnull=False),
                name="one_aspect_assessment_per_point",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child}: {self.aspect or self.area} at {self.point}"

    @property
    def is_on_track(self) -> bool:
        return self.judgement in self.ON_TRACK_JUDGEMENTS


class ProgressCheck(models.Model):
    """The progress check at age two: a short written summary of the prime areas, shared with the family."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being written"
        SHARED = "shared", "Shared with the family"
        COMPLETED = "completed", "Completed"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="progress_checks")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    checked_on = models.DateField("date of the check", default=timezone.localdate)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    strengths = models.TextField("what the child is good at", max_length=5000, blank=True)
    less_than_expected = models.TextField("where progress is less than expected", max_length=5000, blank=True)
    setting_plan = models.TextField("what the nursery will do", max_length=5000, blank=True)
    family_plan = models.TextField("what the family can do at home", max_length=5000, blank=True)
    parent_comments = models.TextField("the family's view", max_length=5000, blank=True)
    parent_commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent_commented_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    # Sent to the health visitor for the 2-year review: only with the family's consent for that purpose.
    health_visitor_shared_at = models.DateTimeField(null=True, blank=True)
    # Who it went to and how (e.g. "Jo Smith, Norwich health visiting team, by secure NHS mail").
    health_visitor_shared_to = models.CharField(max_length=200, blank=True)
    health_visitor_shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"Progress check for {self.child} ({self.checked_on})"


class ProgressCheckArea(models.Model):
    """The check's summary of one prime area."""

    progress_check = models.ForeignKey(ProgressCheck, on_delete=models.CASCADE, related_name="area_summaries")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(max_length=5000, blank=True)
    on_track = models.BooleanField("progress as expected", null=True, blank=True)

    class Meta:
        ordering = ["area__order"]
        constraints = [models.UniqueConstraint(fields=["progress_check", "area"], name="one_summary_per_prime_area")]

    def __str__(self) -> str:
        return f"{self.area} in {self.progress_check}"


class NextStep(models.Model):
    """What the key person plans to help one child learn next, until an observation shows it achieved."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "No longer needed"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="planned_steps")
    text = models.TextField("next step", max_length=2000)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Where it came from: an observation's next steps, or an assessment.
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="next_steps_set"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="next_steps"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The observation that shows the step achieved closes the loop.
    achieved_by = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="next_steps_achieved"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text


from .clips.models import ObservationClip  # noqa: E402,F401  (video and sound clips, issue 18)
from .faces.models import PhotoFace, PhotoVariant  # noqa: E402, F401  (one app, models by subject)
