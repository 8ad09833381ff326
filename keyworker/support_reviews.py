"""Support plan review reminders: the key person is e-mailed (through the outbox) once per due date."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from children.support_plans.models import SupportPlan
from core.outbox import queue_mail
from nursery.models import StaffMember

from .selectors import key_person_on

# The key person is reminded a week before a plan's review date (or at once if it is closer or past),
# once per due date: ``SupportPlan.reminded_for`` records the date the reminder was queued for.
REVIEW_REMINDER_DAYS = 7


def support_reviews_to_remind(*, today: date | None = None) -> list[int]:
    """Active plans of children still here whose review is due within a week and not yet reminded."""
    today = today or timezone.localdate()
    return list(
        SupportPlan.objects.filter(
            Q(child__leave_date__isnull=True) | Q(child__leave_date__gte=today),
            status=SupportPlan.Status.ACTIVE,
            next_review_on__lte=today + timedelta(days=REVIEW_REMINDER_DAYS),
        )
        .exclude(reminded_for=F("next_review_on"))
        .values_list("pk", flat=True)
    )


def _review_reminder_recipients(plan: SupportPlan) -> list[User]:
    """The key person; a child without one today falls to the nursery's SENCO, else its managers."""
    key_person = key_person_on(plan.child)
    if key_person is not None:
        return [key_person.user]
    staff = StaffMember.objects.filter(nursery_id=plan.child.nursery_id, is_active=True).select_related("user")
    return [post.user for post in staff.filter(is_senco=True) or staff.filter(role=StaffMember.Role.MANAGER)]


def remind_support_review(*, plan_id: int) -> bool:
    """Queue the e-mail that a plan's review is due; once per due date. True if it queued it now."""
    with transaction.atomic():
        plan = (
            SupportPlan.objects.select_for_update(of=("self",))
            .select_related("child__nursery")
            .filter(pk=plan_id, status=SupportPlan.Status.ACTIVE)
            .first()
        )
        if plan is None or plan.reminded_for == plan.next_review_on:
            return False
        context = {"plan": plan, "child": plan.child, "site_url": settings.SITE_URL}
        for user in _review_reminder_recipients(plan):
            queue_mail(
                key=f"review-due:{plan.pk}:{plan.next_review_on.isoformat()}:{user.pk}",
                kind="Support plan review due",
                to=user,
                template="keyworker/email/review_due",
                context=context,
                nursery_id=plan.child.nursery_id,
            )
        # Saved with the outbox rows: the reminder for this due date is queued, and goes once.
        plan.reminded_for = plan.next_review_on
        plan.save(update_fields=["reminded_for"])
    return True


def remind_support_reviews(*, today: date | None = None) -> int:
    """Queue a reminder for every plan whose review falls due (the daily sweep). Returns how many."""
    return sum(remind_support_review(plan_id=plan_id) for plan_id in support_reviews_to_remind(today=today))
