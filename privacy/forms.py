"""Forms for privacy: a manager's subject access request and the record history's filters."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from children.models import ChildAuditEvent
from nursery.models import Nursery

from . import selectors

DATE_PICKER = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the browser's picker reads ISO dates
# Dates the record history filters by: year 1 or 9999 would overflow when the day's bounds are worked out.
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


class HistoryDateField(forms.DateField):
    """An ISO date (as the picker sends it) within ``EARLIEST``..``LATEST``."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            required=False,
            input_formats=["%Y-%m-%d"],
            widget=DATE_PICKER,
            error_messages={"invalid": "Write the date as 2026-03-14; it is left out until then."},
            **kwargs,
        )

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Give a date between {EARLIEST.year} and {LATEST.year}; it is left out until then.",
                code="date_out_of_range",
            )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class ChildChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        left = f", left {obj.leave_date:%d %b %Y}" if obj.leave_date else ""
        return f"{obj.first_name} {obj.last_name} (born {obj.date_of_birth:%d %b %Y}{left})"


class RequestForm(forms.Form):
    """Who the request is about: a child, a person (family member or member of staff), or both."""

    child = ChildChoice(
        queryset=None,
        required=False,
        empty_label="No child",
        help_text="Everything held about the child: their record, story, care log, reports, plans and history.",
    )
    person = PersonChoice(
        queryset=None,
        required=False,
        empty_label="No person",
        label="Person",
        help_text="A family member or a member of staff: their account and what they wrote.",
    )
    received_on = forms.DateField(
        label="Date the request reached the nursery",
        help_text="The law gives one calendar month from this day to answer.",
        widget=DATE_PICKER,
    )

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = selectors.nursery_children(nursery)
        self.fields["person"].queryset = selectors.nursery_people(nursery)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError("The request cannot have arrived after today.")
        if day < today - timedelta(days=366):
            raise forms.ValidationError("Give a date within the last year.")
        return day

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("child") and not data.get("person"):
            raise forms.ValidationError("Choose the child, the person, or both, whom the request is about.")
        return data


class HistoryForm(forms.Form):
    """The record history's filters (all optional)."""

    person = PersonChoice(queryset=None, required=False, empty_label="Anyone", label="Who")
    child = ChildChoice(queryset=None, required=False, empty_label="Any child", label="Child")
    since = HistoryDateField(label="From")
    until = HistoryDateField(label="To")
    action = forms.ChoiceField(
        required=False, label="What they did", choices=[("", "Anything"), *ChildAuditEvent.Action.choices]
    )

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = selectors.nursery_children(nursery)
        self.fields["person"].queryset = selectors.nursery_people(nursery)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("The “from” date is after the “to” date: neither is used until corrected.")
        return data

    def usable_filters(self) -> dict:
        """The filters that were valid: a wrong one is left out (its message shown), never a 500."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        if NON_FIELD_ERRORS in self.errors:  # the dates contradict each other: neither is used
            data.pop("since", None)
            data.pop("until", None)
        return data
