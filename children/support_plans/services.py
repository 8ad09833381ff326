"""Writes for support plans: starting one, targets, reviews, and the family's contributions."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import ChildAuditEvent, SendStatus
from children.services import record_event

from .models import ParentContribution, SupportPlan, SupportReview, SupportTarget, TargetProgress

Action = ChildAuditEvent.Action


@transaction.atomic
def start_support_plan(*, plan: SupportPlan, by: User) -> bool:
    """Save a new plan (already validated). A child with a plan gets SEN support if they had no SEN
    status: the plan *is* SEN support. Returns whether that status changed, so the page can say so."""
    child = plan.child
    plan.created_by = by
    plan.save()
    record_event(child=child, actor=by, action=Action.CREATED, what=f"Support plan: {plan.title}")
    if child.send_status != SendStatus.NONE:
        return False
    child.send_status = SendStatus.SEN_SUPPORT
    child.save(update_fields=["send_status"])
    record_event(child=child, actor=by, action=Action.CHANGED, what="Special educational needs: SEN support (plan)")
    return True


def save_support_plan(*, plan: SupportPlan, by: User, changed: list[str]) -> SupportPlan:
    """Save changes to a plan's assessment, dates or status (a closed plan notes the day it closed)."""
    if plan.status == SupportPlan.Status.CLOSED and plan.closed_on is None:
        plan.closed_on = timezone.localdate()
    elif plan.status == SupportPlan.Status.ACTIVE:
        plan.closed_on = None
    plan.save()
    if changed:
        what = f"Support plan {plan.title}: {', '.join(changed)} changed"
        record_event(child=plan.child, actor=by, action=Action.CHANGED, what=what)
    return plan


def save_support_target(*, target: SupportTarget, by: User) -> SupportTarget:
    created = target.pk is None
    target.save()
    verb = "added to" if created else "changed in"
    record_event(
        child=target.plan.child,
        actor=by,
        action=Action.CREATED if created else Action.CHANGED,
        what=f"Target {verb} support plan {target.plan.title}",
    )
    return target


@transaction.atomic
def record_support_review(*, review: SupportReview, by: User, progress: dict[int, tuple[str, str]]) -> SupportReview:
    """Save a review with its progress per target ({target id: (progress, note)}); achieved targets
    close, and the plan's next review date becomes the one the review set."""
    plan = review.plan
    review.recorded_by = by
    review.save()
    TargetProgress.objects.bulk_create(
        TargetProgress(review=review, target_id=target_id, progress=value, note=note)
        for target_id, (value, note) in progress.items()
    )
    achieved = [pk for pk, (value, _) in progress.items() if value == TargetProgress.Progress.ACHIEVED]
    plan.targets.filter(pk__in=achieved).update(status=SupportTarget.Status.ACHIEVED)
    plan.next_review_on = review.next_review_on
    plan.save(update_fields=["next_review_on", "updated_at"])
    record_event(
        child=plan.child, actor=by, action=Action.CREATED, what=f"Review of support plan {plan.title} recorded"
    )
    return review


def add_plan_contribution(*, plan: SupportPlan, by: User, views: str, works_at_home: str) -> ParentContribution:
    contribution = ParentContribution.objects.create(plan=plan, author=by, views=views, works_at_home=works_at_home)
    what = f"Family's contribution to support plan {plan.title}"
    record_event(child=plan.child, actor=by, action=Action.CREATED, what=what)
    return contribution


def mark_plan_contributions_read(*, plan: SupportPlan) -> int:
    return plan.contributions.filter(read_at__isnull=True).update(read_at=timezone.now())
