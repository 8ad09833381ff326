from django import forms
from django.conf import settings

from keyworker.forms import StaffChoiceField, colleagues, practitioners
from nursery.forms import DateInput
from nursery.models import Nursery, Room

from .models import LeaverPack, SchoolShareLink, TransitionPlan, TransitionReport, TrialVisit
from .services import ENDS_BEFORE_STARTS


class SchoolLinkForm(forms.ModelForm):
    """Share a ready leaver pack with the receiving school."""

    pack = forms.ModelChoiceField(queryset=LeaverPack.objects.none(), label="Which leaver pack", empty_label=None)
    days = forms.IntegerField(
        label="The link works for (days)",
        min_value=1,
        max_value=365,
    )

    class Meta:
        model = SchoolShareLink
        fields = ["school", "email"]
        labels = {"school": "School's name", "email": "School's e-mail (optional)"}
        help_texts = {"email": "We e-mail the link to this address. Leave empty to copy the link yourself."}

    def __init__(self, *args, packs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pack"].queryset = packs
        self.fields["days"].initial = settings.SCHOOL_LINK_VALID_DAYS
        self.fields["pack"].label_from_instance = lambda pack: f"Made {pack.built_at or pack.requested_at:%d %b %Y}"
        self.order_fields(["pack", "school", "email", "days"])


class PackUploadForm(forms.Form):
    pack = forms.FileField(
        label="Leaver pack ZIP",
        help_text="The ZIP the other setting's KeyStory (or other software) made. Nothing is imported until "
        "you confirm.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_pack(self):
        upload = self.cleaned_data["pack"]
        if upload.size > settings.PACK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is larger than the {settings.PACK_IMPORT_MAX_BYTES // (1024 * 1024):,} MB KeyStory accepts."
            )
        return upload


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
        self.fields["to_room"].queryset = Room.objects.filter(nursery=nursery)
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
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Routines, comforters, what helps them settle, what to watch for. Staff only: not for families.",
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = TransitionPlan
        fields = ["parents_meeting_at", "parents_meeting_notes"]
        widgets = {"parents_meeting_at": DateTimeInput(), "parents_meeting_notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"parents_meeting_at": "When you meet the family before the child leaves."}


class ReportForm(forms.ModelForm):
    """The report's own fields, plus one paragraph per area of learning."""

    class Meta:
        model = TransitionReport
        fields = ["characteristics", "interests", "needs", "attendance", "parent_view", "child_voice"]
        help_texts = {
            "characteristics": "The characteristics of effective learning: how the child plays, explores and thinks.",
            "parent_view": "The family can write this themselves on their phone.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, areas: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area_fields = []
        for area in areas:
            name = f"area_{area.code}"
            self.fields[name] = forms.CharField(
                label=area.name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=self.instance.areas.get(area.code, ""),
            )
            self.area_fields.append((area.code, name))

    def report_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["areas"] = {code: self.cleaned_data[name] for code, name in self.area_fields}
        return data


class ParentViewForm(forms.Form):
    parent_view = forms.CharField(
        label="Your view",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What your child enjoys, how they are feeling about the move, anything the new staff should know.",
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Comment for the key person", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaverAccessForm(forms.ModelForm):
    class Meta:
        model = Nursery
        fields = ["leaver_access_days"]
        help_texts = {
            "leaver_access_days": "After a child's last day, their family can still read the record and download "
            "the leaver pack for this many days."
        }
