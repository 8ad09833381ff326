"""Forms of the managers' framework pages: the framework chosen, and a nursery's own statement."""

from django import forms

from ..models import Area, Aspect, Band, Framework
from .selectors import frameworks_available


class FrameworkChoiceForm(forms.Form):
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select", "aria-describedby": "framework-help"}),
        label="Framework for new observations",
        help_text="Observations already written keep the statements they were tagged with.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks_available()


class AspectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, aspect: Aspect) -> str:
        return f"{aspect.area.name}: {aspect.name}"


class StatementForm(forms.Form):
    """A nursery's own statement: where it sits in the framework, and its words."""

    band = forms.ModelChoiceField(queryset=Band.objects.none(), label="Age band", empty_label=None)
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label="Area of learning", empty_label=None)
    aspect = AspectChoiceField(
        queryset=Aspect.objects.none(),
        required=False,
        label="Early learning goal (optional)",
        empty_label="None in particular",
    )
    text = forms.CharField(
        label="What children typically show",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="Short and in plain words, e.g. “Sings a favourite song from home in their first language.”",
    )

    def __init__(self, *args, framework: Framework, fixed_area: Area | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["band"].queryset = framework.bands.all()
        self.fields["area"].queryset = framework.areas.all()
        self.fields["aspect"].queryset = Aspect.objects.filter(area__framework=framework).select_related("area")
        if fixed_area:  # rewording: a statement stays in its band and area (retire it to move it)
            del self.fields["band"], self.fields["area"]
            self.fields["aspect"].queryset = self.fields["aspect"].queryset.filter(area=fixed_area)

    def clean(self) -> dict:
        data = super().clean()
        area, aspect = data.get("area"), data.get("aspect")
        if area and aspect and aspect.area_id != area.pk:
            self.add_error("aspect", f"“{aspect.name}” belongs to {aspect.area.name}, not {area.name}.")
        return data
