"""Forms of the progress check at age two: the key person's check, the family's view, the health visitor handover."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.text import LONG
from nursery.forms import DateInput

from ..models import Area, ProgressCheck
from .selectors import CHECK_DUE_FROM_MONTHS, CHECK_WINDOW_ENDS_MONTHS, months_after
from .services import CheckText

ON_TRACK_CHOICES = [("yes", "Yes"), ("no", "No, less than expected"), ("", "Not decided yet")]
TO_BOOL = {"yes": True, "no": False, "": None}
FROM_BOOL = {True: "yes", False: "no", None: ""}


class ProgressCheckForm(forms.ModelForm):
    """The key person's check: a summary and "progress as expected?" per prime area, then the plan."""

    class Meta:
        model = ProgressCheck
        fields = ["checked_on", "strengths", "less_than_expected", "setting_plan", "family_plan"]
        widgets = {
            "checked_on": DateInput(),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "less_than_expected": forms.Textarea(attrs={"rows": 3}),
            "setting_plan": forms.Textarea(attrs={"rows": 3}),
            "family_plan": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "less_than_expected": "Leave empty if progress is as expected in every area.",
            "setting_plan": "How the nursery will support the next steps, and any extra help being arranged.",
            "family_plan": "Ideas for home that build on what the child enjoys.",
        }

    def __init__(self, *args, areas: list[Area], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.fields["strengths"].label = f"What {self.instance.child.known_as} is good at"
        rows = {row.area_id: row for row in self.instance.area_summaries.all()}
        self.area_fields = []
        for area in areas:
            row = rows.get(area.pk)
            summary, on_track = f"area-{area.pk}-summary", f"area-{area.pk}-on_track"
            self.fields[summary] = forms.CharField(
                label=f"{area.name}: summary",
                max_length=LONG,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=row.summary if row else "",
            )
            self.fields[on_track] = forms.ChoiceField(
                label=f"Is progress in {area.name} as expected?",
                choices=ON_TRACK_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=FROM_BOOL[row.on_track if row else None],
            )
            self.area_fields.append((area, self[summary], self[on_track]))

    def clean_checked_on(self):
        checked_on = self.cleaned_data["checked_on"]
        if checked_on > timezone.localdate():
            raise forms.ValidationError("The date of the check cannot be in the future.")
        child = self.instance.child
        if child.start_date and checked_on < child.start_date:
            raise forms.ValidationError(
                f"{child.known_as} started on {child.start_date:%-d %B %Y}: choose a later date."
            )
        born = child.date_of_birth
        if born and not months_after(born, CHECK_DUE_FROM_MONTHS) <= checked_on < months_after(
            born, CHECK_WINDOW_ENDS_MONTHS
        ):
            raise forms.ValidationError(
                f"The check at two is done between {child.known_as}'s second and third birthdays "
                f"({months_after(born, CHECK_DUE_FROM_MONTHS):%-d %B %Y} to "
                f"{months_after(born, CHECK_WINDOW_ENDS_MONTHS) - timedelta(days=1):%-d %B %Y})."
            )
        return checked_on

    def text(self) -> CheckText:
        data = self.cleaned_data
        return CheckText(
            checked_on=data["checked_on"],
            strengths=data["strengths"],
            less_than_expected=data["less_than_expected"],
            setting_plan=data["setting_plan"],
            family_plan=data["family_plan"],
            areas={
                area.pk: (data[f"area-{area.pk}-summary"], TO_BOOL[data[f"area-{area.pk}-on_track"]])
                for area in self.areas
            },
        )


class ParentViewForm(forms.Form):
    text = forms.CharField(
        label="Your view",
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you see at home, anything you agree or disagree with, and questions for the key person.",
        error_messages={"required": "Please write your view before sending it."},
    )


class HealthVisitorForm(forms.Form):
    shared_to = forms.CharField(
        label="Given to",
        max_length=200,
        help_text='The health visitor or team, and how: "Jo Smith, Norwich health visiting team, secure NHS mail".',
        error_messages={"required": "Say who the check went to and how."},
    )
