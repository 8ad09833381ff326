from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from children.models import Child
from nursery.forms import DateInput

from .models import Area, Aspect, Assessment, Characteristic, Framework, NextStep, NotificationPreference, Statement
from .services import ObservationData


class WallClockDateTimeField(forms.DateTimeField):
    """A time as the nursery's clocks read it. Where Django refuses a time that happens twice (the hour the clocks
    go back) or never (the hour they skip), this takes the first of the two, or the time in winter time (01:30
    is 02:30 summer time): the capture page pre-fills the time now, and must be able to save it."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
            return timezone.make_aware(error.params["datetime"])  # fold=0: the first, or the offset before


class ObservationForm(forms.Form):
    """The capture page. Every field is optional for a draft; ``services.submit`` checks what sharing needs."""

    observed_at = WallClockDateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    children = forms.ModelMultipleChoiceField(
        queryset=Child.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(label="What happened", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    child_voice = forms.CharField(
        label="The child's own words", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    aspects = forms.ModelMultipleChoiceField(
        queryset=Aspect.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    statements = forms.ModelMultipleChoiceField(
        queryset=Statement.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    characteristics = forms.ModelMultipleChoiceField(
        queryset=Characteristic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    staff_only = forms.BooleanField(label="Staff only: keep this out of the family's story", required=False)

    def __init__(self, *args, children, framework: Framework | None, photos=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.photos = list(photos)
        self.fields["children"].queryset = children
        if framework is not None:
            self.fields["areas"].queryset = framework.areas.all()
            self.fields["aspects"].queryset = Aspect.objects.filter(area__framework=framework)
            self.fields["statements"].queryset = Statement.objects.filter(area__framework=framework)
            self.fields["characteristics"].queryset = framework.characteristics.all()
        if not self.is_bound and "observed_at" not in self.initial:
            self.initial["observed_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def _per_child(self, prefix: str) -> dict[int, str]:
        return {
            int(key.removeprefix(prefix)): value
            for key, value in self.data.items()
            if key.startswith(prefix) and key.removeprefix(prefix).isdigit()
        }

    def observation_data(self) -> ObservationData:
        data = self.cleaned_data
        children = list(data["children"])
        by_pk = {child.pk: child for child in self.fields["children"].queryset.filter(pk__in=self._photo_child_ids())}
        photo_children = {}
        for photo in self.photos:
            if f"photo_{photo.pk}_shown" in self.data:
                photo_children[photo.pk] = [
                    by_pk[int(pk)] for pk in self.data.getlist(f"photo_{photo.pk}_children") if int(pk) in by_pk
                ]
        return ObservationData(
            observed_at=data["observed_at"],
            text=data["text"],
            child_voice=data["child_voice"],
            children=children,
            next_steps=self._per_child("next_steps_"),
            staff_only=data["staff_only"],
            framework=self.framework,
            areas=list(data["areas"]),
            aspects=list(data["aspects"]),
            statements=list(data["statements"]),
            characteristics=list(data["characteristics"]),
            photo_children=photo_children,
            achieved_steps=achieved_steps(self.data, children),
        )

    def _photo_child_ids(self) -> set[int]:
        ids = set()
        for photo in self.photos:
            ids |= {int(pk) for pk in self.data.getlist(f"photo_{photo.pk}_children") if pk.isdigit()}
        return ids


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should be changed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The practitioner sees this when they open the observation again.",
    )


class CommentForm(forms.Form):
    text = forms.CharField(label="Add a comment", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def clean(self, data, initial=None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class HomeContributionForm(forms.Form):
    text = forms.CharField(
        label="What happened at home?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Something new they did or said, a day out, a picture they made.",
    )
    observed_on = forms.DateField(label="When", widget=DateInput())
    photos = MultiplePhotoField(
        label="Photos (optional)",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}),
        help_text="JPEG, PNG or iPhone/iPad (HEIC) photos.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("observed_on", timezone.localdate())


class TagForm(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    aspects = forms.ModelMultipleChoiceField(
        queryset=Aspect.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = framework.areas.all()
        self.fields["aspects"].queryset = Aspect.objects.filter(area__framework=framework)


class NotificationForm(forms.Form):
    frequency = forms.ChoiceField(
        label="E-mail me about new entries in my children's stories",
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
    )


class ReviewPolicyForm(forms.Form):
    observations_need_review = forms.BooleanField(
        label="A manager checks each observation before families see it",
        required=False,
        help_text="When off, an observation is shared with the family as soon as the practitioner sends it.",
    )


class StoryFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        empty_label="All areas",
        widget=forms.Select({"class": "form-select"}),
    )
    aspect = forms.ModelChoiceField(
        queryset=Aspect.objects.none(),
        required=False,
        empty_label="All goals",
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


def achieved_steps(data, children: list[Child]) -> list[int]:
    """The ticked "this shows a next step achieved" boxes, kept only for the children still chosen."""
    ticked = [int(pk) for pk in data.getlist("achieved_step") if str(pk).isdigit()] if hasattr(data, "getlist") else []
    if not ticked:
        return []
    return list(
        NextStep.objects.filter(pk__in=ticked, child__in=children, status=NextStep.Status.OPEN).values_list(
            "pk", flat=True
        )
    )


class NextStepForm(forms.Form):
    text = forms.CharField(
        label="Next step",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you will help the child learn or try next, in words a parent understands.",
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        empty_label="(no particular area)",
        widget=forms.Select({"class": "form-select"}),
    )
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        label="From an assessment (optional)",
        widget=forms.Select({"class": "form-select"}),
    )

    def __init__(self, *args, child: Child, framework: Framework, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = framework.areas.all()
        self.fields["assessment"].queryset = child.assessments.select_related("point", "area").order_by(
            "-point__starts_on", "area__order"
        )
        self.fields["assessment"].label_from_instance = _assessment_label


def _assessment_label(assessment: Assessment) -> str:
    return f"{assessment.point}: {assessment.area.name} ({assessment.get_judgement_display()})"
