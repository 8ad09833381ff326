"""Forms of the capture page, the manager's review and its setting, comments and tagging a home entry."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from children.models import Child
from core.ids import parse_id, parse_ids
from core.text import OBSERVATION, SHORT, text_messages, text_problem

from ..models import Area, Aspect, Characteristic, Framework, Statement
from ..next_steps.forms import achieved_steps
from ..wellbeing.scales import INVOLVEMENT_CHOICES, ONE_CHILD_ONLY, WELLBEING_CHOICES
from .selectors import with_same_wording
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
    text = forms.CharField(
        label="What happened", max_length=OBSERVATION, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    child_voice = forms.CharField(
        label="The child's own words", max_length=SHORT, required=False, widget=forms.Textarea(attrs={"rows": 2})
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
    wellbeing = forms.TypedChoiceField(
        choices=[("", "Not rated"), *WELLBEING_CHOICES], coerce=int, empty_value=None, required=False
    )
    involvement = forms.TypedChoiceField(
        choices=[("", "Not rated"), *INVOLVEMENT_CHOICES], coerce=int, empty_value=None, required=False
    )

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

    def clean(self) -> dict:
        data = super().clean()
        rated = [name for name in ("wellbeing", "involvement") if data.get(name) is not None]
        if rated and len(data.get("children") or []) != 1:  # a rating is about one child (wellbeing.scales)
            self.add_error(rated[0], ONE_CHILD_ONLY)
        for value in self.typed_next_steps().values():  # typed per child, so not a declared field
            problem = text_problem(value, SHORT, "a next step")
            if problem:
                self.add_error(None, problem)
                break
        return data

    def typed_next_steps(self) -> dict[int, str]:
        """The next step typed for each child (``next_steps_<child id>``), as sent."""
        prefix = "next_steps_"
        typed = ((key.removeprefix(prefix), value) for key, value in self.data.items() if key.startswith(prefix))
        return {pk: value for written, value in typed if (pk := parse_id(written)) is not None}

    def ticked_steps(self) -> set[int] | None:
        """The next steps ticked as achieved, as sent; None before the page is sent."""
        if not self.is_bound:
            return None
        return set(parse_ids(self.data.getlist("achieved_step")))

    def observation_data(self) -> ObservationData:
        data = self.cleaned_data
        children = list(data["children"])
        by_pk = {child.pk: child for child in self.fields["children"].queryset.filter(pk__in=self._photo_child_ids())}
        photo_children = {}
        for photo in self.photos:
            if f"photo_{photo.pk}_shown" in self.data:
                photo_children[photo.pk] = [
                    by_pk[pk] for pk in parse_ids(self.data.getlist(f"photo_{photo.pk}_children")) if pk in by_pk
                ]
        return ObservationData(
            observed_at=data["observed_at"],
            text=data["text"],
            child_voice=data["child_voice"],
            children=children,
            next_steps=self.typed_next_steps(),
            staff_only=data["staff_only"],
            wellbeing=data["wellbeing"],
            involvement=data["involvement"],
            framework=self.framework,
            areas=list(data["areas"]),
            aspects=list(data["aspects"]),
            statements=list(data["statements"]),
            characteristics=list(data["characteristics"]),
            photo_children=photo_children,
            achieved_steps=with_same_wording(achieved_steps(self.data, children)),
        )

    def _photo_child_ids(self) -> set[int]:
        ids = set()
        for photo in self.photos:
            ids.update(parse_ids(self.data.getlist(f"photo_{photo.pk}_children")))
        return ids


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should be changed?",
        max_length=SHORT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The practitioner sees this when they open the observation again.",
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Add a comment",
        max_length=SHORT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=text_messages("your comment") | {"required": "Write a comment first."},
    )


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


class ReviewPolicyForm(forms.Form):
    observations_need_review = forms.BooleanField(
        label="A manager checks each observation before families see it",
        required=False,
        help_text="When off, an observation is shared with the family as soon as the practitioner sends it.",
    )
