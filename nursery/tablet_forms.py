"""Forms of a room's shared tablet: making one, the idle minutes, a member of staff's PIN, switching in."""

from django import forms

from accounts.pins import pin_problem

from .models import Nursery, Room


def _pin_field(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,  # pin_problem says what a PIN is, more clearly than a length error
        strip=True,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": autocomplete, "pattern": "[0-9]*", "maxlength": 6}
        ),
    )


class TabletForm(forms.Form):
    room = forms.ModelChoiceField(queryset=Room.objects.none(), label="Room", empty_label=None)
    name = forms.CharField(label="Name of this tablet", max_length=60, help_text="e.g. Butterflies tablet by the door")

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(nursery=nursery, archived_on__isnull=True).order_by("name")


class IdleMinutesForm(forms.ModelForm):
    class Meta:
        model = Nursery
        fields = ["tablet_idle_minutes"]
        help_texts = {"tablet_idle_minutes": "Between 1 and 60. The tablet then shows “Who's using the tablet?” again."}


class PinForm(forms.Form):
    pin = _pin_field("New PIN (4 to 6 digits)", "new-password")
    pin_again = _pin_field("Type the PIN again", "new-password")

    def clean_pin(self) -> str:
        pin = self.cleaned_data["pin"]
        problem = pin_problem(pin)
        if problem:
            raise forms.ValidationError(problem)
        return pin

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("pin") and cleaned.get("pin") != cleaned.get("pin_again"):
            self.add_error("pin_again", "The two PINs are different. Please type them again.")
        return cleaned


class SwitchInForm(forms.Form):
    pin = _pin_field("Your PIN", "off")
