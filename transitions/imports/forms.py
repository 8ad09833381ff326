"""The form a manager uploads another setting's leaver pack with."""

from django import forms
from django.conf import settings


class PackUploadForm(forms.Form):
    pack = forms.FileField(
        label="Leaver pack ZIP",
        help_text="The ZIP the other setting's KeyStory (or other software) made. Nothing is imported until "
        "you confirm.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_pack(self):
        upload = self.cleaned_data["pack"]
        if upload.size > settings.PACK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is larger than the {settings.PACK_IMPORT_MAX_BYTES // (1024 * 1024):,} MB KeyStory accepts."
            )
        return upload
