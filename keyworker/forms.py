"""Forms for choosing key persons, buddies and key group limits (the limit is a warning a manager may
override)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from nursery.forms import DateInput
from nursery.models import Nursery, StaffMember

from .services import OVER_LIMIT


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member: StaffMember) -> str:
        room = f", {member.room.name}" if member.room else ""
        return f"{member.user.full_name}{room}"


def key_person_candidates(nursery: Nursery):
    """Who may be chosen as a key person or buddy: anyone in post here (managers too) unless their post says
    not; never someone who has left."""
    return (
        StaffMember.objects.key_person_candidates()
        .filter(nursery=nursery)
        .select_related("user", "room")
        .order_by("room__min_age_months", "user__full_name")
    )


# The old name, from when only practitioners could be key persons (other apps' forms still import it).
practitioners = key_person_candidates


def colleagues(nursery: Nursery):
    """Everyone in post here, e.g. to lead an activity; not those who have left."""
    return StaffMember.objects.in_post().filter(nursery=nursery).select_related("user", "room")


NOT_A_CANDIDATE = "Choose someone in post at this nursery who may be a key person."


class OverLimitMixin:
    """A key group's size limit is a warning: the manager may go over it, but only by ticking a box.

    The box appears once the warning has been shown (or was ticked), so nobody overrides by accident.
    """

    def add_override(self) -> None:
        self.fields["allow_over_limit"] = forms.BooleanField(
            label="Go over the limit", required=False, help_text="Tick to confirm you mean to go over the limit."
        )

    def add_service_error(self, exc: ValidationError) -> None:
        if exc.code == OVER_LIMIT and "allow_over_limit" not in self.fields:
            self.add_override()
        self.add_error(None, exc)


class AssignKeyPersonForm(OverLimitMixin, forms.Form):
    key_person = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        label="Key person",
        error_messages={"invalid_choice": NOT_A_CANDIDATE},
    )
    starts_on = forms.DateField(
        label="From", widget=DateInput(), help_text="Choosing before the child starts helps them settle."
    )
    ends_on = forms.DateField(
        label="Until (optional)", required=False, widget=DateInput(), help_text="Only for a set time, e.g. cover."
    )
    reason = forms.CharField(
        max_length=200,
        label="Why",
        help_text="Kept in the child's history, e.g. “Allocated before starting” or “Bonded with Tom”.",
    )
    buddy = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        label="Buddy (optional)",
        empty_label="The key group's buddy",
        help_text="Looks after the child when the key person is not in.",
    )

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["key_person"].queryset = key_person_candidates(nursery)
        self.fields["buddy"].queryset = key_person_candidates(nursery)
        if self.data.get("allow_over_limit"):
            self.add_override()

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day is before the first day. Check the dates.")
        return data


class ChildBuddyForm(forms.Form):
    buddy = StaffChoiceField(
        queryset=StaffMember.objects.none(), required=False, label="Buddy", empty_label="The key group's buddy"
    )

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buddy"].queryset = key_person_candidates(nursery)


class KeyGroupForm(forms.Form):
    size_limit = forms.IntegerField(
        min_value=1, max_value=30, required=False, label="Most key children", help_text="Leave empty for no limit."
    )
    buddy = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        label="Buddy",
        empty_label="No buddy",
        help_text="Covers the whole group when the key person is not in.",
    )

    def __init__(self, *args, key_person: StaffMember, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buddy"].queryset = key_person_candidates(key_person.nursery).exclude(pk=key_person.pk)


class ReassignGroupForm(OverLimitMixin, forms.Form):
    to_person = StaffChoiceField(
        queryset=StaffMember.objects.none(),
        label="New key person for every child in the group",
        error_messages={"invalid_choice": NOT_A_CANDIDATE},
    )
    starts_on = forms.DateField(label="From", widget=DateInput())
    reason = forms.CharField(
        max_length=200, label="Why", help_text="Kept in each child's history, e.g. “Priya moved to Rainbows”."
    )

    def __init__(self, *args, from_person: StaffMember, **kwargs) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = key_person_candidates(from_person.nursery).exclude(pk=from_person.pk)
        if self.data.get("allow_over_limit"):
            self.add_override()
