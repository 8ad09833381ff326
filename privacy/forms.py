"""Forms for privacy: a manager's subject access request and the record history's filters."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from children.models import ChildAuditEvent
from nursery.models import Nursery

from . import selectors

DATE_PICKER = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the browser's picker reads ISO dates


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
    since = forms.DateField(required=False, label="From", widget=DATE_PICKER)
    until = forms.DateField(required=False, label="To", widget=DATE_PICKER)
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
            raise forms.ValidationError("The “from” date is after the “to” date.")
        return data
