"""Forms for a transition plan, its trial visits, handover notes, the family meeting and leavers' access."""

from django import forms

from core.text import LONG
from keyworker.forms import StaffChoiceField, colleagues, practitioners
from nursery.forms import DateInput
from nursery.models import Nursery, Room

from ..models import TransitionPlan, TrialVisit
from .services import ENDS_BEFORE_STARTS


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, which needs ISO values."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, "%Y-%m-%dT%H:%M")


class PlanForm(forms.ModelForm):
    to_key_person = StaffChoiceField(
        queryset=None, required=False, label="New key person", empty_label="Keep the same key person"
    )

    class Meta:
        model = TransitionPlan
        fields = ["kind", "planned_on", "to_room", "to_key_person", "receiving_setting", "receiving_contact"]
        labels = {"kind": "What is happening", "to_room": "New room", "planned_on": "Move date"}
        help_texts = {
            "planned_on": "A room move: the first day in the new room. Leaving: the last day at the nursery.",
            "to_room": "Suggested from the child's age on the move date.",
            "receiving_setting": "Only when leaving: the school or setting the child goes to next.",
            "receiving_contact": "Only when leaving: who to send the transition report to, if the family agrees.",
        }
        widgets = {"planned_on": DateInput(), "kind": forms.RadioSelect}

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_room"].queryset = Room.objects.filter(nursery=nursery).active()
        self.fields["to_room"].empty_label = "Not moving room (leaving)"
        self.fields["to_key_person"].queryset = practitioners(nursery)


class VisitForm(forms.ModelForm):
    accompanied_by = StaffChoiceField(queryset=None, required=False, label="Who goes with the child")

    class Meta:
        model = TrialVisit
        fields = ["starts_at", "ends_at", "accompanied_by"]
        labels = {"starts_at": "Starts", "ends_at": "Ends"}
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accompanied_by"].queryset = colleagues(nursery)

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", ENDS_BEFORE_STARTS)
        return data


class VisitOutcomeForm(forms.ModelForm):
    class Meta:
        model = TrialVisit
        fields = ["outcome", "how_it_went"]
        labels = {"outcome": "How did it go?", "how_it_went": "Notes for staff (the family sees only how it went)"}
        widgets = {"outcome": forms.RadioSelect, "how_it_went": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [c for c in TrialVisit.Outcome.choices if c[0]]
        self.fields["outcome"].required = True
        self.fields["outcome"].error_messages["required"] = "Choose how the visit went."


class HandoverForm(forms.Form):
    text = forms.CharField(
        label="Note for the new key person",
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Routines, comforters, what helps them settle, what to watch for. Staff only: not for families.",
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = TransitionPlan
        fields = ["parents_meeting_at", "parents_meeting_notes"]
        widgets = {"parents_meeting_at": DateTimeInput(), "parents_meeting_notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"parents_meeting_at": "When you meet the family before the child leaves."}


class LeaverAccessForm(forms.ModelForm):
    class Meta:
        model = Nursery
        fields = ["leaver_access_days"]
        help_texts = {
            "leaver_access_days": "After a child's last day, their family can still read the record and download "
            "the leaver pack for this many days."
        }
