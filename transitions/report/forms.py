"""Forms for the transition report: the key person's text, the family's view and a manager's review."""

from django import forms

from core.text import LONG, SHORT

from ..models import TransitionReport


class ReportForm(forms.ModelForm):
    """The report's own fields, plus one paragraph per area of learning."""

    class Meta:
        model = TransitionReport
        fields = ["characteristics", "interests", "needs", "attendance", "parent_view", "child_voice"]
        help_texts = {
            "characteristics": "The characteristics of effective learning: how the child plays, explores and thinks.",
            "parent_view": "The family can write this themselves on their phone.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, areas: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area_fields = []
        for area in areas:
            name = f"area_{area.code}"
            self.fields[name] = forms.CharField(
                label=area.name,
                max_length=LONG,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=self.instance.areas.get(area.code, ""),
            )
            self.area_fields.append((area.code, name))

    def report_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["areas"] = {code: self.cleaned_data[name] for code, name in self.area_fields}
        return data


class ParentViewForm(forms.Form):
    parent_view = forms.CharField(
        label="Your view",
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What your child enjoys, how they are feeling about the move, anything the new staff should know.",
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Comment for the key person", max_length=SHORT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
