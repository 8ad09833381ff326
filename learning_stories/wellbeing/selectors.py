"""Reads for the Leuven ratings: one child's trend (the story page) and the children whose wellbeing has been
low on their latest rated observations (the key person's page). Drafts do not count: they may never be sent;
nor do observations of several children (a rating is about one child: the capture form refuses those)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from children.access import Viewer
from children.models import Child

from ..models import Observation, ObservationChild
from ..story.selectors import story_entries
from .scales import INVOLVEMENT, LOW_STREAK, LOW_WELLBEING, WELLBEING

TREND_POINTS = 12  # the latest rated observations drawn in the chart

# The chart's drawing area, in SVG user units (the CSS scales it to the page's width).
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 320, 130, 24, 10, 10, 10


@dataclass(frozen=True)
class TrendPoint:
    observation_id: int
    observed_at: datetime
    wellbeing: int | None
    involvement: int | None
    x: float
    y_wellbeing: float | None
    y_involvement: float | None

    @property
    def square_x(self) -> float:  # involvement is drawn as 6-unit squares centred on the point
        return round(self.x - 3, 1)

    @property
    def square_y(self) -> float | None:
        return None if self.y_involvement is None else round(self.y_involvement - 3, 1)

    @property
    def wellbeing_label(self) -> str:
        return _label(WELLBEING, self.wellbeing)

    @property
    def involvement_label(self) -> str:
        return _label(INVOLVEMENT, self.involvement)


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]
    wellbeing_line: str  # SVG polyline points
    involvement_line: str
    gridlines: list[tuple[int, float]]  # (level, y)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT


def _label(levels, value: int | None) -> str:
    return next((f"{level.value}: {level.name}" for level in levels if level.value == value), "not rated")


def _y(value: int) -> float:
    return round(TOP + (5 - value) * (HEIGHT - TOP - BOTTOM) / 4, 1)


def may_see_wellbeing(viewer: Viewer, child: Child) -> bool:
    """Staff always; a family only when their nursery has chosen to show the ratings to families."""
    return viewer.is_staff or child.nursery.families_see_wellbeing


def wellbeing_trend(child: Child, viewer: Viewer) -> Trend | None:
    """The latest rated observations of the child that the viewer may read, oldest first (one query); None
    when the viewer may not see ratings or there are none."""
    if not may_see_wellbeing(viewer, child):
        return None
    rows = list(
        story_entries(child, viewer)
        .exclude(status=Observation.Status.DRAFT)
        .filter(Q(wellbeing__isnull=False) | Q(involvement__isnull=False))
        .exclude(pk__in=ObservationChild.objects.exclude(child=child).values("observation_id"))  # one child only
        .values_list("pk", "observed_at", "wellbeing", "involvement")[:TREND_POINTS]
    )[::-1]
    if not rows:
        return None
    step = (WIDTH - LEFT - RIGHT) / max(len(rows) - 1, 1)
    points = [
        TrendPoint(
            observation_id=pk,
            observed_at=observed_at,
            wellbeing=wellbeing,
            involvement=involvement,
            x=round(LEFT + index * step if len(rows) > 1 else (WIDTH + LEFT - RIGHT) / 2, 1),
            y_wellbeing=_y(wellbeing) if wellbeing else None,
            y_involvement=_y(involvement) if involvement else None,
        )
        for index, (pk, observed_at, wellbeing, involvement) in enumerate(rows)
    ]
    return Trend(
        points=points,
        wellbeing_line=" ".join(f"{p.x},{p.y_wellbeing}" for p in points if p.y_wellbeing is not None),
        involvement_line=" ".join(f"{p.x},{p.y_involvement}" for p in points if p.y_involvement is not None),
        gridlines=[(level, _y(level)) for level in range(5, 0, -1)],
    )


def low_wellbeing_streaks(child_ids: Iterable[int]) -> set[int]:
    """The children whose latest ``LOW_STREAK`` wellbeing ratings are all low (1 or 2).

    One query whatever the size of the group: a window numbers each child's rated observations newest first
    and only the first three of each child come back.
    """
    child_ids = list(child_ids)
    if not child_ids:
        return set()
    others = ObservationChild.objects.filter(observation_id=OuterRef("observation_id")).exclude(
        child_id=OuterRef("child_id")
    )
    latest = (
        ObservationChild.objects.filter(child_id__in=child_ids, observation__wellbeing__isnull=False)
        .exclude(observation__status=Observation.Status.DRAFT)
        .filter(~Exists(others))  # a rating counts only on an observation of the child alone
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("child_id")],
                order_by=[F("observation__observed_at").desc(), F("observation_id").desc()],
            )
        )
        .filter(rank__lte=LOW_STREAK)
        .values_list("child_id", "observation__wellbeing")
    )
    low: dict[int, int] = {}
    for child_id, wellbeing in latest:
        low[child_id] = low.get(child_id, 0) + (wellbeing <= LOW_WELLBEING)
    return {child_id for child_id, count in low.items() if count == LOW_STREAK}
