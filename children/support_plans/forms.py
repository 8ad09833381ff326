"""Forms for support plans: the plan, a target, a review with progress per target, a parent's contribution."""

from django import forms
from django.utils import timezone

from core.text import SHORT
from nursery.forms import DateInput

from .models import ParentContribution, SupportPlan, SupportReview, SupportTarget, TargetProgress


class SupportPlanForm(forms.ModelForm):
    class Meta:
        model = SupportPlan
        fields = ["title", "needs", "started_on", "next_review_on", "status"]
        widgets = {"needs": forms.Textarea(attrs={"rows": 4}), "started_on": DateInput(), "next_review_on": DateInput()}
        labels = {"started_on": "Plan starts on"}
        help_texts = {
            "needs": "Assess: what you, the family and any professionals have seen, and what the child finds hard.",
            "status": "Close the plan when the child no longer needs it.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["status"]  # a new plan is always active

    def clean(self) -> dict:
        data = super().clean()
        starts, review = data.get("started_on"), data.get("next_review_on")
        if starts and review and review <= starts:
            self.add_error("next_review_on", "The review must come after the plan starts.")
        return data


class SupportTargetForm(forms.ModelForm):
    class Meta:
        model = SupportTarget
        fields = ["what", "strategies", "setting_does", "family_does", "others_do", "status"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in fields[:-1]}


class SupportReviewForm(forms.ModelForm):
    """Review: what happened, progress on each open target, the parents' views and the next date."""

    class Meta:
        model = SupportReview
        fields = ["held_on", "what_happened", "parents_views", "next_review_on"]
        widgets = {
            "held_on": DateInput(),
            "next_review_on": DateInput(),
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "parents_views": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"next_review_on": "Usually six to twelve weeks away. The key person is reminded a week before."}

    def __init__(self, *args, targets: list[SupportTarget], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            self.fields[f"progress_{target.pk}"] = forms.ChoiceField(
                label=f"Progress: {target.what}",
                choices=TargetProgress.Progress.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Say how this target went."},
            )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label="Note on this target", max_length=SHORT, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self) -> dict:
        data = super().clean()
        held, review = data.get("held_on"), data.get("next_review_on")
        if held and held > timezone.localdate():
            self.add_error("held_on", "Record a review once it has happened: the date cannot be in the future.")
        if held and held < self.instance.plan.started_on:
            self.add_error("held_on", "The review cannot be before the plan started.")
        if held and review and review <= held:
            self.add_error("next_review_on", "The next review must come after this one.")
        return data

    def progress(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {t.pk: (data[f"progress_{t.pk}"], data.get(f"note_{t.pk}", "")) for t in self.targets}


class ParentContributionForm(forms.ModelForm):
    class Meta:
        model = ParentContribution
        fields = ["views", "works_at_home"]
        widgets = {"views": forms.Textarea(attrs={"rows": 3}), "works_at_home": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "views": "How you feel things are going, and anything you would like to change.",
            "works_at_home": "What helps your child at home: words, routines, toys, ways of calming.",
        }

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("views", "").strip() or data.get("works_at_home", "").strip()):
            raise forms.ValidationError("Write something in at least one of the boxes.")
        return data
