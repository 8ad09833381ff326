"""Forms for the day: one tap on the room's care log, correcting an entry, and an accident report."""

from django import forms

from children.models import Child

from .models import Amount, CareEntry, Condition, Incident, Meal


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class ChildChips(forms.ModelMultipleChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return child.known_as


class QuickCareForm(forms.Form):
    """One tap on a room screen: the same entry for every ticked child."""

    ACTIONS = (
        [(f"meal:{value}", label) for value, label in Amount.choices]
        + [(f"{kind}:{value}", label) for kind in ("nappy", "toilet") for value, label in Condition.choices]
        + [("sleep:start", "Asleep now"), ("sleep:end", "Woke up"), ("sleep:check", "Checked")]
        + [("care:", "Add personal care"), ("note:", "Add note")]
    )

    child = ChildChips(
        queryset=Child.objects.none(),
        required=False,
        label="Children",
        error_messages={"invalid_choice": "A child you chose is not in this room. Reload the page and try again."},
    )
    at = forms.TimeField(label="Time", required=False, widget=TimeInput, help_text="Leave empty for now.")
    meal = forms.ChoiceField(label="Which meal or drink", choices=Meal.choices, required=False)
    note = forms.CharField(label="Note", max_length=500, required=False)
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, *args, children, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class CorrectCareEntryForm(forms.Form):
    at = forms.TimeField(label="Time", widget=TimeInput)
    ends_at = forms.TimeField(label="Woke up at", widget=TimeInput, required=False)
    amount = forms.ChoiceField(label="How much", choices=Amount.choices)
    condition = forms.ChoiceField(choices=Condition.choices)
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    done_by = forms.ModelChoiceField(label="Who did it", queryset=None, required=False)

    def __init__(self, *args, entry: CareEntry, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_by"].queryset = staff
        if entry.kind != CareEntry.Kind.SLEEP:
            del self.fields["ends_at"]
        if entry.kind != CareEntry.Kind.MEAL:
            del self.fields["amount"]
        if entry.kind not in (CareEntry.Kind.NAPPY, CareEntry.Kind.TOILET):
            del self.fields["condition"]


class IncidentForm(forms.ModelForm):
    at = forms.TimeField(label="Time it happened", widget=TimeInput)

    class Meta:
        model = Incident
        fields = ["kind", "at", "what_happened", "where", "first_aid", "witness"]
        widgets = {
            "kind": forms.RadioSelect,
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "first_aid": forms.Textarea(attrs={"rows": 2}),
        }
