"""Forms for inviting staff, session times, weekly patterns (bookings and working weeks) and absences."""

import itertools

from django import forms

from .models import Nursery, NurserySession, Room, StaffAbsence, StaffMember, Weekday


class StaffInvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=StaffMember.Role.choices, initial=StaffMember.Role.PRACTITIONER)
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, empty_label="No fixed room")
    job_title = forms.CharField(max_length=80, required=False, help_text="e.g. Room leader, Deputy manager, SENCO")

    def __init__(self, *args, nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nursery = nursery
        self.fields["room"].queryset = nursery.rooms.active()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if StaffMember.objects.filter(nursery=self.nursery, user__email__iexact=email, is_active=True).exists():
            raise forms.ValidationError("This person already works here.")
        return email


class DateInput(forms.DateInput):
    """The browser's date picker, which needs ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None, format: str = "%Y-%m-%d") -> None:
        super().__init__(attrs, format)


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
        self.fields["staff"].queryset = StaffMember.objects.filter(nursery=nursery, is_active=True).select_related(
            "user"
        )
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
