import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from config.queue import retry_mail_later

from . import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=8)
def tell_family_about_move(self, plan_id: int) -> bool:
    try:
        return services.deliver_move_notice(plan_id=plan_id)
    except OSError as exc:
        retry_mail_later(self, exc)


@shared_task
def apply_due_transitions() -> int:
    """Daily sweep: plans whose date has come take effect (each idempotent), and families not yet told hear."""
    applied = 0
    for plan_id in services.due_plan_ids():
        try:
            applied += services.apply_plan(plan_id=plan_id).applied
        except ValidationError as exc:  # e.g. the new key person has left: the plan stays open on the managers' list
            logger.warning("Transition plan %s not applied: %s", plan_id, "; ".join(exc.messages))
    for plan_id in services.untold_move_ids():
        tell_family_about_move.delay(plan_id)
    return applied
