"""Background work for privacy: thin wrappers over services that take ids."""

from billiard.exceptions import WorkerLostError
from celery import shared_task

from core.queue import retry_later

from .services import build_export, expire_exports, mark_failed, waiting_export_ids


def _build_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    """A build that raised is marked failed so the person waiting is told; a lost worker is not a failure:
    its message goes back to the queue and the build restarts."""
    if not isinstance(exc, WorkerLostError):
        mark_failed(export_id=args[0], error=f"{type(exc).__name__}: {exc}")


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8, on_failure=_build_failed)
def build_subject_access_export(self, export_id: int) -> bool:
    try:
        return build_export(export_id=export_id)
    except OSError as exc:  # storage unreachable: try again later, the build is idempotent
        retry_later(self, exc)


@shared_task
def sweep_subject_access_exports() -> int:
    """Sweep: delete expired files; start exports whose job never reached the broker or lost its worker."""
    expire_exports()
    ids = waiting_export_ids()
    for export_id in ids:
        build_subject_access_export.delay(export_id)
    return len(ids)
