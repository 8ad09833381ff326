"""Forms for the weekly planning board: an activity for the week, and how it went."""

from django import forms

from children.models import Child
from core.text import SHORT
from keyworker.forms import StaffChoiceField, colleagues
from keyworker.models import PlannedActivity
from learning_stories.models import NextStep
from nursery.models import Room

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
        label="What we will do (optional)", max_length=SHORT, required=False, widget=forms.Textarea(attrs={"rows": 3})
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
        max_length=SHORT,
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
