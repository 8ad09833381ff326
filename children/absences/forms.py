"""The form a family member fills in on their phone to say their child will be off (and staff taking a call)."""

from django import forms

from children.models import Child, Guardianship
from nursery.forms import DateInput

from .models import Absence
from .selectors import reporting_family
from .services import Report


class AbsenceForm(forms.Form):
    first_day = forms.DateField(label="First day off", widget=DateInput())
    last_day = forms.DateField(
        label="Last day off", required=False, widget=DateInput(), help_text="Leave empty for one day."
    )
    reason = forms.ChoiceField(label="Why", choices=Absence.Reason.choices, widget=forms.RadioSelect)
    symptoms = forms.CharField(
        label="Symptoms",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If ill: for example a temperature, sickness or a rash, and since when. Only the nursery's "
        "staff read this.",
    )
    note = forms.CharField(label="Anything else the nursery should know", required=False, max_length=500)

    def __init__(self, *args, absence: Absence | None = None, **kwargs) -> None:
        if absence is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                name: getattr(absence, name) for name in ("first_day", "last_day", "reason", "symptoms", "note")
            }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("first_day") and not data.get("last_day"):
            data["last_day"] = data["first_day"]
        return data

    def report(self) -> Report:
        data = self.cleaned_data
        return Report(
            first_day=data["first_day"],
            last_day=data["last_day"],
            reason=data["reason"],
            symptoms=data.get("symptoms", ""),
            note=data.get("note", ""),
        )

    def add_service_error(self, exc) -> None:
        """Put a service's ``ValidationError`` on the fields it names (the typed input stays)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class FamilyMember(forms.ModelChoiceField):
    def label_from_instance(self, link: Guardianship) -> str:
        return f"{link.user.full_name} ({link.get_relationship_display().lower()})"


class StaffAbsenceReportForm(AbsenceForm):
    """Staff record a call from the family: who called, then the same questions."""

    field_order = ["caller", "caller_name", "first_day", "last_day", "reason", "symptoms", "note"]

    caller = FamilyMember(
        label="Who called",
        queryset=Guardianship.objects.none(),
        required=False,
        empty_label="Someone else (type their name)",
    )
    caller_name = forms.CharField(label="Their name", required=False, max_length=150)

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caller"].queryset = reporting_family(child)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("caller") and not data.get("caller_name", "").strip():
            self.add_error("caller_name", "Choose who called, or type their name.")
        return data
