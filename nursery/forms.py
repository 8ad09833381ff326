"""Forms for staff invitations and posts, session times, weekly patterns (bookings, working weeks), absences."""

import itertools

from django import forms
from django.db import models

from .models import Nursery, NurserySession, Room, StaffAbsence, StaffMember, Weekday


class DateInput(forms.DateInput):
    """The browser's date picker, which needs ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None, format: str = "%Y-%m-%d") -> None:
        super().__init__(attrs, format)


# What each role may do, in the words shown beside the choice (invite and edit a post).
ROLE_RIGHTS = {
    StaffMember.Role.MANAGER: "Runs the nursery in KeyStory: staff and their posts, children and families, key "
    "persons, checking observations before families see them, rooms, settings and exports. Sees everything about "
    "every child here, including confidential family notes.",
    StaffMember.Role.DEPUTY: "The same rights as the manager, so they can stand in for them. The nursery always "
    "needs at least one manager as well.",
    StaffMember.Role.ROOM_LEADER: "The same rights as a practitioner; colleagues see them as the room's leader.",
    StaffMember.Role.PRACTITIONER: "Records observations and care (meals, sleep, nappies) for any child here, and "
    "writes assessments, progress checks and end-of-session feedback for their key children. Reads a family's "
    "confidential notes only for their own key children.",
}

QUALIFICATION_LEVELS = [
    (2, "Level 2"),
    (3, "Level 3 (e.g. early years educator)"),
    (4, "Level 4"),
    (5, "Level 5 (e.g. foundation degree)"),
    (6, "Level 6 (graduate, e.g. Early Years Teacher Status or QTS)"),
    (7, "Level 7 (e.g. master's degree)"),
]
QUALIFICATION_HELP = (
    "Their highest early years qualification. When someone with level 6 or above works in a room, the "
    "children there aged 3 and over need one adult for every 13 children instead of every 8 (the EYFS ratios)."
)


def role_rights() -> list[tuple[str, str]]:
    """Each role's name and what it may do, for the list beside the role choice."""
    return [(StaffMember.Role(role).label, rights) for role, rights in ROLE_RIGHTS.items()]


def open_rooms(nursery: Nursery, keep: Room | None = None):
    """The nursery's rooms that take staff (not archived), plus ``keep`` (a post's current room) if archived."""
    where = models.Q(archived_on__isnull=True)
    if keep is not None:
        where |= models.Q(pk=keep.pk)
    return nursery.rooms.filter(where)


class RoleChoiceField(forms.ChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", "What each role may do is listed on this page.")
        super().__init__(choices=StaffMember.Role.choices, **kwargs)


class StaffInvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="E-mail address")
    role = RoleChoiceField(initial=StaffMember.Role.PRACTITIONER)
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(), required=False, empty_label="No fixed room", label="Usual room"
    )
    job_title = forms.CharField(max_length=80, required=False, help_text="e.g. Room leader, Deputy manager, SENCO")

    def __init__(self, *args, nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nursery = nursery
        self.fields["room"].queryset = open_rooms(nursery)

    def clean_email(self) -> str:
        # Whether this person already works here is checked by services.invite_staff.
        return self.cleaned_data["email"].strip().lower()


class StaffPostForm(forms.ModelForm):
    """A member of staff's post: role, responsibilities, qualification, usual room and dates.

    Not saved by ``save()``: ``services.update_staff_post`` saves, after checking the nursery keeps a manager.
    """

    role = RoleChoiceField()
    qualification_level = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Qualification level", help_text=QUALIFICATION_HELP
    )

    class Meta:
        model = StaffMember
        fields = [
            "role",
            "job_title",
            "is_senco",
            "is_safeguarding_lead",
            "can_be_key_person",
            "qualification_level",
            "room",
            "starts_on",
            "leaves_on",
        ]
        labels = {"room": "Usual room", "is_senco": "SENCO", "is_safeguarding_lead": "Designated safeguarding lead"}
        help_texts = {
            "is_senco": "Special educational needs co-ordinator: sees every child's support plan here and helps "
            "key persons plan for children with special educational needs.",
            "is_safeguarding_lead": "The person staff go to with a worry about a child's safety, and who contacts "
            "children's services.",
            "can_be_key_person": "Offered when choosing a child's key person or buddy. Untick for someone who never "
            "has key children, e.g. a cook.",
            "room": "Where they usually work; used for ratios and the register.",
            "starts_on": "Their first day here.",
            "leaves_on": "From this day they can no longer sign in. Everything they recorded stays.",
        }
        widgets = {"starts_on": DateInput(), "leaves_on": DateInput()}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        member = self.instance
        levels = list(QUALIFICATION_LEVELS)
        if member.qualification_level and member.qualification_level not in dict(levels):
            levels.append((member.qualification_level, f"Level {member.qualification_level}"))
        self.fields["qualification_level"].choices = [("", "Not recorded"), *sorted(levels)]
        self.fields["room"].queryset = open_rooms(member.nursery, keep=member.room)
        self.fields["room"].empty_label = "No fixed room"

    def clean(self) -> dict:
        data = super().clean()
        starts, leaves = data.get("starts_on"), data.get("leaves_on")
        if starts and leaves and leaves < starts:
            self.add_error("leaves_on", "The leaving date is before the start date. Check both dates.")
        return data


class NurserySessionForm(forms.ModelForm):
    class Meta:
        model = NurserySession
        fields = ["name", "starts_at", "ends_at"]
        labels = {"starts_at": "Starts at", "ends_at": "Ends at"}
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.nursery = nursery

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "A session must end after it starts.")
        name = data.get("name", "").strip()
        clash = NurserySession.objects.filter(nursery=self.instance.nursery, name__iexact=name)
        if name and clash.exclude(pk=self.instance.pk).exists():
            self.add_error("name", "There is already a session with this name.")
        return data


class WeekPatternForm(forms.Form):
    """A week as a grid of the nursery's sessions: which sessions on which weekdays.

    Used for children's booking patterns and staff working patterns. Two sessions on the same day
    may not overlap in time (a full day already includes the morning).
    """

    slots = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, sessions: list[NurserySession], chosen: set[tuple[int, int]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = sessions
        # The working week, plus any weekend day already in use.
        self.weekdays = sorted({*range(Weekday.SATURDAY), *(weekday for weekday, _ in chosen)})
        self.fields["slots"].choices = [
            (f"{weekday}:{session.pk}", f"{Weekday(weekday).label} {session.name}")
            for weekday in self.weekdays
            for session in sessions
        ]
        self.chosen = chosen

    def clean_slots(self) -> set[tuple[int, int]]:
        by_id = {session.pk: session for session in self.sessions}
        slots = {tuple(int(part) for part in value.split(":")) for value in self.cleaned_data["slots"]}
        for weekday in self.weekdays:
            day = sorted((by_id[pk] for wd, pk in slots if wd == weekday), key=lambda s: (s.starts_at, s.ends_at))
            for earlier, later in itertools.pairwise(day):
                if later.starts_at < earlier.ends_at:
                    raise forms.ValidationError(
                        f"{Weekday(weekday).label}: {earlier.name} and {later.name} overlap. Choose one of them."
                    )
        return slots

    def grid(self) -> list[tuple[str, list[tuple[str, bool, NurserySession]]]]:
        """Rows of (weekday, [(value, ticked, session)]) for the template's table."""
        ticked = (
            set(self.data.getlist(self.add_prefix("slots")))
            if self.is_bound
            else {f"{weekday}:{pk}" for weekday, pk in self.chosen}
        )
        return [
            (
                Weekday(weekday).label,
                [(f"{weekday}:{s.pk}", f"{weekday}:{s.pk}" in ticked, s) for s in self.sessions],
            )
            for weekday in self.weekdays
        ]


class StaffAbsenceForm(forms.ModelForm):
    class Meta:
        model = StaffAbsence
        fields = ["staff", "kind", "starts_on", "ends_on", "note"]
        labels = {"staff": "Who", "kind": "Why"}
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {"note": "Optional, seen by managers only."}

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffMember.objects.in_post().filter(nursery=nursery).select_related("user")
        self.fields["staff"].label_from_instance = lambda member: member.user.full_name

    def clean(self) -> dict:
        data = super().clean()
        staff, starts, ends = data.get("staff"), data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day away is before the first day. Check the dates.")
        elif staff and starts and ends:
            clash = StaffAbsence.objects.filter(staff=staff, starts_on__lte=ends, ends_on__gte=starts).first()
            if clash:
                self.add_error(
                    None,
                    f"{staff.user.full_name} is already away then ({clash.get_kind_display().lower()}, "
                    f"{clash.starts_on:%-d %B} to {clash.ends_on:%-d %B %Y}).",
                )
        return data
