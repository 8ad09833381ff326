"""Forms for a message, an announcement and the family's e-mail choice. Bad input keeps what was typed."""

from django import forms
from django.db.models import QuerySet

from children.models import Child, PhotoConsent
from children.selectors import photo_consent_states
from core.images import PhotoField
from nursery.models import Room

from .models import ANNOUNCEMENT_MAX_LENGTH, MESSAGE_MAX_LENGTH, EmailChoice


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX_LENGTH}),
        error_messages={"max_length": f"Keep a message under {MESSAGE_MAX_LENGTH} characters (it has %(show_value)d)."},
    )
    photo = PhotoField(label="Add a photo (optional)", required=False)
    others_in_photo = forms.ModelMultipleChoiceField(
        label="Who else is in the photo?",
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, child: Child, others: QuerySet[Child] | None = None, **kwargs) -> None:
        """``others``: the children staff may name as also in the photo; None for a family (no such choice)."""
        super().__init__(*args, **kwargs)
        if others is None:
            del self.fields["others_in_photo"]
            return
        field = self.fields["others_in_photo"]
        field.queryset = others
        field.help_text = f"Tick nobody if only {child.known_as} is in it. Consent is checked for everyone ticked."
        states: dict[int, str] = {}

        def label(other: Child) -> str:
            if not states:  # one consent query, when the choices are first drawn
                states.update(photo_consent_states(others.values_list("pk", flat=True)))
            name = f"{other.known_as} {other.last_name}"
            return (
                name if states.get(other.pk) == PhotoConsent.ALL else f"{name} (no consent to appear in others' photos)"
            )

        field.label_from_instance = label

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("photo"):
            raise forms.ValidationError("Write a message or add a photo before sending.")
        return data


class AnnouncementForm(forms.Form):
    room = forms.ModelChoiceField(
        label="Who is it for?", queryset=Room.objects.none(), required=False, empty_label="All families"
    )
    title = forms.CharField(max_length=120)
    text = forms.CharField(
        label="Announcement",
        max_length=ANNOUNCEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": ANNOUNCEMENT_MAX_LENGTH}),
    )

    def __init__(self, *args, rooms, whole_nursery: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["room"]
        field.queryset = rooms
        if not whole_nursery:  # only managers write to every family
            field.required = True
            field.empty_label = None


class EmailChoiceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="E-mail me about messages and announcements",
        choices=EmailChoice.Frequency.choices,
        widget=forms.RadioSelect,
    )
