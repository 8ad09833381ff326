"""The upload form and the signed, staged file carried from the preview to the confirm button."""

from datetime import timedelta

from django import forms
from django.core import signing

from .reading import MAX_BYTES, MAX_ROWS, UnreadableFile, decode

STAGED_FOR = timedelta(hours=2)


class ChildrenUploadForm(forms.Form):
    file = forms.FileField(
        label="Your CSV file",
        help_text=f"Up to {MAX_ROWS} children and {MAX_BYTES // (1024 * 1024)} MB. Nothing is saved until you "
        "have checked the preview and confirmed.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        """The file's text (the form's cleaned value), once it is known to be readable."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"This file is larger than {MAX_BYTES // (1024 * 1024)} MB, the most KeyStory takes at once. "
                "Split it into smaller files."
            )
        try:
            return decode(upload.read())
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from None


def _salt(nursery_id: int, user_id: int) -> str:
    return f"children.imports:{nursery_id}:{user_id}"


def stage(text: str, *, nursery_id: int, user_id: int) -> str:
    """The checked file, signed for this manager and nursery, to carry in a hidden field (no file kept)."""
    return signing.dumps(text, salt=_salt(nursery_id, user_id), compress=True)


class ConfirmImportForm(forms.Form):
    staged = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, nursery_id: int, user_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.salt = _salt(nursery_id, user_id)

    def clean_staged(self) -> str:
        try:
            return signing.loads(self.cleaned_data["staged"], salt=self.salt, max_age=STAGED_FOR)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "This preview is more than two hours old. Upload the file again to check it once more."
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError("This preview could not be read. Upload the file again.") from None
