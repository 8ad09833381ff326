"""The nursery (the tenant every record belongs to), its rooms and sessions, its staff, their weeks and absences."""

from datetime import date, time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.models import Invitation
from core.private_media import UnguessableName


class NurseryGroup(models.Model):
    """Nurseries run by one organisation in one install; its owners create nurseries and see across them.

    A nursery started on its own is a group of one, so its first manager can add a second nursery later.
    """

    name = models.CharField(max_length=120)
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="owned_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


NOT_ARRIVED_AFTER = time(10, 0)


class Nursery(models.Model):
    """The setting: the tenant every record belongs to."""

    group = models.ForeignKey(NurseryGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="nurseries")
    name = models.CharField(max_length=120)
    address = models.TextField(max_length=500, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField("e-mail address", blank=True)
    ofsted_urn = models.CharField(
        "Ofsted URN", max_length=12, blank=True, help_text="The unique reference number Ofsted gave the setting."
    )
    # Set-up checklist steps a manager has confirmed where no record shows the decision (e.g. review).
    setup_confirmed = models.JSONField(default=list, blank=True)
    # The Leuven wellbeing and involvement ratings in the family's view of the story (staff always see them).
    families_see_wellbeing = models.BooleanField(default=False)
    # Whether a manager reviews observations before parents see them (used by learning stories).
    observations_need_review = models.BooleanField(default=True)
    # How long a leaver's family can still sign in to read the story and download the leaver pack.
    leaver_access_days = models.PositiveSmallIntegerField(
        "days a leaver's family keeps access", default=90, help_text="After the child's last day."
    )
    # Every member of staff signs in with a code from their phone as well as their password (managers,
    # deputies and group owners always do unless the install's TWO_FACTOR_REQUIRED is off).
    staff_two_factor_required = models.BooleanField(
        "all staff use two-step sign-in",
        default=False,
        help_text="Everyone on the staff types a code from an app on their phone after their password.",
    )
    # A child booked in, not signed in and not reported absent by then shows as "not arrived" on the room's
    # register, so someone calls the family. Read in the nursery's own time (Europe/London).
    not_arrived_after = models.TimeField(
        "call families of children not arrived by",
        default=NOT_ARRIVED_AFTER,
        help_text="A child booked in who is not signed in and not reported absent by this time is shown as "
        '"not arrived" on the room\'s register, so that someone calls the family.',
    )
    # Short clips in observations and home contributions (learning_stories.clips): the largest upload and
    # the longest clip the nursery takes. Kept modest: every clip is transcoded and stored for years.
    clip_video_max_mb = models.PositiveSmallIntegerField(
        "largest video (MB)", default=100, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    clip_video_max_seconds = models.PositiveSmallIntegerField(
        "longest video (seconds)", default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    clip_audio_max_mb = models.PositiveSmallIntegerField(
        "largest sound recording (MB)", default=20, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    clip_audio_max_seconds = models.PositiveSmallIntegerField(
        "longest sound recording (seconds)", default=120, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    # A room's shared tablet goes back to "Who's using the tablet?" after this long unused (nursery.tablets).
    tablet_idle_minutes = models.PositiveSmallIntegerField(
        "lock a room's tablet after this many minutes unused",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "nurseries"

    def __str__(self) -> str:
        return self.name


class RoomQuerySet(models.QuerySet):
    def active(self, day: date | None = None) -> "RoomQuerySet":
        """Rooms not archived by ``day`` (today in London by default): the ones offered for new choices."""
        day = day or timezone.localdate()
        return self.filter(models.Q(archived_on__isnull=True) | models.Q(archived_on__gt=day))


class Room(models.Model):
    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=80)
    min_age_months = models.PositiveSmallIntegerField("youngest age (months)", default=0)
    max_age_months = models.PositiveSmallIntegerField("oldest age (months)", default=60)
    capacity = models.PositiveSmallIntegerField(help_text="Most children in the room at once.")
    # An archived room takes no new children or staff; records that name it keep doing so.
    archived_on = models.DateField(null=True, blank=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["min_age_months", "name"]
        constraints = [
            models.UniqueConstraint(fields=["nursery", "name"], name="room_name_unique_in_nursery"),
            models.CheckConstraint(
                condition=models.Q(min_age_months__lte=models.F("max_age_months")), name="room_age_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NurserySession(models.Model):
    """A session the nursery offers, e.g. morning 08:00 to 13:00. Bookings, cover, ratios and feedback use these."""

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(max_length=60, help_text="e.g. Morning, Afternoon, Full day")
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["starts_at", "ends_at"]
        constraints = [
            models.UniqueConstraint(fields=["nursery", "name"], name="session_name_unique_in_nursery"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_at:%H:%M} to {self.ends_at:%H:%M})"


class StaffQuerySet(models.QuerySet):
    def in_post(self, day: date | None = None) -> "StaffQuerySet":
        """Posts held on ``day`` (today in London by default): not removed, and not past the leaving date."""
        day = day or timezone.localdate()
        return self.filter(models.Q(leaves_on__isnull=True) | models.Q(leaves_on__gt=day), is_active=True)

    def key_person_candidates(self, day: date | None = None) -> "StaffQuerySet":
        """Who may be offered as a child's key person or buddy: any post in post, unless turned off."""
        return self.in_post(day).filter(can_be_key_person=True)

    def managing(self) -> "StaffQuerySet":
        return self.filter(role__in=StaffMember.MANAGING_ROLES)


class StaffMember(models.Model):
    """A person's post at one nursery."""

    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        DEPUTY = "deputy", "Deputy manager"
        ROOM_LEADER = "room_leader", "Room leader"
        PRACTITIONER = "practitioner", "Practitioner"

    # A deputy has the manager's rights; a room leader a practitioner's.
    MANAGING_ROLES = (Role.MANAGER, Role.DEPUTY)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_posts")
    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    job_title = models.CharField(max_length=80, blank=True, help_text="e.g. Room leader, Deputy manager, SENCO")
    # The special educational needs co-ordinator sees every support plan in the nursery.
    is_senco = models.BooleanField("SENCO", default=False, help_text="Special educational needs co-ordinator.")
    is_safeguarding_lead = models.BooleanField(
        "designated safeguarding lead", default=False, help_text="Takes the lead on child protection."
    )
    can_be_key_person = models.BooleanField(
        "may be a key person", default=True, help_text="Offered as a key person or buddy for children."
    )
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")
    # Early years qualification level (2, 3 … 6); level 6 changes the ratio for over-threes.
    qualification_level = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    starts_on = models.DateField("start date", null=True, blank=True)
    # From this day the person can no longer sign in as staff here; everything they recorded stays.
    leaves_on = models.DateField("leaving date", null=True, blank=True)
    # Private media, always written through core.images (checked, EXIF stripped) and served by a view.
    THUMBNAIL = ("photo", "photo_thumbnail")  # made by core.tasks.make_thumbnail
    photo = models.FileField(upload_to=UnguessableName("staff/photos"), blank=True)
    photo_thumbnail = models.FileField(upload_to=UnguessableName("staff/thumbnails"), blank=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "nursery"], name="one_post_per_person_per_nursery"),
            models.CheckConstraint(
                condition=models.Q(leaves_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(leaves_on__gte=models.F("starts_on")),
                name="staff_leaves_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.nursery})"

    @property
    def is_manager(self) -> bool:
        """A manager or deputy: may run the nursery's pages (not through a PIN session on a room's tablet,
        which marks the post ``in_pin_session``: see ``nursery.selectors.all_posts``)."""
        return self.role in self.MANAGING_ROLES and not getattr(self, "in_pin_session", False)


class Weekday(models.IntegerChoices):
    """Days as ``date.weekday()`` numbers them; booking and working patterns use these."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingPattern(models.Model):
    """One line of a staff member's usual week: this session on this weekday. Cover and ratios use it."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="working_pattern")
    session = models.ForeignKey(NurserySession, on_delete=models.CASCADE, related_name="working_pattern")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)

    class Meta:
        ordering = ["weekday", "session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "session", "weekday"], name="one_shift_per_session_per_weekday")
        ]

    def __str__(self) -> str:
        return f"{self.staff.user} — {self.get_weekday_display()} {self.session.name}"


class StaffAbsence(models.Model):
    """Whole days a member of staff is away, first and last day included."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "Holiday"
        SICKNESS = "sickness", "Sickness"
        TRAINING = "training", "Training"
        OTHER = "other", "Other"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField("first day away")
    ends_on = models.DateField("last day away")
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "staff__user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.user} — {self.get_kind_display()} {self.starts_on} to {self.ends_on}"


class StaffInvitation(models.Model):
    """What accepting an invitation grants: a post at this nursery."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="staff_grant")
    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="staff_invitations")
    role = models.CharField(max_length=20, choices=StaffMember.Role.choices)
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    job_title = models.CharField(max_length=80, blank=True)
    # The first manager of a nursery started on its own also becomes the owner of its group.
    makes_group_owner = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.invitation.email} as {self.get_role_display()} at {self.nursery}"


class GroupOwnerInvitation(models.Model):
    """What accepting an invitation grants: becoming one of a group's owners (no post at any nursery)."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="group_owner_grant")
    group = models.ForeignKey(NurseryGroup, on_delete=models.CASCADE, related_name="owner_invitations")

    def __str__(self) -> str:
        return f"{self.invitation.email} as an owner of {self.group}"


class TabletDevice(models.Model):
    """A browser a manager made a room's shared tablet: staff switch in on it with their PIN (``nursery.tablets``).

    The browser holds a long random token in a cookie; only its SHA-256 is kept here. Revoking it signs out
    whoever is switched in and turns the browser back into an ordinary one.
    """

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="tablets")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="tablets")
    name = models.CharField(max_length=60, help_text="e.g. Butterflies tablet by the door")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["room__name", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.room.name})"
