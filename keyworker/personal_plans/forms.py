"""Forms for personal plans: the plan itself (key person) and the family's comment or agreement."""

from django import forms
from django.utils import timezone

from learning_stories.models import NextStep
from nursery.forms import DateInput

from .models import PersonalPlan, PlanResponse


class StepChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: NextStep) -> str:
        return obj.text


class PersonalPlanForm(forms.ModelForm):
    next_steps = StepChoice(
        queryset=NextStep.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Link the child's open next steps",
        help_text="Next steps are what you planned, from the learning story, to help the child learn next.",
    )

    class Meta:
        model = PersonalPlan
        fields = ["wellbeing", "care", "interests", "focuses", "next_steps", "together", "agreed_on", "next_review_on"]
        widgets = {
            "wellbeing": forms.Textarea(attrs={"rows": 3}),
            "care": forms.Textarea(attrs={"rows": 4}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "focuses": forms.Textarea(attrs={"rows": 3}),
            "together": forms.Textarea(attrs={"rows": 3}),
            "agreed_on": DateInput(),
            "next_review_on": DateInput(),
        }
        help_texts = {
            "agreed_on": "The day you went through the plan with the family. Leave empty if not yet: the family "
            "can also agree it from their phone.",
            "next_review_on": "Usually the end of this term.",
        }

    def __init__(self, *args, steps, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_steps"].queryset = steps
        if not steps:
            del self.fields["next_steps"]

    def clean_agreed_on(self):
        agreed = self.cleaned_data.get("agreed_on")
        if agreed and agreed > timezone.localdate():
            raise forms.ValidationError("The plan cannot be agreed on a day still to come.")
        return agreed

    def clean_next_review_on(self):
        review = self.cleaned_data.get("next_review_on")
        if review and review <= timezone.localdate():
            raise forms.ValidationError("The next review must be after today.")
        return review

    def clean_focuses(self):
        focuses = self.cleaned_data.get("focuses", "")
        lines = [line for line in focuses.splitlines() if line.strip()]
        if len(lines) > 3:
            raise forms.ValidationError("Keep to two or three focuses, one a line: the plan should stay short.")
        return focuses


class PlanResponseForm(forms.ModelForm):
    class Meta:
        model = PlanResponse
        fields = ["comment", "agrees"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
        labels = {"comment": "Anything to add or change? (optional)"}
        help_texts = {"agrees": "Tick this if you went through the plan with the key person and are happy with it."}

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("comment", "").strip() and not data.get("agrees"):
            raise forms.ValidationError("Write a comment, or tick that you agreed the plan.")
        return data
