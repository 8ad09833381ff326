"""Forms for assessment points and the assessment grid (one page per child and point, every area on it)."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from children.models import Child
from core.text import SHORT
from nursery.forms import DateInput
from nursery.models import Nursery

from ..models import Area, Aspect, Assessment, AssessmentPoint, Band, Framework, Observation
from . import services

AREA_JUDGEMENTS = [(v, Assessment.Judgement(v).label) for v in Assessment.Judgement.values[:2]]
GOAL_JUDGEMENTS = [(v, Assessment.Judgement(v).label) for v in Assessment.Judgement.values[2:]]


class AssessmentPointForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="e.g. Autumn term 2026")
    starts_on = forms.DateField(label="First day", widget=DateInput())
    ends_on = forms.DateField(label="Last day", widget=DateInput())

    def __init__(self, *args, nursery: Nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nursery = nursery

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            try:
                services.check_assessment_point(nursery=self.nursery, **data)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


class EvidenceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, entry: Observation) -> str:
        return f"{timezone.localtime(entry.observed_at):%-d %b}: {entry.text[:90] or 'Photos'}"


@dataclass
class GridRow:
    """One line of the grid: an area, or an early learning goal within it, with its form fields."""

    key: str
    area: Area
    aspect: Aspect | None
    form: "AssessmentGridForm"

    def _field(self, name: str) -> forms.BoundField | None:
        field = f"{self.key}-{name}"
        return self.form[field] if field in self.form.fields else None

    @property
    def band(self) -> forms.BoundField | None:
        return self._field("band")

    @property
    def judgement(self) -> forms.BoundField:
        return self._field("judgement")

    @property
    def rationale(self) -> forms.BoundField:
        return self._field("rationale")

    @property
    def observations(self) -> forms.BoundField:
        return self._field("observations")

    @property
    def first_of_area(self) -> bool:
        return self.aspect is None or self.aspect == next(iter(self.area.aspects.all()))


class AssessmentGridForm(forms.Form):
    """Every area (or, for a reception-age child, every early learning goal) at one point. A row left
    empty is not assessed (and removes an earlier judgement); what was typed comes back with any error."""

    assessed_on = forms.DateField(label="Date of the assessment", widget=DateInput())

    def __init__(
        self,
        *args,
        child: Child,
        point: AssessmentPoint,
        framework: Framework,
        areas: list[Area],
        default_band: Band | None,
        reception: bool,
        evidence: dict[int, list[Observation]],
        existing: list[Assessment],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child, self.point, self.framework = child, point, framework
        self.fields["assessed_on"].initial = min(max(timezone.localdate(), point.starts_on), point.ends_on)
        known = {(a.area_id, a.aspect_id): a for a in existing}
        self.had_assessments = bool(existing)
        if existing:
            self.fields["assessed_on"].initial = existing[0].assessed_on
        self.rows: list[GridRow] = []
        for area in areas:
            for aspect in area.aspects.all() if reception else [None]:
                key = f"goal{aspect.pk}" if aspect else f"area{area.pk}"
                linked = known.get((area.pk, aspect.pk if aspect else None))
                offered = {o.pk for o in evidence.get(area.pk, [])} | (
                    {o.pk for o in linked.observations.all()} if linked else set()
                )
                self._add_row(key, area, aspect, default_band, linked, offered)

    def _add_row(
        self, key: str, area: Area, aspect: Aspect | None, band: Band | None, linked: Assessment | None, offered: set
    ) -> None:
        name = self.child.known_as
        if aspect is None:
            wrong = f"That {self.framework.band_term} is not in {self.framework.name}, which your nursery uses."
            self.fields[f"{key}-band"] = forms.ModelChoiceField(
                queryset=self.framework.bands.all(),
                required=False,
                label=f"{self.framework.band_term.capitalize()} {name} is working in",
                initial=linked.band_id if linked else (band.pk if band else None),
                error_messages={"invalid_choice": wrong},
            )
        self.fields[f"{key}-judgement"] = forms.ChoiceField(
            choices=GOAL_JUDGEMENTS if aspect else AREA_JUDGEMENTS,
            widget=forms.RadioSelect,
            required=False,
            label="Judgement",
            initial=linked.judgement if linked else None,
        )
        self.fields[f"{key}-rationale"] = forms.CharField(
            max_length=SHORT,
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
            label="Why (families read this: please don't name other children)",
            initial=linked.rationale if linked else "",
        )
        self.fields[f"{key}-observations"] = EvidenceField(
            queryset=Observation.objects.filter(pk__in=offered).order_by("-observed_at"),
            required=False,
            label="Observations behind it",
            initial=[o.pk for o in linked.observations.all()] if linked else [],
            error_messages={"invalid_choice": f"Only observations of {name} tagged with {area.name} can back this."},
        )
        self.rows.append(GridRow(key=key, area=area, aspect=aspect, form=self))

    def _is_empty(self, key: str) -> bool:
        data = self.cleaned_data
        return not (
            data.get(f"{key}-judgement") or data.get(f"{key}-rationale", "").strip() or data.get(f"{key}-observations")
        )

    def clean(self) -> dict:
        data = super().clean()
        assessed_on: date | None = data.get("assessed_on")
        if assessed_on:
            try:
                services.check_assessment_date(child=self.child, point=self.point, assessed_on=assessed_on)
            except ValidationError as exc:
                self.add_error("assessed_on", exc)
        self.judgements: list[services.Judgement] = []
        self.cleared: list[tuple[Area, Aspect | None]] = []
        for row in self.rows:
            if any(f"{row.key}-{name}" in self.errors for name in ("band", "observations")):
                continue
            if self._is_empty(row.key):
                self.cleared.append((row.area, row.aspect))
                continue
            judgement = services.Judgement(
                area=row.area,
                aspect=row.aspect,
                band=data.get(f"{row.key}-band"),
                judgement=data.get(f"{row.key}-judgement", ""),
                rationale=data.get(f"{row.key}-rationale", ""),
                observations=list(data.get(f"{row.key}-observations", [])),
            )
            try:
                services.check_judgement(child=self.child, framework=self.framework, row=judgement)
            except ValidationError as exc:
                self._add_row_error(row.key, exc)
            else:
                self.judgements.append(judgement)
        if not self.errors and not self.judgements and not self.had_assessments:
            self.add_error(None, "Nothing to save yet: choose a judgement for at least one area.")
        return data

    def _add_row_error(self, key: str, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(f"{key}-{field}", errors)
        else:
            self.add_error(None, exc)
