"""Background work for transitions: thin, idempotent wrappers over services that take ids."""

from billiard.exceptions import WorkerLostError
from celery import shared_task

from config.queue import retry_mail_later

from . import services


def _build_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    """A build that raised is marked failed so the person waiting is told; a lost worker is not a failure:
    with acks_late and reject_on_worker_lost its message goes back to the queue and the build restarts."""
    if not isinstance(exc, WorkerLostError):
        services.mark_failed(pack_id=args[0], error=f"{type(exc).__name__}: {exc}")


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8, on_failure=_build_failed)
def build_leaver_pack(self, pack_id: int) -> bool:
    try:
        return services.build_pack(pack_id=pack_id)
    except OSError as exc:  # mail server or storage unreachable: try again later, the build is idempotent
        retry_mail_later(self, exc)


@shared_task
def sweep_leaver_packs() -> int:
    """Sweep: delete expired pack files; start packs whose job never reached the broker, and send the
    "ready" e-mails a mail fault held up."""
    services.expire_packs()
    ids = services.waiting_pack_ids()
    for pack_id in ids:
        build_leaver_pack.delay(pack_id)
    return len(ids)
