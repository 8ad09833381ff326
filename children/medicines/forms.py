"""Forms for medicines: a parent's request with written permission, a dose given, and the plan upload."""

import re
from datetime import datetime, timedelta

from django import forms
from django.core.files.base import ContentFile
from django.utils import timezone

from children.day.forms import TimeInput
from core.images import ACCEPTED_WORDS, ImageRejected, process_upload
from nursery.forms import DateInput

from .models import MedicineRequest, parse_times

PLAN_MAX_BYTES = 10 * 1024 * 1024
# How far ahead a family may ask the nursery to start giving a medicine.
START_WITHIN = timedelta(days=90)
TIMES = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class PlanField(forms.FileField):
    """A health care plan or doctor's letter: a PDF (checked by its content) or a photo of the paper (cleaned
    like every photo: re-encoded, location and camera details removed). Cleans to a file to store."""

    widget = forms.ClearableFileInput(
        attrs={"accept": "application/pdf,.pdf,image/jpeg,image/png,image/heic,image/heif,.heic,.heif"}
    )

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Optional: a PDF, or {ACCEPTED_WORDS} of the paper, up to {PLAN_MAX_BYTES // (1024 * 1024)} MB. "
            "Only the nursery's staff and the child's parents can open it.",
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> ContentFile | None:
        uploaded = super().clean(data, initial)
        if not uploaded or uploaded is initial:
            return None
        if uploaded.size > PLAN_MAX_BYTES:
            limit = PLAN_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"This file is too large. Please choose one under {limit} MB.")
        uploaded.seek(0)
        head = uploaded.read(1024)
        if head.lstrip().startswith(b"%PDF-"):
            uploaded.seek(0)
            return ContentFile(uploaded.read(), name="plan.pdf")
        uploaded.seek(0)
        try:
            return process_upload(uploaded).as_file("plan")
        except ImageRejected:
            raise forms.ValidationError(
                f"This file is not a PDF or a photo KeyStory can read. Choose a PDF, or {ACCEPTED_WORDS}."
            ) from None


class MedicineRequestForm(forms.ModelForm):
    """What a parent fills in on their phone; ticking the permission box is their written permission."""

    prescribed = forms.TypedChoiceField(
        label="Was it prescribed for your child?",
        choices=[
            ("yes", "Yes, by a doctor, dentist, nurse or pharmacist"),
            ("no", "No, it was bought over the counter"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    last_given_at = forms.DateTimeField(
        label="When did your child last have it?",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="Needed when it was not prescribed.",
    )
    plan = PlanField(label="Health care plan or letter")
    permission = forms.BooleanField(
        label="I give my permission for the nursery's staff to give this medicine as written above. "
        "I will tell the nursery if anything changes.",
        error_messages={"required": "Tick the box to give your permission. Without it staff cannot give medicine."},
    )

    class Meta:
        model = MedicineRequest
        fields = [
            "medicine",
            "dose",
            "prescribed",
            "prescribed_by",
            "had_before",
            "last_given_at",
            "times",
            "reason",
            "starts_on",
            "ends_on",
            "instructions",
            "long_term",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 2}),
            "instructions": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        help_texts = {
            "had_before": "Needed when it was not prescribed: the first dose is always given at home.",
            "long_term": "For example an inhaler or an allergy pen. Attach the plan below.",
        }

    def clean_times(self) -> str:
        text = self.cleaned_data["times"]
        parts = [part for part in re.split(r"[,;]|\s+and\s+", text) if part.strip()]
        bad = [part.strip() for part in parts if not TIMES.match(part)]
        if bad:
            raise forms.ValidationError(f"Write times as hours and minutes, for example 12:00, 15:30 (not {bad[0]}).")
        return ", ".join(f"{t:%H:%M}" for t in parse_times(",".join(p.replace(".", ":") for p in parts)))

    def clean_starts_on(self):
        day, today = self.cleaned_data["starts_on"], timezone.localdate()
        if day < today:
            raise forms.ValidationError("The first day cannot be in the past. Choose today or a day ahead.")
        if day > today + START_WITHIN:
            raise forms.ValidationError(f"Choose a first day within the next {START_WITHIN.days} days.")
        return day

    def clean_last_given_at(self) -> datetime | None:
        at = self.cleaned_data.get("last_given_at")
        now = timezone.now()
        if at and at > now + timedelta(minutes=2):
            raise forms.ValidationError("This cannot be in the future.")
        if at and at < now - timedelta(days=5 * 365):
            raise forms.ValidationError("Check the year: this is more than five years ago.")
        return at


class DoseForm(forms.Form):
    """A dose given: defaults to now and the dose asked for; the giver is the signed-in member of staff."""

    at = forms.TimeField(label="Time given", widget=TimeInput, help_text="Today. Leave as it is for now.")
    dose_given = forms.CharField(label="Dose given", max_length=60)
    witness = forms.ModelChoiceField(
        label="Witness",
        queryset=None,
        empty_label="Choose who saw it given",
        help_text="Another member of staff who checked the medicine, the dose and the child.",
        error_messages={"required": "Choose another member of staff who saw it given."},
    )
    note = forms.CharField(label="Note", max_length=500, required=False)
    reason = forms.CharField(
        label="Reason for giving it differently",
        max_length=500,
        required=False,
        help_text="Only needed when the time, the dose or the number of doses differs from what the family agreed.",
    )

    def __init__(self, *args, witnesses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = witnesses
        self.fields["witness"].label_from_instance = lambda user: user.full_name or user.email
