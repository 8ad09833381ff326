"""Forms for next steps: one set by hand, and the "shows a step achieved" ticks of an entry."""

from django import forms

from children.models import Child
from core.ids import parse_ids

from ..models import Area, Assessment, Framework, NextStep


def achieved_steps(data, children: list[Child]) -> list[int]:
    """The ticked "this shows a next step achieved" boxes, kept only for the children still chosen."""
    ticked = parse_ids(data.getlist("achieved_step")) if hasattr(data, "getlist") else []
    if not ticked:
        return []
    return list(
        NextStep.objects.filter(pk__in=ticked, child__in=children, status=NextStep.Status.OPEN).values_list(
            "pk", flat=True
        )
    )


class NextStepForm(forms.Form):
    text = forms.CharField(
        label="Next step",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you will help the child learn or try next, in words a parent understands.",
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        empty_label="(no particular area)",
        widget=forms.Select({"class": "form-select"}),
    )
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        label="From an assessment (optional)",
        widget=forms.Select({"class": "form-select"}),
    )

    def __init__(self, *args, child: Child, framework: Framework, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = framework.areas.all()
        self.fields["assessment"].queryset = child.assessments.select_related("point", "area").order_by(
            "-point__starts_on", "area__order"
        )
        self.fields["assessment"].label_from_instance = _assessment_label


def _assessment_label(assessment: Assessment) -> str:
    return f"{assessment.point}: {assessment.area.name} ({assessment.get_judgement_display()})"
