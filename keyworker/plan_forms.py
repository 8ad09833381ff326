"""Forms for the weekly planning board and for meetings with families (consultations)."""

from django import forms
from django.utils import timezone

from children.models import Child
from learning_stories.models import NextStep
from nursery.models import Room

from .forms import StaffChoiceField, colleagues
from .models import ConsultationSlot, PlannedActivity
from .services import ActivityPlan


class StepChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, step: NextStep) -> str:
        return f"{step.child.known_as}: {step.text}"


class ChildChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return child.known_as


class ActivityForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. “Pouring station at the water tray”.")
    description = forms.CharField(
        label="What we will do (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    days = forms.TypedMultipleChoiceField(
        choices=PlannedActivity.Day.choices[:5],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Days",
    )
    next_steps = StepChoiceField(
        queryset=NextStep.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Next steps it serves",
    )
    children = ChildChoiceField(
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Other children it is for (optional)",
        help_text="Children whose next steps you ticked are included anyway.",
    )
    led_by = StaffChoiceField(queryset=None, required=False, label="Who leads it", empty_label="(not decided)")

    def __init__(self, *args, room: Room, children: list[Child], steps: list[NextStep], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_steps"].queryset = NextStep.objects.filter(pk__in=[s.pk for s in steps]).select_related(
            "child"
        )
        self.fields["children"].queryset = Child.objects.filter(pk__in=[c.pk for c in children]).order_by("first_name")
        self.fields["led_by"].queryset = colleagues(room.nursery).order_by("user__full_name")

    def plan(self) -> ActivityPlan:
        data = self.cleaned_data
        return ActivityPlan(
            title=data["title"],
            description=data["description"],
            days=data["days"],
            next_steps=list(data["next_steps"]),
            children=list(data["children"]),
            led_by=data["led_by"],
        )


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(
        label="How did it go?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the children did, what worked, what you would change.",
    )
    engaged = ChildChoiceField(
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Children who joined in",
    )

    def __init__(self, *args, children, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engaged"].queryset = children


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
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Kept in the child's record; the family does not see these.",
    )
    agreed_summary = forms.CharField(
        label="Summary agreed with the family",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The family reads this on KeyStory, e.g. what you agreed to try at home and at nursery.",
    )
