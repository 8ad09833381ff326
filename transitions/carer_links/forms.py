"""Forms for sharing with other carers: a carer, a paper consent, a link, and the carer's note back."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from nursery.forms import DateInput

from . import services
from .models import CarerNote, OtherCarer


class CarerForm(forms.ModelForm):
    class Meta:
        model = OtherCarer
        fields = ["name", "role", "organisation", "email"]
        labels = {
            "name": "Their name",
            "role": "Who they are",
            "organisation": "Where they work (optional)",
            "email": "Their e-mail (optional)",
        }


class PaperConsentForm(forms.Form):
    signed_on = forms.DateField(label="Date on the signed form", widget=DateInput())

    def clean_signed_on(self) -> date:
        day = self.cleaned_data["signed_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError("The form cannot be signed in the future.")
        if day < today - timedelta(days=366):
            raise forms.ValidationError("A form over a year old is too old: ask the family again.")
        return day


class CarerLinkForm(forms.Form):
    days = forms.IntegerField(
        label="The link works for (days)",
        min_value=1,
        max_value=services.LINK_MAX_DAYS,
        initial=services.LINK_DAYS,
        help_text=f"At most {services.LINK_MAX_DAYS} days.",
    )


class CarerNoteForm(forms.Form):
    text = forms.CharField(
        label="What are you working on with the child?",
        max_length=CarerNote.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The key person and the family read this.",
    )
