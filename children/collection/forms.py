"""Forms for the family's collection page: the password, a person on the list and a one-off collector."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from nursery.forms import DateInput

from .models import AuthorisedCollector
from .services import ONE_OFF_AHEAD_DAYS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, one_off_day_problem


class CollectionPasswordForm(forms.Form):
    # render_value=False: the word never comes back in the page, even after a mistake.
    password = forms.CharField(
        label="New collection password",
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text="A word or phrase easy to say at the door. Tell it only to people you send to collect. "
        "The nursery cannot see it: staff only check what the person says.",
    )
    password_again = forms.CharField(
        label="Type it again",
        max_length=PASSWORD_MAX_LENGTH,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords are different: type the same one twice.")
        return data


class AuthorisedCollectorForm(forms.ModelForm):
    class Meta:
        model = AuthorisedCollector
        fields = ["name", "relationship", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}


class OneOffCollectorForm(forms.Form):
    day = forms.DateField(label="Day", widget=DateInput())
    name = forms.CharField(label="Their name", max_length=150)
    relationship = forms.CharField(
        label="Who they are to your child", max_length=80, help_text="e.g. Neighbour, Uncle, Friend's mum"
    )
    phone = forms.CharField(
        label="Their phone (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["day"].widget.attrs.update(
            min=today.isoformat(), max=(today + timedelta(days=ONE_OFF_AHEAD_DAYS)).isoformat()
        )
        self.fields["day"].initial = today

    def clean_day(self):
        day = self.cleaned_data["day"]
        if problem := one_off_day_problem(day):
            raise forms.ValidationError(problem)
        return day
