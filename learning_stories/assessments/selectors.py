"""Reads for assessments: a nursery's points, a child's judgements by point and area, the evidence offered
beside the grid, and who may record them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from children import care_team
from children.access import Viewer
from children.models import Child
from children.selectors import can_manage_child, children_in_staff_care
from nursery.models import Nursery

from ..models import Area, Assessment, AssessmentPoint, Band, Observation
from ..story.selectors import children_to_redact, redact, viewer_of


def may_assess(user: User, child: Child) -> bool:
    """Assessments are the key person's judgement (with their buddy, as co-key person) or a manager's:
    a colleague covering the room observes the child but does not overwrite the judgements."""
    return can_manage_child(user, child) or care_team.is_close_team(user, child)


def access_assessment_grid(user: User, pk: int, point: int) -> tuple[Child, AssessmentPoint]:
    """The child and the assessment point whose grid the user may fill in: 404 for another nursery's child
    or point, 403 for a colleague who is not the child's key person, their buddy or a manager."""
    child = get_object_or_404(children_in_staff_care(user), pk=pk)
    if not may_assess(user, child):
        raise PermissionDenied(f"Only {child.known_as}'s key person, their buddy or a manager records assessments.")
    return child, get_object_or_404(assessment_points_of(child.nursery_id), pk=point)


EVIDENCE_MONTHS = 6  # how far before an assessment point the observations offered as evidence go back
EVIDENCE_PER_AREA = 12


def assessment_points_of(nursery: Nursery | int) -> QuerySet[AssessmentPoint]:
    return AssessmentPoint.objects.filter(nursery_id=getattr(nursery, "pk", nursery))


def is_reception_age(child: Child, on: date) -> bool:
    """In the school year the child starts school (England: aged 4 on 31 August before it), when the key
    person judges the early learning goals rather than an age band."""
    if child.date_of_birth is None:
        return False
    september = on.year if on.month >= 9 else on.year - 1
    cutoff = date(september, 8, 31)
    born = child.date_of_birth
    age = cutoff.year - born.year - ((cutoff.month, cutoff.day) < (born.month, born.day))
    return age == 4


def bands_at(bands: Iterable[Band], child: Child, on: date) -> list[Band]:
    """The bands (from those already loaded) for the child's age on the day: ranges overlap, so maybe two."""
    months = child.age_in_months(on)
    if months is None:
        return []
    return [b for b in bands if b.min_months <= months and (b.max_months is None or months < b.max_months)]


def band_for(bands: Iterable[Band], child: Child, on: date) -> Band | None:
    """The first band (in the framework's order) for the child's age on the day."""
    return next(iter(bands_at(bands, child, on)), None)


def evidence_for(child: Child, point: AssessmentPoint) -> dict[int, list[Observation]]:
    """The child's shared and staff-only entries tagged with each area in the months before the point,
    newest first, by area id (one query plus one for the areas)."""
    since = point.starts_on - timedelta(days=round(30.44 * EVIDENCE_MONTHS))
    entries = (
        Observation.objects.filter(
            child_links__child=child,
            status=Observation.Status.PUBLISHED,
            observed_at__date__gte=since,
            observed_at__date__lte=point.ends_on,
        )
        .prefetch_related("areas")
        .order_by("-observed_at", "-pk")
        .distinct()
    )
    by_area: dict[int, list[Observation]] = {}
    for entry in entries:
        for area in entry.areas.all():
            found = by_area.setdefault(area.pk, [])
            if len(found) < EVIDENCE_PER_AREA:
                found.append(entry)
    return by_area


def assessments_for(child: Child) -> QuerySet[Assessment]:
    """The child's assessments at every point, oldest point first, with what each page shows of them."""
    return (
        Assessment.objects.filter(child=child)
        .select_related("point", "area", "aspect", "band", "assessed_by")
        .prefetch_related("observations")
        .order_by("point__starts_on", "point__pk", "area__order", "aspect__order")
    )


@dataclass
class PointSummary:
    """What was judged about one child at one assessment point, area by area."""

    point: AssessmentPoint
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def areas_on_track(self) -> int:
        return sum(1 for cell in area_cells(self.assessments).values() if cell.on_track)

    @property
    def areas_assessed(self) -> int:
        return len(area_cells(self.assessments))

    @property
    def by_area(self) -> list[tuple[Area, "AreaCell", list[Assessment]]]:
        """Each area judged: its overall judgement and the assessments behind it (one, or its goals)."""
        cells = area_cells(self.assessments)
        grouped: dict[int, tuple[Area, AreaCell, list[Assessment]]] = {}
        for assessment in self.assessments:
            grouped.setdefault(assessment.area_id, (assessment.area, cells[assessment.area.code], []))[2].append(
                assessment
            )
        return list(grouped.values())


@dataclass(frozen=True)
class AreaCell:
    """One child's judgement in one area: an area assessment, or the area's early learning goals together."""

    label: str
    on_track: bool
    band: str = ""


def area_cells(assessments: Iterable[Assessment]) -> dict[str, AreaCell]:
    """By area code (the same in every framework, so a nursery that changes framework keeps its history;
    areas must be loaded): the area's judgement, or for early learning goals "Expected" only when every
    goal judged in the area is expected (the way the EYFS profile counts a good level of development)."""
    return cells_from((a.area.code, a.aspect_id, a.band.name if a.band_id else "", a.judgement) for a in assessments)


JUDGEMENT_LABELS = dict(Assessment.Judgement.choices)
# Figures counted from judgements (the tracker's trend) are cached under this kind (core.caching): any save or
# delete of an assessment or an assessment point bumps it (see apps.py).
ASSESSMENTS = "assessments"


def cells_from(judgements: Iterable[tuple[str, int | None, str, str]]) -> dict[str, AreaCell]:
    """``area_cells`` from plain (area code, aspect id, band name, judgement) rows, oldest first: what the
    tracker loads for a whole nursery without building an object per assessment."""
    whole: dict[str, AreaCell] = {}
    goals: dict[str, list[bool]] = {}
    for code, aspect_id, band, judgement in judgements:
        on_track = judgement in Assessment.ON_TRACK_JUDGEMENTS
        if aspect_id is None:
            whole[code] = AreaCell(JUDGEMENT_LABELS.get(judgement, judgement), on_track, band)
        else:
            goals.setdefault(code, []).append(on_track)
    for code, judged in goals.items():
        if code not in whole:
            expected = all(judged)
            whole[code] = AreaCell("Expected" if expected else "Emerging", expected, "Early learning goals")
    return whole


def assessment_summaries(child: Child, viewer: Viewer | None = None) -> list[PointSummary]:
    """The child's assessments grouped by point, newest point first. For a family ``viewer`` another
    child's name in a reason reads "a friend", as in the story."""
    summaries: dict[int, PointSummary] = {}
    nursery_children = children_to_redact([child.nursery_id]) if viewer is not None and not viewer.is_staff else []
    for assessment in assessments_for(child):
        if nursery_children:
            assessment.rationale = redact(assessment.rationale, nursery_children, viewer)
        summaries.setdefault(assessment.point_id, PointSummary(point=assessment.point)).assessments.append(assessment)
    return list(reversed(summaries.values()))


def assessment_panel(request, child: Child) -> dict:
    """The child page's development section: how the latest assessment point went, for staff and family."""
    viewer = viewer_of(request.user, child)
    if viewer is None:
        return {"hidden": True}
    summaries = assessment_summaries(child)
    return {"child": child, "viewer": viewer, "latest": summaries[0] if summaries else None}
