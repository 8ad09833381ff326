"""The manager's forms: the nursery's retention periods, and a legal hold on a child."""

from django import forms
from django.core.exceptions import ValidationError

from children.models import Child

from .models import LegalHold
from .schedule import KINDS, MAX_MONTHS, months_in_words


class PeriodsForm(forms.Form):
    """One number of months per kind; shorter than the legal minimum is refused, naming the minimum."""

    def __init__(self, *args, current: dict[str, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in KINDS:
            self.fields[kind.code] = forms.IntegerField(
                label=f"{kind.label}: months",
                initial=current[kind.code],
                min_value=1,
                max_value=MAX_MONTHS,
                help_text=(
                    f"At least {kind.minimum} months ({months_in_words(kind.minimum)}): {kind.basis.lower()}."
                    if kind.minimum
                    else "No minimum in law."
                ),
            )

    def clean(self) -> dict:
        data = super().clean()
        for kind in KINDS:
            months = data.get(kind.code)
            if months is not None and kind.minimum and months < kind.minimum:
                self.add_error(
                    kind.code,
                    ValidationError(
                        f"{kind.minimum_by} sets at least {kind.minimum} months "
                        f"({months_in_words(kind.minimum)}) for {kind.label.lower()}: you may keep them longer, "
                        "not shorter.",
                        code="below_minimum",
                    ),
                )
        return data

    def rows(self):
        """(kind, bound field) in the schedule's order, for the table."""
        return [(kind, self[kind.code]) for kind in KINDS]


class HoldForm(forms.ModelForm):
    class Meta:
        model = LegalHold
        fields = ["child", "reason"]
        labels = {"reason": "Why the record is held"}
        help_texts = {"reason": "e.g. an insurance claim, a request from the police or the local authority."}

    def __init__(self, *args, nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Leavers too: a hold matters most once a child has left.
        held = LegalHold.objects.filter(released_at__isnull=True).values("child_id")
        self.fields["child"].queryset = Child.objects.filter(nursery=nursery).exclude(pk__in=held)
        self.fields["child"].label = "Child"
