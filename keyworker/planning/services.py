"""Writes for the weekly planning board: planning, changing and evaluating a room's activities."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child
from keyworker.models import PlannedActivity
from learning_stories.models import NextStep
from nursery.models import Room, StaffMember


@dataclass
class ActivityPlan:
    """What the planning form sends, already limited to the room's children and their open steps."""

    title: str
    description: str = ""
    days: list[int] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    led_by: StaffMember | None = None


def _check_plan(room: Room, plan: ActivityPlan) -> None:
    if not plan.title.strip():
        raise ValidationError("Give the activity a title.")
    if any(day not in range(7) for day in plan.days):
        raise ValidationError("Choose days of the week.")
    if plan.led_by is not None and plan.led_by.nursery_id != room.nursery_id:
        raise ValidationError("The person leading it must work at this nursery.")
    if any(step.child.nursery_id != room.nursery_id for step in plan.next_steps):
        raise ValidationError("Only next steps of this nursery's children can be planned here.")


@transaction.atomic
def plan_activity(*, room: Room, week_of: date, plan: ActivityPlan, by: User) -> PlannedActivity:
    """Add an activity to a room's week. The children it serves include those whose next steps it plans for."""
    if week_of.weekday() != 0:
        raise ValidationError("A planning week starts on a Monday.")
    _check_plan(room, plan)
    activity = PlannedActivity.objects.create(room=room, week_of=week_of, created_by=by, title=plan.title.strip())
    return _apply_plan(activity, plan)


@transaction.atomic
def change_activity(*, activity: PlannedActivity, plan: ActivityPlan) -> PlannedActivity:
    _check_plan(activity.room, plan)
    activity.title = plan.title.strip()
    return _apply_plan(activity, plan)


def _apply_plan(activity: PlannedActivity, plan: ActivityPlan) -> PlannedActivity:
    activity.description = plan.description.strip()
    activity.days = sorted(set(plan.days))
    activity.led_by = plan.led_by
    activity.save()
    activity.next_steps.set(plan.next_steps)
    activity.children.set({*plan.children, *(step.child for step in plan.next_steps)})
    return activity


@transaction.atomic
def evaluate_activity(
    *, activity: PlannedActivity, evaluation: str, engaged: list[Child], by: User, today: date | None = None
) -> PlannedActivity:
    """How the activity went and which children joined in, once its week has begun."""
    if activity.week_of > (today or timezone.localdate()):
        raise ValidationError("You can evaluate the activity once its week has started.")
    if not evaluation.strip():
        raise ValidationError("Write how it went.")
    activity.evaluation = evaluation.strip()
    activity.evaluated_by = by
    activity.evaluated_at = timezone.now()
    activity.save(update_fields=["evaluation", "evaluated_by", "evaluated_at"])
    activity.engaged.set(engaged)
    return activity
