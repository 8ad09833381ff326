"""Background work for transitions: thin, idempotent wrappers over services that take ids.

E-mails (the school's link, the family's move notice, "the pack is ready") go through the outbox
(``core.outbox``), which sends and retries them; none has a task here.
"""

import logging

from billiard.exceptions import WorkerLostError
from celery import shared_task
from django.core.exceptions import ValidationError

from core.queue import retry_later

from .imports.services import discard_stale_uploads
from .leaver_pack.services import build_pack, expire_packs, mark_failed, waiting_pack_ids
from .plans.services import apply_plan, due_plan_ids

logger = logging.getLogger(__name__)


@shared_task
def discard_stale_pack_uploads() -> int:
    """Sweep: pack uploads checked a day ago but never imported or cancelled."""
    return discard_stale_uploads()


@shared_task
def apply_due_transitions() -> int:
    """Daily sweep: plans whose date has come take effect (each idempotent; families are told by the outbox)."""
    applied = 0
    for plan_id in due_plan_ids():
        try:
            applied += apply_plan(plan_id=plan_id).applied
        except ValidationError as exc:  # e.g. the new key person has left: the plan stays open on the managers' list
            logger.warning("Transition plan %s not applied: %s", plan_id, "; ".join(exc.messages))
    return applied


def _build_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    """A build that raised is marked failed so the person waiting is told; a lost worker is not a failure:
    with acks_late and reject_on_worker_lost its message goes back to the queue and the build restarts."""
    if not isinstance(exc, WorkerLostError):
        mark_failed(pack_id=args[0], error=f"{type(exc).__name__}: {exc}")


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8, on_failure=_build_failed)
def build_leaver_pack(self, pack_id: int) -> bool:
    try:
        return build_pack(pack_id=pack_id)
    except OSError as exc:  # storage unreachable: try again later, the build is idempotent
        retry_later(self, exc)


@shared_task
def sweep_leaver_packs() -> int:
    """Sweep: delete expired pack files; start packs whose job never reached the broker or lost its worker."""
    expire_packs()
    ids = waiting_pack_ids()
    for pack_id in ids:
        build_leaver_pack.delay(pack_id)
    return len(ids)
