"""The group owner's overview across nurseries, and the lists behind each nursery's figures.

The figures are counted in the database for every nursery at once: one query for the children (on roll, without
a key person, not observed), two for the progress checks due, and the nursery's days (a fixed number of queries
per nursery) for ratio shortfalls. The cost follows the number of nurseries, never the number of children.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from children.models import Child
from children.selectors import not_left_by
from learning_stories.models import Observation, ObservationChild
from learning_stories.progress_check.selectors import CheckDue, progress_checks_due
from nursery.models import Nursery, NurseryGroup

from .dashboard import UNSEEN_DAYS
from .days import NurseryDays, RoomPeriod
from .models import KeyPersonAssignment

WEEK_DAYS = 7  # "this week": today and the six days after, as on the manager's overview
OBSERVATION_GAP_WEEKS = UNSEEN_DAYS // 7  # as the key person's dashboard: two weeks without an observation


def on_roll(day: date) -> Q:
    return not_left_by(day) & Q(start_date__lte=day)


def has_key_person(day: date) -> Exists:
    """A key person spell on the day with someone still in post: a leaver's key children are holes."""
    return Exists(
        KeyPersonAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            Q(key_person__leaves_on__isnull=True) | Q(key_person__leaves_on__gt=day),
            child=OuterRef("pk"),
            starts_on__lte=day,
            key_person__is_active=True,
        )
    )


def _counted_observations() -> QuerySet[ObservationChild]:
    """As the key person's dashboard counts them: the nursery's own, once submitted (one waiting to be checked
    still shows the child was seen)."""
    nursery_own = ObservationChild.objects.filter(child=OuterRef("pk"), observation__source=Observation.Source.NURSERY)
    return nursery_own.exclude(observation__status=Observation.Status.DRAFT)


def _gap_starts(day: date) -> datetime:
    """The first moment that counts: an observation on any of the last ``UNSEEN_DAYS - 1`` days or today."""
    return timezone.make_aware(datetime.combine(day - timedelta(days=UNSEEN_DAYS - 1), time.min))


def not_observed(day: date) -> Q:
    """On roll for two weeks or more and no observation counted in that time."""
    return Q(start_date__lte=day - timedelta(days=UNSEEN_DAYS)) & ~Exists(
        _counted_observations().filter(observation__observed_at__gte=_gap_starts(day))
    )


@dataclass
class NurseryFigures:
    nursery: Nursery | None
    on_roll: int = 0
    without_key_person: int = 0
    not_observed: int = 0
    shortfalls: int = 0  # room sessions short of staff this week
    checks_due: int = 0
    checks_overdue: int = 0


@dataclass
class GroupOverview:
    group: NurseryGroup
    today: date
    last_day: date
    nurseries: list[NurseryFigures] = field(default_factory=list)

    @property
    def totals(self) -> NurseryFigures:
        """The figures added up across the group's nurseries (``nursery`` is None)."""
        names = ("on_roll", "without_key_person", "not_observed", "shortfalls", "checks_due", "checks_overdue")
        return NurseryFigures(None, **{name: sum(getattr(row, name) for row in self.nurseries) for name in names})


def _short_of_staff(nursery: Nursery, today: date) -> list[RoomPeriod]:
    days = NurseryDays(nursery, today, today + timedelta(days=WEEK_DAYS - 1))
    return [rp for rp in days.shortfalls() if rp.figures.shortfall]


def group_overview(group: NurseryGroup, today: date | None = None) -> GroupOverview:
    today = today or timezone.localdate()
    nurseries = list(group.nurseries.order_by("name", "pk"))
    overview = GroupOverview(group, today, today + timedelta(days=WEEK_DAYS - 1))
    children = Child.objects.filter(nursery__group=group)
    counts = {
        row["nursery_id"]: row
        for row in children.filter(on_roll(today))
        .order_by()
        .values("nursery_id")
        .annotate(
            on_roll=Count("pk"),
            without_key_person=Count("pk", filter=~Q(has_key_person(today))),
            not_observed=Count("pk", filter=not_observed(today)),
        )
    }
    checks: dict[int, list[CheckDue]] = {}
    for due in progress_checks_due(children, on=today):
        checks.setdefault(due.child.nursery_id, []).append(due)
    for nursery in nurseries:
        row = counts.get(nursery.pk, {})
        due = checks.get(nursery.pk, [])
        overview.nurseries.append(
            NurseryFigures(
                nursery=nursery,
                on_roll=row.get("on_roll", 0),
                without_key_person=row.get("without_key_person", 0),
                not_observed=row.get("not_observed", 0),
                shortfalls=len(_short_of_staff(nursery, today)),
                checks_due=len(due),
                checks_overdue=sum(1 for d in due if d.overdue),
            )
        )
    return overview


@dataclass
class NurseryDetail:
    """The children and sessions behind one nursery's figures."""

    nursery: Nursery
    today: date
    last_day: date
    rooms: list[tuple[str, int]]  # room name (or "No room"), children on roll
    on_roll: int
    without_key_person: list[Child]
    not_observed: list[Child]  # each with ``last_observed`` (a datetime, or None)
    shortfalls: list[RoomPeriod]
    checks: list[CheckDue]


def nursery_detail(nursery: Nursery, today: date | None = None) -> NurseryDetail:
    today = today or timezone.localdate()
    children = Child.objects.filter(nursery=nursery).select_related("room")
    here = children.filter(on_roll(today))
    per_room = here.order_by("room__min_age_months", "room__name").values_list("room__name").annotate(n=Count("pk"))
    last_observed = _counted_observations().order_by("-observation__observed_at").values("observation__observed_at")[:1]
    unseen = (
        here.filter(not_observed(today))
        .annotate(last_observed=Subquery(last_observed))
        .order_by("first_name", "last_name")
    )
    return NurseryDetail(
        nursery=nursery,
        today=today,
        last_day=today + timedelta(days=WEEK_DAYS - 1),
        rooms=[(name or "No room", n) for name, n in per_room],
        on_roll=here.count(),
        without_key_person=list(here.exclude(has_key_person(today)).order_by("first_name", "last_name")),
        not_observed=list(unseen),
        shortfalls=_short_of_staff(nursery, today),
        checks=progress_checks_due(children, on=today),
    )
