"""The key person system's records: key person spells, key groups, family notices, feedback, planning, meetings."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child
from nursery.models import NurserySession, Room, StaffMember


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
    # The child's own buddy for this spell; without one, the key group's buddy covers.
    buddy = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="buddy_assignments"
    )
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


class KeyGroup(models.Model):
    """What a manager sets for one practitioner's key group: its size limit and the buddy who covers it.

    The group's children are the practitioner's current key children and its room is theirs, so
    moving a child between groups is changing their key person, with history.
    """

    key_person = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="key_group")
    size_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most key children for this practitioner. Leave empty for no limit."
    )
    buddy = models.ForeignKey(
        StaffMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buddy_for_groups",
        help_text="Covers the group when the key person is not in.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(buddy=models.F("key_person")), name="group_buddy_not_key_person")
        ]

    def __str__(self) -> str:
        return f"Key group of {self.key_person.user}"


class KeyPersonNotice(models.Model):
    """Tells a child's family on their home page that their key person changed (the e-mail goes by the outbox)."""

    assignment = models.OneToOneField(KeyPersonAssignment, on_delete=models.CASCADE, related_name="notice")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Notice of {self.assignment}"


class SessionFeedback(models.Model):
    """What parents hear at the end of a session their child attended: one per child, session and day.

    The unique constraint is what makes "never twice" hold when a button is pressed twice, a task is
    retried or two sweeps race: the second writer finds the first one's row.
    """

    class Status(models.TextChoices):
        READY = "ready", "Saved, being sent"
        SENT = "sent", "Sent to the family"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="session_feedback")
    session = models.ForeignKey(NurserySession, on_delete=models.CASCADE, related_name="feedback")
    day = models.DateField()
    summary = models.TextField(help_text="Assembled from the day's care log (and other sources) when sent.")
    note = models.TextField("a note for the family", max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the sweep sent it because nobody did at the end of the session.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When parents could first read it.")

    class Meta:
        ordering = ["-day", "-session__starts_at"]
        verbose_name_plural = "session feedback"
        constraints = [
            models.UniqueConstraint(fields=["child", "session", "day"], name="one_feedback_per_child_session_day")
        ]

    def __str__(self) -> str:
        return f"{self.child}: {self.session.name} on {self.day}"


# --- Weekly planning ------------------------------------------------------------------------------


class PlannedActivity(models.Model):
    """An activity a room plans for one week, for the key groups' open next steps.

    After the week the practitioner evaluates it: how it went and which children joined in.
    """

    class Day(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="planned_activities")
    week_of = models.DateField("week beginning", help_text="The Monday of the week.", db_index=True)
    title = models.CharField(max_length=200)
    description = models.TextField("what we will do", max_length=2000, blank=True)
    # Weekdays (0 = Monday) on which it happens.
    days = models.JSONField(default=list, blank=True)
    next_steps = models.ManyToManyField(
        "learning_stories.NextStep", blank=True, related_name="planned_activities", verbose_name="next steps it serves"
    )
    children = models.ManyToManyField(Child, blank=True, related_name="planned_activities")
    led_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities_led"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    evaluation = models.TextField("how it went", max_length=2000, blank=True)
    engaged = models.ManyToManyField(Child, blank=True, related_name="activities_engaged")
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["week_of", "pk"]
        verbose_name_plural = "planned activities"

    def __str__(self) -> str:
        return f"{self.title} ({self.room}, week of {self.week_of})"

    @property
    def day_names(self) -> list[str]:
        return [self.Day(day).label for day in sorted(self.days)]


# --- Consultations ---------------------------------------------------------------------------------


class ConsultationSlot(models.Model):
    """A time a key person offers for meeting a key child's family."""

    class Place(models.TextChoices):
        IN_PERSON = "in_person", "At the nursery"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone call"

    key_person = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="consultation_slots")
    starts_at = models.DateTimeField(db_index=True)
    minutes = models.PositiveSmallIntegerField("length in minutes", default=20)
    place = models.CharField("how", max_length=10, choices=Place.choices, default=Place.IN_PERSON)
    where = models.CharField(
        "where or how to join", max_length=200, blank=True, help_text="A room, a video link or a phone number."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0), name="slot_has_a_length")]

    def __str__(self) -> str:
        return f"{self.key_person.user} at {timezone.localtime(self.starts_at):%d %b %H:%M}"


class Consultation(models.Model):
    """A meeting between a child's family and their key person: asked for by the family, or booked in
    a slot the key person offered. The database refuses two live bookings of one slot."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked for"
        BOOKED = "booked", "Booked"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consultations")
    key_person = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="consultations")
    slot = models.ForeignKey(
        ConsultationSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField("what you would like to talk about", max_length=2000, blank=True)
    preferred_times = models.CharField("times that suit you", max_length=300, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField("notes for staff", max_length=5000, blank=True)
    agreed_summary = models.TextField(
        "summary agreed with the family",
        max_length=5000,
        blank=True,
        help_text="The family reads this; the notes are for staff only.",
    )
    notes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status__in=["booked", "held"]),
                name="one_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"Meeting about {self.child} ({self.get_status_display()})"


class ConsultationNotice(models.Model):
    """Tells one person on their meetings page what the other side did about a meeting (the e-mail goes by
    the outbox)."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "asked for a meeting"
        BOOKED = "booked", "booked a meeting"
        MOVED = "moved", "moved a meeting"
        CANCELLED = "cancelled", "cancelled a meeting"
        NOTES = "notes", "shared a summary of the meeting"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What the notice is about (e.g. which slot was booked), so the same event never tells anyone twice.
    event = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "recipient", "event"], name="one_notice_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.get_kind_display()}"


class MeetingRequest(models.Model):
    """The key person (or a manager) asks a family to meet, offering one to three times; the family takes one
    or proposes another, and the agreed time becomes a booked Consultation (with its prepared summary)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the family"
        ACCEPTED = "accepted", "Accepted"
        PROPOSED = "proposed", "The family proposed another time"
        CANCELLED = "cancelled", "Cancelled"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="meeting_requests")
    key_person = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="meeting_requests")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("what we would like to talk about", max_length=1000)
    urgent = models.BooleanField("we would like to talk soon", default=False)
    place = models.CharField(
        "how", max_length=10, choices=ConsultationSlot.Place.choices, default=ConsultationSlot.Place.IN_PERSON
    )
    minutes = models.PositiveSmallIntegerField("length in minutes", default=20)
    # The times offered (one to three); the family takes one or proposes their own.
    first_time = models.DateTimeField()
    second_time = models.DateTimeField(null=True, blank=True)
    third_time = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    proposed_time = models.DateTimeField(null=True, blank=True)
    proposal_note = models.CharField("a note for the key person", max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Meeting asked about {self.child} ({self.get_status_display()})"

    @property
    def times(self) -> list:
        return [when for when in (self.first_time, self.second_time, self.third_time) if when is not None]
