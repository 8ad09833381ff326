"""Writes for assessments: a nursery's assessment points, and the grid of judgements for one child at one point."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event
from nursery.models import Nursery

from ..models import Area, Aspect, Assessment, AssessmentPoint, Band, Framework, Observation, ObservationChild


def _day(value: date) -> str:
    return f"{value:%-d %b %Y}"


def check_assessment_point(*, nursery: Nursery, name: str, starts_on: date, ends_on: date) -> None:
    """Raise ValidationError (by field) for a window that is back to front, overlaps another point or
    reuses a name: trackers compare points in date order, so windows must not overlap."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day is before the first day: swap them round."})
    others = AssessmentPoint.objects.filter(nursery=nursery)
    if others.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": "There is already an assessment point with this name."})
    clash = others.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if clash is not None:
        raise ValidationError(
            f"These dates overlap {clash.name} ({_day(clash.starts_on)} to {_day(clash.ends_on)}). "
            "Choose dates that start after it ends or end before it starts."
        )


def add_assessment_point(*, nursery: Nursery, name: str, starts_on: date, ends_on: date) -> AssessmentPoint:
    check_assessment_point(nursery=nursery, name=name, starts_on=starts_on, ends_on=ends_on)
    return AssessmentPoint.objects.create(nursery=nursery, name=name.strip(), starts_on=starts_on, ends_on=ends_on)


def check_assessment_date(*, child: Child, point: AssessmentPoint, assessed_on: date) -> None:
    """The day of an assessment must be in the point's window and in the child's time at the nursery."""
    name = child.known_as
    if child.start_date and assessed_on < child.start_date:
        raise ValidationError(f"{name} started at the nursery on {_day(child.start_date)}, after this date.")
    if child.leave_date and assessed_on > child.leave_date:
        raise ValidationError(f"{name} left the nursery on {_day(child.leave_date)}, before this date.")
    if not point.starts_on <= assessed_on <= point.ends_on:
        raise ValidationError(
            f"{point.name} runs from {_day(point.starts_on)} to {_day(point.ends_on)}: choose a date in between."
        )


@dataclass(frozen=True)
class Judgement:
    """One row of the assessment grid: an area (or, for a reception-age child, one early learning goal)."""

    area: Area
    aspect: Aspect | None
    band: Band | None
    judgement: str
    rationale: str
    observations: list[Observation] = field(default_factory=list)


def check_judgement(*, child: Child, framework: Framework, row: Judgement) -> None:
    """Raise ValidationError (by field: band, judgement, observations) for what the grid cannot offer,
    so a tampered form is refused as clearly as a slip."""
    area_judgements = {Assessment.Judgement.ON_TRACK, Assessment.Judgement.NOT_ON_TRACK}
    if row.area.framework_id != framework.pk:
        raise ValidationError(f"{row.area.name} is not an area of {framework.name}, the framework your nursery uses.")
    if row.aspect is not None and row.aspect.area_id != row.area.pk:
        raise ValidationError(f"{row.aspect.name} is not an early learning goal of {row.area.name}.")
    if row.aspect is None:
        if row.band is None:
            raise ValidationError({"band": f"Choose the {framework.band_term} {child.known_as} is working in."})
        if row.band.framework_id != framework.pk:
            wrong = f"{row.band.name} is not a {framework.band_term} of {framework.name}, which your nursery uses."
            raise ValidationError({"band": wrong})
        if row.judgement not in area_judgements:
            raise ValidationError({"judgement": "Choose on track or not on track."})
    elif row.judgement not in {Assessment.Judgement.EMERGING, Assessment.Judgement.EXPECTED}:
        raise ValidationError({"judgement": "Choose emerging or expected."})
    if not row.rationale.strip():
        raise ValidationError({"rationale": "Write a sentence on what you have seen."})
    ids = {o.pk for o in row.observations}
    if ids and ObservationChild.objects.filter(observation_id__in=ids, child=child).count() != len(ids):
        raise ValidationError({"observations": f"Only observations of {child.known_as} can back this judgement."})


@transaction.atomic
def record_assessments(
    *,
    child: Child,
    point: AssessmentPoint,
    framework: Framework,
    assessed_on: date,
    rows: list[Judgement],
    cleared: list[tuple[Area, Aspect | None]],
    by: User,
) -> list[Assessment]:
    """Save the grid: one assessment per area (or goal) at the point, replacing an earlier one; rows
    left empty remove what was there."""
    if point.nursery_id != child.nursery_id:
        raise ValidationError("This assessment point belongs to another nursery.")
    check_assessment_date(child=child, point=point, assessed_on=assessed_on)
    for row in rows:
        check_judgement(child=child, framework=framework, row=row)
    saved = []
    for row in rows:
        assessment, _ = Assessment.objects.update_or_create(
            child=child,
            point=point,
            area=row.area,
            aspect=row.aspect,
            defaults={
                "band": row.band,
                "judgement": row.judgement,
                "rationale": row.rationale.strip(),
                "assessed_on": assessed_on,
                "assessed_by": by,
            },
        )
        assessment.observations.set(row.observations)
        saved.append(assessment)
        what = f"Assessment at {point.name}: {row.aspect or row.area} {assessment.get_judgement_display().lower()}"
        record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=what)
    for area, aspect in cleared:
        removed, _ = Assessment.objects.filter(child=child, point=point, area=area, aspect=aspect).delete()
        if removed:
            what = f"Assessment at {point.name}: {aspect or area} removed"
            record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=what)
    return saved
