"""Writes for personal plans: writing or editing the plan (a new version once agreed), and the family's response."""

from calendar import monthrange
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event
from learning_stories.models import AssessmentPoint, NextStep

from .models import PersonalPlan, PlanResponse

Action = ChildAuditEvent.Action

REVIEW_MONTHS = 3  # a term, when the nursery has set no assessment points
# An assessment point further away than this is not "this term" (e.g. only next summer's is set).
TERM_AT_MOST = timedelta(days=130)
PLAN_FIELDS = ("wellbeing", "care", "interests", "focuses", "together", "agreed_on", "next_review_on")


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter: 30 Nov + 3 months = 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def default_review_date(nursery_id: int, today: date | None = None) -> date:
    """The end of the current term: the nursery's next assessment point (its window's last day, the term's
    summing-up), or three months ahead when none is set within a term's reach."""
    today = today or timezone.localdate()
    point = (
        AssessmentPoint.objects.filter(nursery_id=nursery_id, ends_on__gt=today, ends_on__lte=today + TERM_AT_MOST)
        .order_by("ends_on")
        .first()
    )
    return point.ends_on if point else months_after(today, REVIEW_MONTHS)


@transaction.atomic
def save_personal_plan(*, child: Child, by: User, data: dict, next_steps: list[NextStep]) -> PersonalPlan:
    """Write the child's plan. The current version is changed in place until the family has agreed it;
    after that, the change starts the next version (for the next term) and the agreed one is kept as it was."""
    current = child.personal_plans.select_for_update().order_by("-version").first()
    if current is None or current.is_agreed:
        plan = PersonalPlan(child=child, version=current.version + 1 if current else 1, created_by=by)
    else:
        plan = current
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    plan.updated_by = by
    plan.save()
    plan.next_steps.set(next_steps)
    verb = "changed" if plan is current else ("written" if plan.version == 1 else f"version {plan.version} started")
    record_event(
        child=child,
        actor=by,
        action=Action.CHANGED if plan is current else Action.CREATED,
        what=f"Personal plan {verb}",
    )
    return plan


def respond_to_plan(*, plan: PersonalPlan, by: User, comment: str, agrees: bool) -> PlanResponse:
    """A family member's comment and/or agreement. Agreeing a plan not yet marked agreed marks it agreed today,
    so the next change starts a new version."""
    response = PlanResponse.objects.create(plan=plan, author=by, comment=comment, agrees=agrees)
    if agrees and plan.agreed_on is None:
        plan.agreed_on = timezone.localdate()
        plan.save(update_fields=["agreed_on", "updated_at"])
    what = "Family agreed the personal plan" if agrees else "Family commented on the personal plan"
    record_event(child=plan.child, actor=by, action=Action.CREATED, what=what)
    return response
