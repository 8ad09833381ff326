"""Forms for meetings with families: a time offered, a family's request, and the notes afterwards."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.text import LONG
from keyworker.models import ConsultationSlot

from .ask_services import check_time  # the one rule for a suggested time, shared with the service

OFFER_AHEAD = timedelta(days=366)  # families book meetings weeks ahead; a year is plenty, and catches a wrong year


class SlotForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    class Meta:
        model = ConsultationSlot
        fields = ["starts_at", "minutes", "place", "where"]

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        if starts_at > timezone.now() + OFFER_AHEAD:
            raise forms.ValidationError("Offer a time within the next year.")
        return starts_at


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label="What would you like to talk about?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    preferred_times = forms.CharField(
        label="Times that suit you (optional)",
        max_length=300,
        required=False,
        help_text="e.g. “Tuesday or Thursday after 4pm, or a phone call at lunchtime”.",
    )


class MeetingNotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes for staff",
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Kept in the child's record; the family does not see these.",
    )
    agreed_summary = forms.CharField(
        label="Summary agreed with the family",
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The family reads this on KeyStory, e.g. what you agreed to try at home and at nursery.",
    )


def _time_field(label: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class _BoundedTimes(forms.Form):
    """Bounded like the service: in the future and within three months (a wrong year is caught here)."""

    TIME_FIELDS: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.TIME_FIELDS:
            when = cleaned.get(name)
            if when is not None:
                try:
                    check_time(when)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


class SuggestTimesForm(_BoundedTimes):
    TIME_FIELDS = ("first_time", "second_time", "third_time")

    first_time = _time_field("A time that suits you")
    second_time = _time_field("Another time (optional)", required=False)
    third_time = _time_field("A third time (optional)", required=False)

    def times(self) -> list:
        return [self.cleaned_data.get(name) for name in self.TIME_FIELDS]


class AskToMeetForm(SuggestTimesForm):
    reason = forms.CharField(
        label="What would you like to talk about?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The family reads this: use plain words, e.g. “How Sam is settling in and his sleep at nursery”.",
    )
    urgent = forms.BooleanField(label="Urgent: we would like to talk soon", required=False)
    place = forms.ChoiceField(label="How", choices=ConsultationSlot.Place.choices)
    field_order = ["reason", "urgent", "place", "first_time", "second_time", "third_time"]


class ProposeTimeForm(_BoundedTimes):
    TIME_FIELDS = ("when",)

    when = _time_field("A time that suits you better")
    note = forms.CharField(
        label="A note for the key person (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
