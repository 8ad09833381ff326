"""Reads for the weekly planning board: a room's week of key groups, next steps and activities."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.models import Child
from children.selectors import not_left_by
from keyworker.models import PlannedActivity
from keyworker.selectors import assignments_on
from learning_stories.models import NextStep
from nursery.models import Room, StaffMember
from nursery.selectors import staff_nursery_ids


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class BoardGroup:
    """One key group on a room's board: its children, each with ``open_steps`` and ``achieved_steps``."""

    key_person: StaffMember | None
    children: list[Child]


@dataclass
class PlanningBoard:
    room: Room
    week_of: date
    groups: list[BoardGroup]
    activities: list[PlannedActivity]

    @property
    def week_ends(self) -> date:
        return self.week_of + timedelta(days=6)

    @property
    def open_steps(self) -> list:
        return [step for group in self.groups for child in group.children for step in child.open_steps]


def planning_board(room: Room, week_of: date) -> PlanningBoard:
    """A room's week: each key group's children with their open next steps (and those achieved that week),
    and the activities planned for them, each with the observations that closed its steps.

    Seven queries, whatever the number of children, steps or activities.
    """
    week_ends = week_of + timedelta(days=6)
    children = list(
        Child.objects.filter(not_left_by(week_of), room=room)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=week_ends))
        .order_by("first_name", "last_name")
    )
    key_people = {
        spell.child_id: spell.key_person
        for spell in assignments_on(week_of).filter(child__in=children).select_related("key_person__user")
    }
    activities = list(
        PlannedActivity.objects.filter(room=room, week_of=week_of)
        .select_related("led_by__user", "evaluated_by")
        .prefetch_related(
            Prefetch("next_steps", queryset=NextStep.objects.select_related("child", "achieved_by")),
            Prefetch("children", queryset=Child.objects.order_by("first_name")),
            Prefetch("engaged", queryset=Child.objects.order_by("first_name")),
        )
    )
    planned: dict[int, list[PlannedActivity]] = {}
    for activity in activities:
        steps = list(activity.next_steps.all())
        for step in steps:
            planned.setdefault(step.pk, []).append(activity)
        activity.closed_by = sorted(
            {step.achieved_by for step in steps if step.status == NextStep.Status.ACHIEVED and step.achieved_by},
            key=lambda entry: entry.observed_at,
        )
    steps = NextStep.objects.filter(child__in=children).filter(
        Q(status=NextStep.Status.OPEN)
        | Q(
            status=NextStep.Status.ACHIEVED,
            closed_at__date__gte=week_of,
            closed_at__date__lte=week_of + timedelta(days=6),
        )
    )
    by_child: dict[int, list] = {child.pk: [] for child in children}
    for step in steps.select_related("area", "achieved_by").order_by("created_at", "pk"):
        step.activities = planned.get(step.pk, [])
        by_child[step.child_id].append(step)
    groups: dict[int | None, BoardGroup] = {}
    for child in children:
        child.open_steps = [s for s in by_child[child.pk] if s.status == NextStep.Status.OPEN]
        child.achieved_steps = [s for s in by_child[child.pk] if s.status == NextStep.Status.ACHIEVED]
        key_person = key_people.get(child.pk)
        group = groups.setdefault(key_person.pk if key_person else None, BoardGroup(key_person, []))
        group.children.append(child)
    ordered = sorted(
        groups.values(), key=lambda g: (g.key_person is None, g.key_person.user.full_name if g.key_person else "")
    )
    return PlanningBoard(room=room, week_of=week_of, groups=ordered, activities=activities)


def activities_visible_to(user: User) -> QuerySet[PlannedActivity]:
    return PlannedActivity.objects.filter(room__nursery_id__in=staff_nursery_ids(user)).select_related("room")


def access_activity(user: User, pk: int) -> PlannedActivity:
    """A planned activity of one of the user's nurseries (any member of staff may change or evaluate it), or 404."""
    return get_object_or_404(activities_visible_to(user), pk=pk)
