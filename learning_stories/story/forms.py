"""Forms of the story page (its filters), a family's home contribution and their e-mail choice."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child
from core.text import OBSERVATION
from nursery.forms import DateInput

from ..models import Area, Aspect, Framework, NotificationPreference


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def clean(self, data, initial=None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class HomeContributionForm(forms.Form):
    text = forms.CharField(
        label=_("What happened at home?"),
        max_length=OBSERVATION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Something new they did or said, a day out, a picture they made."),
    )
    observed_on = forms.DateField(label=_("When"), widget=DateInput())
    photos = MultiplePhotoField(
        label=_("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}),
        help_text=_("JPEG, PNG or iPhone/iPad (HEIC) photos."),
    )
    clips = MultiplePhotoField(
        label="Videos or sound recordings (optional)",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "video/*,audio/*", "multiple": True}),
    )

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.initial.setdefault("observed_on", timezone.localdate())
        nursery = child.nursery
        self.fields["clips"].help_text = (
            f"Short clips: videos up to {nursery.clip_video_max_seconds} seconds ({nursery.clip_video_max_mb} MB), "
            f"sound up to {nursery.clip_audio_max_seconds} seconds ({nursery.clip_audio_max_mb} MB). "
            "Location and phone details are removed."
        )

    def clean_observed_on(self) -> date:
        day = self.cleaned_data["observed_on"]
        if problem := self.child.entry_date_problem(day):
            raise forms.ValidationError(problem)
        return day


class NotificationForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mail me about new entries in my children's stories"),
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
    )


class StoryFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All areas"),
        widget=forms.Select({"class": "form-select"}),
    )
    aspect = forms.ModelChoiceField(
        queryset=Aspect.objects.none(),
        required=False,
        empty_label=_("All goals"),
        widget=forms.Select({"class": "form-select"}),
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput({"type": "date", "class": "form-control"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput({"type": "date", "class": "form-control"})
    )

    def __init__(self, *args, framework: Framework | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if framework is not None:
            self.fields["area"].queryset = framework.areas.all()
            self.fields["aspect"].queryset = Aspect.objects.filter(area__framework=framework).select_related("area")
