"""Forms for a settling-in plan: the visit and introduction, a session booked, how a session went."""

from django import forms

from nursery.forms import DateInput

from ..models import SettlingSession, StarterPlan
from ..plans.forms import DateTimeInput


class DetailsForm(forms.ModelForm):
    class Meta:
        model = StarterPlan
        fields = ["visit_kind", "visit_on", "visit_by", "visit_notes", "introduced_on", "introduced_how"]
        labels = {"visit_kind": "Visit before starting", "introduced_how": "How the family met the key person"}
        help_texts = {
            "visit_by": "e.g. the key person and the manager.",
            "visit_notes": "Staff only.",
            "introduced_on": "Before the first day, so the child and family know a familiar face.",
        }
        widgets = {
            "visit_kind": forms.RadioSelect,
            "introduced_how": forms.RadioSelect,
            "visit_on": DateInput(),
            "introduced_on": DateInput(),
            "visit_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, none in (("visit_kind", "Not booked yet"), ("introduced_how", "Not yet")):
            self.fields[name].choices = [("", none), *[c for c in self.fields[name].choices if c[0]]]


class SessionForm(forms.ModelForm):
    minutes = forms.IntegerField(label="Length in minutes", min_value=15, max_value=600, initial=60)

    class Meta:
        model = SettlingSession
        fields = ["starts_at", "minutes"]
        labels = {"starts_at": "Starts"}
        widgets = {"starts_at": DateTimeInput()}


class SessionOutcomeForm(forms.ModelForm):
    class Meta:
        model = SettlingSession
        fields = ["outcome", "note", "what_helped"]
        labels = {
            "outcome": "How did it go?",
            "note": "A short note (the family sees this)",
            "what_helped": "What helped (the family sees this)",
        }
        widgets = {"outcome": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [c for c in SettlingSession.Outcome.choices if c[0]]
        self.fields["outcome"].required = True
        self.fields["outcome"].error_messages["required"] = "Choose how the session went."
