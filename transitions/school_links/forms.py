"""The form a manager shares a ready leaver pack with."""

from django import forms
from django.conf import settings

from ..models import LeaverPack, SchoolShareLink


class SchoolLinkForm(forms.ModelForm):
    """Share a ready leaver pack with the receiving school."""

    pack = forms.ModelChoiceField(queryset=LeaverPack.objects.none(), label="Which leaver pack", empty_label=None)
    days = forms.IntegerField(
        label="The link works for (days)",
        min_value=1,
        max_value=365,
    )

    class Meta:
        model = SchoolShareLink
        fields = ["school", "email"]
        labels = {"school": "School's name", "email": "School's e-mail (optional)"}
        help_texts = {"email": "We e-mail the link to this address. Leave empty to copy the link yourself."}

    def __init__(self, *args, packs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pack"].queryset = packs
        self.fields["days"].initial = settings.SCHOOL_LINK_VALID_DAYS
        self.fields["pack"].label_from_instance = lambda pack: f"Made {pack.built_at or pack.requested_at:%d %b %Y}"
        self.order_fields(["pack", "school", "email", "days"])
