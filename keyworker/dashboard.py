"""The key person's dashboard: for each key child, the gaps in their learning story and what waits for
the key person, so gaps are noticed before a parent notices them.

Everything is computed for the whole key group in a fixed number of queries (one per kind of figure).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone

from children.models import Child
from children.support_plans.models import SupportPlan
from children.support_plans.selectors import unread_plan_contributions_for
from learning_stories.framework.selectors import areas_of, current_framework_for
from learning_stories.models import Area, Comment, NextStep, Observation, ObservationChild
from learning_stories.progress_check.selectors import progress_checks_due

UNSEEN_DAYS = 14  # no observation for two weeks: the child goes to the top of the list, in a warning style
AREA_GAP_DAYS = 42  # an area with no entry for six weeks (42 days) or more is a gap; 41 days is not yet
REVIEW_AHEAD_DAYS = 14  # support plan reviews in the next two weeks (or overdue) are shown as due


@dataclass
class StoryGaps:
    started: bool
    last_observed: date | None = None
    days_since: int | None = None  # since the last observation, or since the child started if none yet
    quiet_areas: list[Area] = field(default_factory=list)
    open_next_steps: int = 0
    progress_check: str = ""  # "due", "overdue" or ""
    reviews_due: list[SupportPlan] = field(default_factory=list)
    unread: int = 0  # the family's comments, home contributions and plan contributions not read yet
    unread_on_plans: int = 0  # of which on support plans (read on the plan's page, not in "What's new")

    @property
    def unseen(self) -> bool:
        return self.days_since is not None and self.days_since >= UNSEEN_DAYS

    @property
    def rank(self) -> int:
        """0: not observed for two weeks; 1: another gap or something due; 2: nothing to do."""
        if self.unseen:
            return 0
        return 1 if self.quiet_areas or self.progress_check or self.reviews_due else 2


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _counts(rows: Iterable[dict], key: str) -> dict[int, int]:
    return {row[key]: row["n"] for row in rows}


def story_gaps(children: list[Child], today: date) -> dict[int, StoryGaps]:
    """Each child's gaps and due figures. Observations that count: the nursery's own, once submitted
    (drafts may never be finished; one waiting for the manager's review still shows the child was seen)."""
    ids = [child.pk for child in children]
    # One small look-up per child (the latest of its own entries), not one join of all the key group's entries
    # with the group's observations: PostgreSQL would read every observation of the group to do that join.
    # A maximum, not "newest first, the first one": with a LIMIT PostgreSQL walks the whole group's
    # observations from the newest until it meets one of the child's (half a second for a key group).
    newest = (
        ObservationChild.objects.filter(child=OuterRef("pk"), observation__source=Observation.Source.NURSERY)
        .exclude(observation__status=Observation.Status.DRAFT)
        .order_by()
        .values("child")
        .annotate(last=Max("observation__observed_at"))
        .values("last")
    )
    last_seen = {
        child_id: _day(last)
        for child_id, last in Child.objects.filter(pk__in=ids)
        .annotate(last=Subquery(newest))
        .order_by()
        .values_list("pk", "last")
        if last is not None
    }
    # Matched by area code, so entries tagged before the nursery changed framework still count. Only entries
    # recent enough to close a gap are read (an older one leaves the area quiet all the same), and their tags
    # are fetched by id, so the work follows these children's last weeks, not the group's tags.
    recent = timezone.make_aware(datetime.combine(today - timedelta(days=AREA_GAP_DAYS - 1), time.min))
    # Each of these children's links looks up its own entry's date (a joined window of the whole group's last
    # six weeks cost PostgreSQL five times as much).
    counted_at = (
        Observation.objects.filter(pk=OuterRef("observation_id"), source=Observation.Source.NURSERY)
        .exclude(status=Observation.Status.DRAFT)
        .order_by()
        .values("observed_at")[:1]
    )
    recent_links = list(
        ObservationChild.objects.filter(child_id__in=ids)
        .annotate(counted_at=Subquery(counted_at))
        .filter(counted_at__gte=recent)
        .order_by()
        .values_list("child_id", "observation_id", "counted_at")
    )
    codes: dict[int, set[str]] = defaultdict(set)
    for observation_id, code in Observation.areas.through.objects.filter(
        observation_id__in={observation_id for _, observation_id, _ in recent_links}
    ).values_list("observation_id", "area__code"):
        codes[observation_id].add(code)
    area_seen: dict[int, dict[str, date]] = defaultdict(dict)
    for child_id, observation_id, observed_at in recent_links:
        day = _day(observed_at)
        for code in codes[observation_id]:
            area_seen[child_id][code] = max(day, area_seen[child_id].get(code, day))
    areas = {
        nursery_id: list(areas_of(current_framework_for(nursery_id))) for nursery_id in {c.nursery_id for c in children}
    }
    open_steps = _counts(
        NextStep.objects.filter(child_id__in=ids, status=NextStep.Status.OPEN)
        .values("child_id")
        .annotate(n=Count("pk")),
        "child_id",
    )
    # The progress check's own due list, so this page and "Checks at two" never disagree.
    checks_due = {
        due.child.pk: "overdue" if due.overdue else "due"
        for due in progress_checks_due(Child.objects.filter(pk__in=ids), on=today)
    }
    reviews: dict[int, list[SupportPlan]] = defaultdict(list)
    for plan in SupportPlan.objects.filter(
        child_id__in=ids,
        status=SupportPlan.Status.ACTIVE,
        next_review_on__lte=today + timedelta(days=REVIEW_AHEAD_DAYS),
    ).order_by("next_review_on"):
        reviews[plan.child_id].append(plan)
    on_plans = unread_plan_contributions_for(ids)
    unread: dict[int, int] = defaultdict(int)
    for counts in (
        _counts(
            Comment.objects.filter(child_id__in=ids, by_staff=False, read_at__isnull=True)
            .values("child_id")
            .annotate(n=Count("pk")),
            "child_id",
        ),
        _counts(
            ObservationChild.objects.filter(
                child_id__in=ids, observation__source=Observation.Source.HOME, observation__read_at__isnull=True
            )
            .values("child_id")
            .annotate(n=Count("pk")),
            "child_id",
        ),
        on_plans,
    ):
        for child_id, n in counts.items():
            unread[child_id] += n

    gaps = {}
    for child in children:
        started = child.start_date is not None and child.start_date <= today
        figures = StoryGaps(
            started=started,
            open_next_steps=open_steps.get(child.pk, 0),
            progress_check=checks_due.get(child.pk, ""),
            reviews_due=reviews[child.pk],
            unread=unread[child.pk],
            unread_on_plans=on_plans.get(child.pk, 0),
        )
        if started:
            figures.last_observed = last_seen.get(child.pk)
            figures.days_since = (today - (figures.last_observed or child.start_date)).days
            figures.quiet_areas = [
                area
                for area in areas[child.nursery_id]
                if (today - max(area_seen[child.pk].get(area.code, child.start_date), child.start_date)).days
                >= AREA_GAP_DAYS
            ]
        gaps[child.pk] = figures
    return gaps


def gap_items(gaps: StoryGaps) -> list[str]:
    """The gaps as plain reminders, for the child's list of what is due."""
    items = []
    if gaps.unseen:
        if gaps.last_observed is None:
            items.append(f"No observation yet, {gaps.days_since} days after starting.")
        else:
            items.append(f"No observation for {gaps.days_since} days.")
    if gaps.quiet_areas:
        names = ", ".join(area.name for area in gaps.quiet_areas)
        items.append(f"Nothing for 6 weeks or more in: {names}.")
    if gaps.progress_check:
        items.append(f"The progress check at two is {gaps.progress_check}.")
    for plan in gaps.reviews_due:
        when = "was due" if plan.review_overdue else "is due"
        items.append(f"Support plan review {when} on {plan.next_review_on:%A %-d %B}.")
    if gaps.unread_on_plans:
        items.append("The family added to the support plan: read it on the plan's page.")
    return items
