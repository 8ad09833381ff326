"""Trackers: a grid of children by areas at an assessment point, with how many are on track in each area.

The figures are computed here from a list of child ids, so the key person system (which knows key
groups) and the room and nursery pages all use the same arithmetic, in a fixed number of queries
whatever the number of children. Percentages are of the children assessed in that area.
"""

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_
from typing import TextIO

from django.db.models import Case, F, IntegerField, Max, Min, Q, When

from children.models import Child
from children.selectors import NURSERY_CHILDREN
from core.caching import cached, versions
from nursery.models import Nursery

from ..framework.selectors import FRAMEWORK_DATA, current_framework_for, framework_areas, framework_bands
from ..models import Area, Assessment, AssessmentPoint, Band
from .selectors import ASSESSMENTS, AreaCell, bands_at, cells_from


@dataclass(frozen=True)
class Cohort:
    """Which children to count; an empty value means "everyone"."""

    band: Band | None = None
    sex: str = ""
    summer_born: bool | None = None
    eal: bool | None = None
    send: bool | None = None
    funded: bool | None = None

    def admits(self, child: Child, bands: list[Band], on: date) -> bool:
        checks = [
            (self.band is None or self.band in bands_at(bands, child, on)),
            (not self.sex or child.sex == self.sex),
            (self.summer_born is None or child.is_summer_born == self.summer_born),
            (self.eal is None or child.english_additional_language == self.eal),
            (self.send is None or child.has_send == self.send),
            (self.funded is None or child.is_funded == self.funded),
        ]
        return all(checks)


@dataclass
class AreaFigure:
    area: Area
    assessed: int = 0
    on_track: int = 0

    @property
    def percent(self) -> int | None:
        # Half up, as a hand count gives it (Python's round() makes 1 of 8 "12%").
        return (200 * self.on_track + self.assessed) // (2 * self.assessed) if self.assessed else None


@dataclass
class TrackerRow:
    child: Child
    cells: list[AreaCell | None]


@dataclass
class Tracker:
    point: AssessmentPoint
    areas: list[Area]
    rows: list[TrackerRow] = field(default_factory=list)
    figures: list[AreaFigure] = field(default_factory=list)
    # Every child in the scope, on roll at the point or not: the trend over points counts them again.
    scope_children: list[Child] = field(default_factory=list)


def _figures(areas: list[Area], rows: list[TrackerRow]) -> list[AreaFigure]:
    figures = [AreaFigure(area=area) for area in areas]
    for row in rows:
        for figure, cell in zip(figures, row.cells, strict=True):
            if cell is not None:
                figure.assessed += 1
                figure.on_track += cell.on_track
    return figures


def _framework_parts(nursery: Nursery) -> tuple[list[Area], list[Band]]:
    framework = current_framework_for(nursery)
    return framework_areas(framework), framework_bands(framework)


def _rows(children: list[Child], areas: list[Area], point: AssessmentPoint) -> list[TrackerRow]:
    """Each child's cells at the point. A whole nursery's judgements are read as plain rows, not objects."""
    judged = (
        Assessment.objects.filter(child_id__in=[child.pk for child in children], point=point)
        .order_by("pk")
        .values_list("child_id", "area__code", "aspect_id", "band__name", "judgement")
    )
    by_child: dict[int, list[tuple]] = {}
    for child_id, code, aspect_id, band, judgement in judged:
        by_child.setdefault(child_id, []).append((code, aspect_id, band or "", judgement))
    rows = []
    for child in children:
        cells = cells_from(by_child.get(child.pk, []))
        rows.append(TrackerRow(child=child, cells=[cells.get(area.code) for area in areas]))
    return rows


def _children(nursery: Nursery, child_ids: Iterable[int]) -> list[Child]:
    return list(
        Child.objects.filter(nursery=nursery, pk__in=list(child_ids))
        .select_related("room")
        .order_by("first_name", "last_name", "pk")
    )


def tracker(*, nursery: Nursery, point: AssessmentPoint, child_ids: Iterable[int], cohort: Cohort) -> Tracker:
    """The grid and its per-area figures for these children (those on roll during the point, in the cohort)."""
    areas, bands = _framework_parts(nursery)
    everyone = _children(nursery, child_ids)
    children = [child for child in everyone if _on_roll(child, point) and cohort.admits(child, bands, point.ends_on)]
    rows = _rows(children, areas, point)
    return Tracker(point=point, areas=areas, rows=rows, figures=_figures(areas, rows), scope_children=everyone)


def _on_roll(child: Child, point: AssessmentPoint) -> bool:
    """At the nursery for some of the point's window."""
    started = child.start_date is None or child.start_date <= point.ends_on
    return started and (child.leave_date is None or child.leave_date >= point.starts_on)


def _cohort_key(cohort: Cohort) -> str:
    band = cohort.band.pk if cohort.band else ""
    return f"{band}|{cohort.sex}|{cohort.summer_born}|{cohort.eal}|{cohort.send}|{cohort.funded}"


@dataclass
class TrendPoint:
    point: AssessmentPoint
    figures: list[AreaFigure]


def trend(
    *, nursery: Nursery, child_ids: Iterable[int], cohort: Cohort, children: list[Child] | None = None
) -> tuple[list[Area], list[TrendPoint]]:
    """Percent on track per area at every assessment point, oldest first, for the same children.

    Who counts at each point is decided here as the grid decides it; the judgements are summed in one SQL
    query, so no assessment is loaded as an object. ``children``: the children of ``child_ids``, when the
    grid has loaded them already.
    """
    # The counts change only with the judgements or points (any nursery's: ASSESSMENTS), the children (their
    # dates and what the cohort asks of them) and the framework: their versions, read before the rows they
    # stand for (a change in between is then kept under a version already retired, never read), key the counts.
    read = versions((ASSESSMENTS, "all"), (NURSERY_CHILDREN, nursery.pk), (FRAMEWORK_DATA, "all"))
    areas, bands = _framework_parts(nursery)
    points = list(AssessmentPoint.objects.filter(nursery=nursery).order_by("starts_on", "pk"))
    children = _children(nursery, child_ids) if children is None else children

    def count() -> dict[tuple[int, str], tuple[int, int]]:
        counted: dict[frozenset[int], list[int]] = {}  # points with the same children share one condition
        for point in points:
            present = frozenset(c.pk for c in children if _on_roll(c, point) and cohort.admits(c, bands, point.ends_on))
            if present:
                counted.setdefault(present, []).append(point.pk)
        return _area_counts(counted)

    scope = hashlib.sha256(f"{sorted(c.pk for c in children)}|{_cohort_key(cohort)}".encode()).hexdigest()
    if read is None:  # the cache is down: count from the database
        counts = count()
    else:
        assessments, children_at, framework_at = read
        part = f"trend:{nursery.pk}:{children_at}:{framework_at}:{scope}"
        counts = cached(ASSESSMENTS, "all", part, count, at=assessments)
    return areas, [
        TrendPoint(
            point=point,
            figures=[AreaFigure(area, *counts.get((point.pk, area.code), (0, 0))) for area in areas],
        )
        for point in points
    ]


def _area_counts(counted: dict[frozenset[int], list[int]]) -> dict[tuple[int, str], tuple[int, int]]:
    """(children assessed, children on track) by point id and area code, for these children at these points.

    The database sums each child's judgements in an area into one cell, as ``area_cells`` judges it: the
    area's own judgement (the latest, if two frameworks' areas share the code), or else on track when every
    early learning goal judged in it is. Only those cells (small tuples, no model objects) are counted here.
    """
    if not counted:
        return {}
    scope = reduce(or_, (Q(child_id__in=ids, point_id__in=point_ids) for ids, point_ids in counted.items()))
    judged_on_track = Case(
        When(judgement__in=Assessment.ON_TRACK_JUDGEMENTS, then=1), default=0, output_field=IntegerField()
    )
    whole = Q(aspect__isnull=True)
    cells = (
        Assessment.objects.filter(scope)
        .values("point_id", "area__code", "child_id")
        # The newest area judgement's id, doubled, plus 1 when it is on track: its parity is its judgement.
        .annotate(latest=Max(F("pk") * 2 + judged_on_track, filter=whole), goals=Min(judged_on_track, filter=~whole))
        .order_by()
        .values_list("point_id", "area__code", "latest", "goals")
    )
    counts: dict[tuple[int, str], tuple[int, int]] = {}
    for point_id, code, latest, goals in cells:
        assessed, on_track = counts.get((point_id, code), (0, 0))
        counts[point_id, code] = (assessed + 1, on_track + (latest % 2 if latest is not None else goals))
    return counts


# The trend chart, drawn by a template as inline SVG: bars grouped by area, one bar per point.
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_TOP, CHART_PLOT = 720, 250, 40, 10, 200
CHART_COLOURS = ["#9ec5fe", "#3d8bfd", "#0a58ca", "#052c65", "#6c757d"]  # light to dark: older to newer


def trend_chart(areas: list[Area], points: list[TrendPoint]) -> dict:
    """Coordinates for the trend chart (0 to 100 per cent on track), so the template only draws."""
    recent = points[-len(CHART_COLOURS) :]
    group = (CHART_WIDTH - CHART_LEFT) / max(len(areas), 1)
    bar = group * 0.8 / max(len(recent), 1)
    bars, labels = [], []
    for a, area in enumerate(areas):
        left = CHART_LEFT + a * group + group * 0.1
        labels.append({"x": round(left + group * 0.4, 1), "text": area.code})
        for p, trend_point in enumerate(recent):
            percent = trend_point.figures[a].percent
            height = CHART_PLOT * (percent or 0) / 100
            bars.append(
                {
                    "x": round(left + p * bar, 1),
                    "y": round(CHART_TOP + CHART_PLOT - height, 1),
                    "width": round(bar - 1, 1),
                    "height": round(height, 1),
                    "colour": CHART_COLOURS[p],
                    "title": f"{area.name}, {trend_point.point.name}: "
                    + ("not assessed" if percent is None else f"{percent}% on track"),
                }
            )
    gridlines = [{"y": CHART_TOP + CHART_PLOT * (100 - v) / 100, "label": f"{v}%"} for v in (0, 50, 100)]
    legend = [{"name": tp.point.name, "colour": CHART_COLOURS[p]} for p, tp in enumerate(recent)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "label_y": CHART_TOP + CHART_PLOT + 20,
        "bars": bars,
        "labels": labels,
        "gridlines": gridlines,
        "legend": legend,
    }


def _safe(text: str) -> str:
    """A spreadsheet must not read a name as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _cell_text(cell: AreaCell | None) -> str:
    if cell is None:
        return ""
    return f"{cell.label} ({cell.band})" if cell.band else cell.label


def write_tracker_csv(grid: Tracker, out: TextIO) -> None:
    """The grid as CSV: a line per child (judgement and band per area), then the per-area figures."""
    writer = csv.writer(out)
    writer.writerow(["Child", "Room", *(area.name for area in grid.areas)])
    for row in grid.rows:
        room = row.child.room.name if row.child.room else ""
        writer.writerow([_safe(row.child.display_name), _safe(room), *(_cell_text(cell) for cell in row.cells)])
    writer.writerow([])
    writer.writerow(["On track", "", *(f"{f.on_track} of {f.assessed}" for f in grid.figures)])
    writer.writerow(["Per cent on track", "", *("" if f.percent is None else f"{f.percent}%" for f in grid.figures)])
