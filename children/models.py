"""The child's record: the child, booked sessions, family links and invitations, consents, emergency
contacts, All about me with changes at home, confidential notes, and the record history."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import Invitation
from core.dates import years_after, years_before
from core.private_media import UnguessableName
from nursery.models import Nursery, NurserySession, Room, Weekday


def months_between(born: date, on: date) -> int:
    """Whole months of age on a date (a child born on the 31st turns a month older on the 30th/28th)."""
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        # Not yet the "monthly birthday", unless the month is too short to have that day.
        next_day = on + timedelta(days=1)
        if next_day.month == on.month:
            months -= 1
    return max(months, 0)


# Nurseries care for children from birth until school, at four or five. Eight leaves room for late starters and
# out-of-school care while still catching a mistyped year (2016 for 2026, or year 1).
CHILD_MAX_AGE_YEARS = 8
# How far ahead a start date may be: places are offered up to a couple of years before a baby starts.
START_AHEAD_YEARS = 2


def birth_date_problem(born: date, *, starts: date | None = None) -> str:
    """Why ``born`` cannot be the birthday of a child starting on ``starts`` (today if not known); "" if it can."""
    if born > timezone.localdate():
        return "The date of birth cannot be in the future."
    if born < years_before(starts or timezone.localdate(), CHILD_MAX_AGE_YEARS):
        return f"This date of birth makes the child older than {CHILD_MAX_AGE_YEARS} when they start: check the year."
    return ""


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class SendStatus(models.TextChoices):
    NONE = "none", "None"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care (EHC) plan"


class Funding(models.TextChoices):
    NONE = "none", "Not funded"
    TWO_YEAR = "two_year", "Funded place for a two-year-old"
    UNIVERSAL = "universal", "15 hours for three- and four-year-olds"
    EXTENDED = "extended", "30 hours (working parents)"


class Child(models.Model):
    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="children")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True, help_text="What the child likes to be called.")
    date_of_birth = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    leave_date = models.DateField(null=True, blank=True)
    # What trackers filter cohorts by (the groups Ofsted and local authorities ask about).
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    english_additional_language = models.BooleanField(
        "English as an additional language",
        default=False,
        help_text="The child hears a language other than English at home.",
    )
    send_status = models.CharField(
        "special educational needs",
        max_length=12,
        choices=SendStatus.choices,
        default=SendStatus.NONE,
        help_text="SEN support means the nursery plans extra help; an EHC plan comes from the local authority.",
    )
    funding = models.CharField("funded hours", max_length=12, choices=Funding.choices, default=Funding.NONE)
    # Private media, always written through core.images (checked, EXIF stripped) and served by a view.
    THUMBNAIL = ("photo", "photo_thumbnail")  # made by core.tasks.make_thumbnail
    photo = models.FileField(upload_to=UnguessableName("children/photos"), blank=True)
    photo_thumbnail = models.FileField(upload_to=UnguessableName("children/thumbnails"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name_plural = "children"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leave_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(leave_date__gte=models.F("start_date")),
                name="child_leaves_after_starting",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        """Dates within the child's life: born in the last few years, starting after birth and not years ahead,
        leaving after starting."""
        errors = {}
        born, starts, leaves = self.date_of_birth, self.start_date, self.leave_date
        if born and (problem := birth_date_problem(born, starts=starts)):
            errors["date_of_birth"] = problem
        if born and starts and starts < born:
            errors["start_date"] = "The start date cannot be before the child was born."
        elif starts and starts > years_after(timezone.localdate(), START_AHEAD_YEARS):
            errors["start_date"] = f"Choose a start date within the next {START_AHEAD_YEARS} years."
        if starts and leaves and leaves < starts:
            errors["leave_date"] = "The leave date cannot be before the start date."
        if errors:
            raise ValidationError(errors)

    def entry_date_problem(self, day: date) -> str:
        """Why an entry in this child's story cannot be dated ``day``; "" if it can. An entry is about the
        child's life: not before they were born and not in the future. (A draft written before a child left may
        be finished after, so leaving is not a bound.)"""
        if day > timezone.localdate():
            return "Choose a date that is not in the future."
        if self.date_of_birth and day < self.date_of_birth:
            return f"Choose a date after {self.known_as} was born ({self.date_of_birth:%-d %B %Y})."
        return ""

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.first_name

    def age_in_months(self, on: date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return months_between(self.date_of_birth, on or timezone.localdate())

    def age_label(self, on: date | None = None) -> str:
        months = self.age_in_months(on)
        if months is None:
            return gettext("date of birth not recorded")
        years, rest = divmod(months, 12)
        in_months = ngettext("%(months)d month", "%(months)d months", rest) % {"months": rest}
        if years == 0:
            return in_months
        in_years = ngettext("%(years)d year", "%(years)d years", years) % {"years": years}
        return f"{in_years} {in_months}" if rest else in_years

    @property
    def is_summer_born(self) -> bool:
        """Born 1 April to 31 August: the youngest in their school year, a cohort trackers watch."""
        return self.date_of_birth is not None and 4 <= self.date_of_birth.month <= 8

    @property
    def has_send(self) -> bool:
        return self.send_status != SendStatus.NONE

    @property
    def is_funded(self) -> bool:
        return self.funding != Funding.NONE

    def has_left(self, day: date | None = None) -> bool:
        """After the child's last day (today by default). The one test of a leaver: the family may still read
        the record for a while, but no longer add to it, and pages name the key person of the last day."""
        return self.leave_date is not None and self.leave_date < (day or timezone.localdate())

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.has_left(today):
            return "left"
        if self.start_date is None or self.start_date > today:
            return "starting"
        return "attending"


class Booking(models.Model):
    """One line of a child's booking pattern: this session on this weekday (``date.weekday()`` numbering)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="bookings")
    session = models.ForeignKey(NurserySession, on_delete=models.CASCADE, related_name="bookings")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)

    class Meta:
        ordering = ["weekday", "session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["child", "session", "weekday"], name="one_booking_per_session_per_weekday")
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.get_weekday_display()} {self.session.name}"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    GRANDPARENT = "grandparent", "Grandparent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    OTHER = "other", "Other family member or carer"


class Guardianship(models.Model):
    """A person's link to a child, with what that person may see and do."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=True)
    can_view_story = models.BooleanField("can see the learning story", default=True)
    can_contribute = models.BooleanField("can comment and add to the story", default=True)
    receives_feedback = models.BooleanField("receives daily feedback", default=True)
    can_collect = models.BooleanField("may collect the child", default=True)
    # Opt-in: feedback is always in the portal; e-mail only when the person asks for it.
    feedback_by_email = models.BooleanField("also e-mail me the daily feedback", default=False)
    # Other notices (key person, meetings, progress checks, room moves, the leaver pack) are e-mailed unless
    # turned off; they stay on the family's pages either way.
    news_by_email = models.BooleanField("e-mail me other news about this child", default=True)
    # Contact details: the phone is the person's own (on the account); where they live belongs here,
    # with whether the child lives with them (separated families have two homes).
    lives_with_child = models.BooleanField("the child lives with this person", default=True)
    address = models.TextField(max_length=500, blank=True)

    class Meta:
        ordering = ["child", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="one_link_per_person_per_child")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_relationship_display()} of {self.child}"


class GuardianInvitation(models.Model):
    """What accepting an invitation grants: a link to this child."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="guardian_grants")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardian_invitations")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.invitation.email} for {self.child}"


class ChildAuditEvent(models.Model):
    """Who viewed, changed or exported a child's record, and when (privacy rule 5)."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        EXPORTED = "exported", "Exported"
        SHARED = "shared", "Shared"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    what = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%d %b %Y %H:%M} {self.actor} {self.action} {self.what}"


class ConsentPurpose(models.Model):
    """Something a family may agree to. Built-in purposes have no nursery; a nursery may add its own."""

    PHOTOS_OWN_STORY = "photos_own_story"
    PHOTOS_OTHERS_STORIES = "photos_others_stories"
    SHARE_WITH_SCHOOL = "share_with_school"
    SHARE_WITH_HEALTH_VISITOR = "share_with_health_visitor"
    SHARE_WITH_OTHER_CARERS = "share_with_other_carers"  # added by a transitions migration

    nursery = models.ForeignKey(Nursery, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=5000, help_text="What agreeing means, in words a parent understands.")
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(nursery__isnull=True), name="builtin_purpose_code"
            ),
            models.UniqueConstraint(fields=["nursery", "code"], name="purpose_code_unique_in_nursery"),
        ]

    def __str__(self) -> str:
        return self.name


class PhotoConsent(models.TextChoices):
    """What a camera-holder needs to know at a glance, from the two photo purposes."""

    NONE = "none", "No photos"
    OWN_STORY_ONLY = "own_story_only", "Own story only"
    ALL = "all", "Photos OK"


class Consent(models.Model):
    """One decision about one purpose for one child. Never edited: the newest decision is the current one."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consents")
    purpose = models.ForeignKey(ConsentPurpose, on_delete=models.PROTECT, related_name="decisions")
    granted = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.child}: {self.purpose} {'given' if self.granted else 'withdrawn'} {self.recorded_at:%d %b %Y}"


class EmergencyContact(models.Model):
    """Someone to call when no parent can be reached: not an account holder."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="emergency_contacts")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=80, help_text="e.g. Grandmother, Neighbour, Family friend")
    phone = models.CharField(max_length=30)
    other_phone = models.CharField("other phone", max_length=30, blank=True)
    may_collect = models.BooleanField("may collect the child", default=False)
    priority = models.PositiveSmallIntegerField("call order", default=1, help_text="1 is called first.")

    class Meta:
        ordering = ["child", "priority", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship}) for {self.child}"


# "All about me": each field's label as the family and staff see it, in the order of the form.
ABOUT_ME_FIELDS = {
    "likes": "Likes",
    "dislikes": "Dislikes",
    "interests": "Interests",
    "sleep_routine": "Sleep routine",
    "feeding_routine": "Eating and drinking routine",
    "toileting_routine": "Nappies or toileting",
    "comforters": "Comforters",
    "home_languages": "Languages spoken at home",
    "dietary_needs": "Dietary needs",
    "allergies": "Allergies",
    "medical_needs": "Medical needs",
}


class AllAboutMe(models.Model):
    """What the family tells the key person at induction, kept up to date as things change at home."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="all_about_me")
    likes = models.TextField(max_length=2000, blank=True)
    dislikes = models.TextField(max_length=2000, blank=True)
    interests = models.TextField(max_length=2000, blank=True)
    sleep_routine = models.TextField(max_length=2000, blank=True, help_text="Naps, how they settle, what helps.")
    feeding_routine = models.TextField(
        max_length=2000, blank=True, help_text="Milk, meals, bottles or cups, how they like to eat."
    )
    toileting_routine = models.TextField(
        max_length=2000, blank=True, help_text="Nappies, potty or toilet, words they use."
    )
    comforters = models.TextField(
        max_length=2000, blank=True, help_text="A toy, blanket or dummy that helps them feel safe."
    )
    home_languages = models.CharField(max_length=200, blank=True)
    dietary_needs = models.TextField(
        max_length=2000, blank=True, help_text="e.g. vegetarian, halal, no pork, dairy-free."
    )
    allergies = models.TextField(max_length=2000, blank=True, help_text="What they are allergic to and what happens.")
    medical_needs = models.TextField(max_length=2000, blank=True, help_text="Conditions, medicines, care plans.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "all about me"
        verbose_name_plural = "all about me"

    def __str__(self) -> str:
        return f"All about {self.child}"

    @property
    def has_alerts(self) -> bool:
        return bool(self.allergies.strip() or self.medical_needs.strip())


class HomeChange(models.Model):
    """A family's proposed update to "All about me". Applied only when staff accept it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="home_changes")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # {field: {"from": what the record said, "to": what the family proposes}}
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"Change at home for {self.child} on {self.proposed_at:%d %b %Y}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def changed_fields(self) -> list[tuple[str, str, str]]:
        """(label, was, now) for each field, in the form's order."""
        return [
            (label, self.changes[field]["from"], self.changes[field]["to"])
            for field, label in ABOUT_ME_FIELDS.items()
            if field in self.changes
        ]


class ConfidentialNote(models.Model):
    """Something the family shares in confidence: read only by the key person(s) and managers.

    Who may read is decided by ``keyworker.selectors.may_read_confidential_notes`` (the key person is
    known only there); the family member who wrote a note may read their own.
    """

    class Source(models.TextChoices):
        FAMILY = "family", "Written by the family"
        STAFF = "staff", "Recorded by staff from a conversation"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="confidential_notes")
    text = models.TextField(max_length=5000)
    source = models.CharField(max_length=10, choices=Source.choices)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Confidential note about {self.child} on {self.written_at:%d %b %Y}"
