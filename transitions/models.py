"""Room moves and leavers: the plan, its trial visits and handover, the transition report and the leaver pack.
New starters: the settling-in plan and its sessions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from children.models import Child
from core.private_media import UnguessableName
from nursery.models import Nursery, Room, StaffMember

from .links import ExpiringLink, new_token


class TransitionPlan(models.Model):
    """A child's move to another room, or on to school or another setting."""

    class Kind(models.TextChoices):
        ROOM_MOVE = "room_move", "Moving room"
        SCHOOL = "school", "Starting school"
        OTHER_SETTING = "other_setting", "Moving to another setting"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        SETTLING = "settling", "Trial visits under way"
        READY = "ready", "Ready to move"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.PLANNED, Status.SETTLING, Status.READY)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="transition_plans")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    planned_on = models.DateField("move date", help_text="The first day in the new room, or the last day here.")
    from_room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_key_person = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_key_person = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Leavers: where the child goes next.
    receiving_setting = models.CharField("school or setting", max_length=200, blank=True)
    receiving_contact = models.EmailField("their e-mail", blank=True)
    # Leavers to school: the meeting with parents before the child leaves.
    parents_meeting_at = models.DateTimeField("meeting with parents", null=True, blank=True)
    parents_meeting_notes = models.TextField("notes from the meeting", max_length=5000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=["planned", "settling", "ready"]),
                name="one_open_transition_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.child} on {self.planned_on}"

    @property
    def is_leaving(self) -> bool:
        return self.kind != self.Kind.ROOM_MOVE


class TrialVisit(models.Model):
    """A settling visit to the new room, repeated until the child is confident."""

    class Outcome(models.TextChoices):
        NOT_YET = "", "Not happened yet"
        CONFIDENT = "confident", "Confident"
        SETTLING = "settling", "Settling, needs more visits"
        UNSETTLED = "unsettled", "Unsettled"

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="trial_visits")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    accompanied_by = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    how_it_went = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after")]

    def __str__(self) -> str:
        return f"Visit {self.starts_at:%d %b %H:%M} for {self.plan.child}"


class HandoverNote(models.Model):
    """What the current key person tells the new one: routines, comforts, what works, what to watch."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="handover_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Handover note on {self.plan_id}"


class TransitionReport(models.Model):
    """A summary of the child's learning and needs for the next room or setting, pre-filled then edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being written"
        AWAITING_REVIEW = "awaiting_review", "Waiting for a manager"
        APPROVED = "approved", "Approved"
        SHARED = "shared", "Shared with the family"

    plan = models.OneToOneField(TransitionPlan, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # One paragraph per area of learning, keyed by area code, e.g. {"PSED": "...", "CL": "..."}.
    areas = models.JSONField(default=dict, blank=True)
    characteristics = models.TextField("how the child learns", max_length=5000, blank=True)
    interests = models.TextField(max_length=5000, blank=True)
    needs = models.TextField("needs and support", max_length=5000, blank=True)
    attendance = models.TextField(max_length=5000, blank=True)
    parent_view = models.TextField("the family's view", max_length=5000, blank=True)
    child_voice = models.TextField("the child's voice", max_length=5000, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    review_comment = models.TextField("manager's comment", max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"Transition report for {self.plan.child}"


class LeaverPack(models.Model):
    """One build of a child's leaver pack (a ZIP), made by a Celery job with its progress shown."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Link expired"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="leaver_packs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to=UnguessableName("packs"), blank=True)
    size = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Leaver pack {self.pk} for {self.child}"


class SchoolShareLink(ExpiringLink):
    """An expiring link for the receiving school: works only while the family's consent stands."""

    pack = models.ForeignKey(LeaverPack, on_delete=models.CASCADE, related_name="school_links")
    school = models.CharField(max_length=200)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Link for {self.school}"


class SchoolDownload(models.Model):
    """Each time the school opened the link (privacy rule 5: every export can be answered for)."""

    link = models.ForeignKey(SchoolShareLink, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Download by {self.link.school} at {self.at:%d %b %Y %H:%M}"


class PackImport(models.Model):
    """A leaver pack from another setting brought into this nursery: the child arrives as enrolling."""

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="pack_imports")
    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="pack_import")
    from_setting = models.CharField(max_length=200)
    format_version = models.PositiveSmallIntegerField()
    entries = models.PositiveIntegerField(default=0)
    photos = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    # Assessments, progress checks, next steps and the transition report, kept as staff-only entries.
    records = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"Pack from {self.from_setting} for {self.child}"


class StarterPlan(models.Model):
    """A new starter's settling in: a visit before the first day, the key person introduced, sessions.

    Kept apart from ``TransitionPlan``: a starter has no room move to apply and may overlap a later move.
    """

    class VisitKind(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        STAY_AND_PLAY = "stay_and_play", "Stay and play at the nursery"

    class IntroducedHow(models.TextChoices):
        VISIT = "visit", "Met at a visit"
        PHOTO_CARD = "photo_card", "Photo card sent home"
        CALL = "call", "Phone or video call"

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="starter_plan")
    visit_kind = models.CharField("visit before starting", max_length=15, choices=VisitKind.choices, blank=True)
    visit_on = models.DateField("visit date", null=True, blank=True)
    visit_by = models.CharField("who went", max_length=200, blank=True)
    visit_notes = models.TextField("notes from the visit", max_length=2000, blank=True)
    introduced_on = models.DateField("key person introduced on", null=True, blank=True)
    introduced_how = models.CharField("how", max_length=15, choices=IntroducedHow.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Settling-in plan for {self.child}"


class SettlingSession(models.Model):
    """A settling session before (or in the first weeks after) the first day, and how the child got on."""

    class Outcome(models.TextChoices):
        NOT_YET = "", "Not happened yet"
        SETTLED = "settled", "Settled"
        UNSETTLED = "unsettled", "Unsettled"

    plan = models.ForeignKey(StarterPlan, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField("length in minutes")
    outcome = models.CharField("how it went", max_length=10, choices=Outcome.choices, blank=True)
    note = models.CharField("a short note", max_length=300, blank=True)
    what_helped = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=15, minutes__lte=600), name="settling_session_length")
        ]

    def __str__(self) -> str:
        return f"Settling session {self.starts_at:%d %b %H:%M} for {self.plan.child}"


# Other carers (a childminder, a therapist): in their own module, registered with the app here.
from .carer_links.models import CarerLinkView, CarerNote, CarerShareLink, OtherCarer  # noqa: E402, F401
